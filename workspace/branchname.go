package workspace

import (
	"fmt"
	"regexp"
	"strings"
)

// BranchSeparator joins a workspace database and a branch name into the
// branch's database: branch "feat" of workspace "shop" lives in
// "shop__br_feat" on the same server.
const BranchSeparator = "__br_"

// MainBranch names the workspace itself where a branch is expected
// (`--branch main`, `perch branch compare main feat`).
const MainBranch = "main"

// BranchTable is the marker table perch writes into every branch database
// it creates: who made it, from what, with which sample. A database without
// it is not a perch branch, and perch never drops it.
const BranchTable = PerchPrefix + "_branch"

// branchName is what a branch may be called: it becomes part of a database name.
var branchName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_]{0,62}$`)

// ValidateBranchName refuses a name that cannot be a branch: empty, longer
// than 63 characters, characters other than letters, digits and '_', a
// leading '_', "main" (the workspace itself) or one holding the separator.
func ValidateBranchName(name string) error {
	switch {
	case strings.EqualFold(name, MainBranch):
		return fmt.Errorf("branch name %q: %s names the workspace itself", name, MainBranch)
	case !branchName.MatchString(name):
		return fmt.Errorf("branch name %q: want 1-63 letters, digits or '_', starting with a letter or digit", name)
	case strings.Contains(name, "__"):
		return fmt.Errorf("branch name %q: '__' is reserved (branch databases are named WORKSPACE%sNAME)", name, BranchSeparator)
	}
	return nil
}

// BranchDatabase is the database of branch name of the workspace database
// ws. It refuses an invalid name and a workspace that is itself a branch.
func BranchDatabase(ws, name string) (string, error) {
	if err := ValidateBranchName(name); err != nil {
		return "", err
	}
	if w, b, ok := SplitBranchDatabase(ws); ok {
		return "", fmt.Errorf("database %s is branch %s of %s: branches of a branch are not supported", ws, b, w)
	}
	if ws == "" {
		return "", fmt.Errorf("branch %s: no workspace database", name)
	}
	return ws + BranchSeparator + name, nil
}

// SplitBranchDatabase splits a branch database name into its workspace
// database and branch name; ok is false for a name that is not one.
func SplitBranchDatabase(db string) (ws, name string, ok bool) {
	i := strings.LastIndex(db, BranchSeparator)
	if i <= 0 {
		return "", "", false
	}
	ws, name = db[:i], db[i+len(BranchSeparator):]
	if ValidateBranchName(name) != nil {
		return "", "", false
	}
	return ws, name, true
}

// WithBranch is t pointed at branch name of its workspace database: same
// server and credentials, database BranchDatabase(t.Database, name), Branch
// and Workspace set. MainBranch (or "") returns t unchanged.
func (t Target) WithBranch(name string) (Target, error) {
	if name == "" || name == MainBranch {
		return t, nil
	}
	if t.Branch != "" {
		return Target{}, fmt.Errorf("target %s is already branch %s", t.Name, t.Branch)
	}
	db, err := BranchDatabase(t.Database, name)
	if err != nil {
		return Target{}, err
	}
	t.Workspace, t.Database, t.Branch = t.Database, db, name
	t.Source += ", branch " + name
	return t, nil
}

// WorkspaceDatabase is the database of the workspace the target belongs
// to: its own database, or for a branch the workspace it was made from.
func (t Target) WorkspaceDatabase() string {
	if t.Branch != "" {
		return t.Workspace
	}
	return t.Database
}
