package workspace

import (
	"context"
	"os/exec"
	"os/user"
	"strings"
)

// Provenance says who deploys and from which commit, for the deployment log.
type Provenance struct {
	// Author is $PERCH_AUTHOR if set; else, inside a git repository, git's
	// user.name (with user.email); else $USER, else the login name of the
	// process's user (never empty unless the system has no user database).
	Author string
	// GitCommit is the HEAD commit of the project's repository, with
	// "-dirty" appended when the project folder has uncommitted changes
	// (the files deployed are the working tree's). Empty outside a repository.
	GitCommit string
	// GitBranch is the current branch (empty when detached or outside a repository).
	GitBranch string
}

// ReadProvenance reads the author and the git state of the project in dir.
// It never fails: what cannot be read stays empty (no git, not a repository).
func ReadProvenance(ctx context.Context, dir string, getenv func(string) string) Provenance {
	env := func(k string) string {
		if getenv == nil {
			return ""
		}
		return getenv(k)
	}
	p := Provenance{Author: env("USER")}
	if p.Author == "" {
		if u, err := user.Current(); err == nil {
			p.Author = u.Username
		}
	}
	p.GitCommit = gitOutput(ctx, dir, "rev-parse", "--verify", "--quiet", "HEAD")
	if p.GitCommit != "" {
		// Inside a repository the git identity says more than the login name.
		name := gitOutput(ctx, dir, "config", "user.name")
		email := gitOutput(ctx, dir, "config", "user.email")
		switch {
		case name != "" && email != "":
			p.Author = name + " <" + email + ">"
		case name != "":
			p.Author = name
		}
		if b := gitOutput(ctx, dir, "rev-parse", "--abbrev-ref", "HEAD"); b != "HEAD" {
			p.GitBranch = b
		}
		if gitOutput(ctx, dir, "status", "--porcelain", "--", ".") != "" {
			p.GitCommit += "-dirty"
		}
	}
	if a := env("PERCH_AUTHOR"); a != "" {
		p.Author = a // CI jobs name the person or bot behind the deploy
	}
	return p
}

// gitOutput runs git in dir and returns its trimmed output, or "" on any error.
func gitOutput(ctx context.Context, dir string, args ...string) string {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
