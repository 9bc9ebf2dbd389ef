package apply

import (
	"context"
	"fmt"
	"sort"

	"github.com/perchdata/perch/workspace/journal"
)

// LockTable is the table whose existence is the workspace lock
// (journal.LockTable).
const LockTable = journal.LockTable

// checkFingerprint refuses when the live state differs from the plan's.
func (x *executor) checkFingerprint(ctx context.Context) error {
	s, err := x.c.Snapshot(ctx, x.c.Database())
	if err != nil {
		return fmt.Errorf("apply: read the workspace: %w", err)
	}
	delete(s.Objects, LockTable)
	if got := s.Fingerprint(); got != x.p.Fingerprint {
		return fmt.Errorf("apply: %w (planned against %s, now %s)", ErrStale, x.p.Fingerprint, got)
	}
	return nil
}

func sortedFiles(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
