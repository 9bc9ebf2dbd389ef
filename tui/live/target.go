package live

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/workspace"
)

// Targets lists the project's targets (workspace.TargetNames: what
// --target NAME chooses).
func (b *Backend) Targets(context.Context) ([]string, error) {
	return workspace.TargetNames(b.dir)
}

// SwitchTarget points the backend at target name, as --target NAME does
// (the workspace, not a branch; --dsn and --database given at start are
// dropped): the next call connects there, with nothing of the previous
// target kept. A target that does not resolve (not in perch.toml, its
// password variable unset) is refused and the backend stays where it is.
func (b *Backend) SwitchTarget(_ context.Context, name string) error {
	sel := workspace.Selection{Target: name}
	if _, err := workspace.ResolveTarget(b.dir, sel, b.getenv); err != nil {
		return fmt.Errorf("switch to target %s: %w", name, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.retarget(sel)
	return nil
}
