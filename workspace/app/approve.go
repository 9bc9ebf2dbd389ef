package app

import (
	"fmt"
	"strings"

	"github.com/perchdata/perch/workspace/apply"
	"github.com/perchdata/perch/workspace/plan"
)

// Destroys reports whether a change destroys data and so needs approval:
// it is marked destructive, or its risk is that it destroys data (dropping
// the backup a previous rebuild kept, say).
func Destroys(ch *plan.Change) bool {
	return ch.Destructive || ch.Risk == plan.Destroys
}

// Approval says which destructive changes the user approved.
type Approval struct {
	// All approves every destructive change (`--allow-destructive`).
	All bool
	// Names are the resources whose destructive change the user confirmed
	// one by one, by typing each name.
	Names []string
	// Backups approves dropping the backups a previous deploy kept for revert
	// (`t__old`, the plan's cleanup) without typing their names: what an
	// unattended apply (`--auto-approve`) and the demo do, since every deploy
	// that changes something drops them. Interactive front ends leave it
	// false, so even a backup is confirmed by name. It never covers a backup
	// whose rows are not proven to be in the live table (the plan marks that
	// cleanup Destructive): only --allow-destructive or its name does.
	Backups bool
}

// approves reports whether a covers the destructive change ch.
func (a Approval) approves(ch *plan.Change) bool {
	if a.All || (a.Backups && ch.Method == plan.MethodCleanup && !ch.Destructive) {
		return true
	}
	for _, n := range a.Names {
		if n == ch.Resource {
			return true
		}
	}
	return false
}

// NotApprovedError is returned when staged changes destroy data without approval.
type NotApprovedError struct {
	// Resources are the resources of the destructive changes not approved, in plan order.
	Resources []string
}

func (e *NotApprovedError) Error() string {
	verb := "destroy data and were not confirmed by their names"
	if len(e.Resources) == 1 {
		verb = "destroys data and was not confirmed by its name"
	}
	return fmt.Sprintf("%s %s: %v", strings.Join(e.Resources, ", "), verb, apply.ErrDestructive)
}

// Unwrap makes errors.Is(err, apply.ErrDestructive) hold.
func (e *NotApprovedError) Unwrap() error { return apply.ErrDestructive }

// Staged returns the changes an apply of only would run: those chosen plus
// what they depend on, in plan order (all of them when only is empty).
func Staged(p *plan.Plan, only []string) ([]*plan.Change, error) {
	return apply.Stage(p, only)
}

// Destructive returns the staged changes that destroy data, in plan order:
// the ones an interactive front end asks the user to confirm by name.
func Destructive(p *plan.Plan, only []string) ([]*plan.Change, error) {
	staged, err := Staged(p, only)
	if err != nil {
		return nil, err
	}
	var out []*plan.Change
	for _, ch := range staged {
		if Destroys(ch) {
			out = append(out, ch)
		}
	}
	return out, nil
}

// Check enforces the approval rule on the changes an apply of only would
// run (dependencies pulled in): every one that destroys data must be
// approved. It reports whether any destroys data (the apply must then allow
// it).
func (a Approval) Check(p *plan.Plan, only []string) (destroys bool, err error) {
	ds, err := Destructive(p, only)
	if err != nil {
		return false, err
	}
	var missing []string
	for _, ch := range ds {
		if !a.approves(ch) {
			missing = append(missing, ch.Resource)
		}
	}
	if len(missing) > 0 {
		return true, &NotApprovedError{Resources: missing}
	}
	return len(ds) > 0, nil
}
