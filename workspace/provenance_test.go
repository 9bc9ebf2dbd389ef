package workspace

import (
	"context"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"testing"
)

func TestReadProvenance(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	ctx := context.Background()
	getenv := func(k string) string {
		if k == "USER" {
			return "ana"
		}
		return ""
	}

	plain := t.TempDir()
	if got := ReadProvenance(ctx, plain, getenv); got != (Provenance{Author: "ana"}) {
		t.Errorf("outside a repository: got %+v, want only the author from $USER", got)
	}

	repo := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "pipelines")
	git("config", "user.name", "Ana Lytics")
	git("config", "user.email", "ana@example.com")
	file := filepath.Join(repo, "events.datasource")
	if err := os.WriteFile(file, []byte("SCHEMA >\n    a UInt8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", ".")
	git("commit", "-q", "-m", "events")

	clean := ReadProvenance(ctx, repo, getenv)
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(clean.GitCommit) {
		t.Errorf("commit = %q, want a 40-hex hash", clean.GitCommit)
	}
	if clean.GitBranch != "pipelines" || clean.Author != "Ana Lytics <ana@example.com>" {
		t.Errorf("clean repo: got %+v", clean)
	}

	if err := os.WriteFile(file, []byte("SCHEMA >\n    a UInt16\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dirty := ReadProvenance(ctx, repo, getenv)
	if dirty.GitCommit != clean.GitCommit+"-dirty" {
		t.Errorf("edited working tree: commit = %q, want %q", dirty.GitCommit, clean.GitCommit+"-dirty")
	}

	ci := ReadProvenance(ctx, repo, func(k string) string {
		if k == "PERCH_AUTHOR" {
			return "deploy-bot"
		}
		return ""
	})
	if ci.Author != "deploy-bot" {
		t.Errorf("PERCH_AUTHOR: author = %q, want deploy-bot", ci.Author)
	}
}

// TestProvenanceAuthorWithoutUser: with no $USER (as under some CI runners
// and cron) and no git identity, the author is the process's login name, not
// an empty "by" in the deployment log.
func TestProvenanceAuthorWithoutUser(t *testing.T) {
	u, err := user.Current()
	if err != nil {
		t.Skip("no user database:", err)
	}
	p := ReadProvenance(context.Background(), t.TempDir(), func(string) string { return "" })
	if p.Author != u.Username || p.Author == "" {
		t.Fatalf("author = %q, want %q", p.Author, u.Username)
	}
}
