package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/tui/live"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/plan"
)

// TestDiffExplorerAndLineageAgree: after a deploy and one edit, `perch
// diff` shows exactly the Explorer's comparison (the deployed file, JSON
// paths and descriptions included, against the local one: one changed
// line), and `lineage --compare` tags nothing local-only or remote-only:
// the deployed endpoints come from the deployment log.
func TestDiffExplorerAndLineageAgree(t *testing.T) {
	srv := demoServer(t)
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		dir := copyExample(t)
		ctx := context.Background()
		cli := func(args ...string) (int, string, string) {
			e, out, errb := testEnv()
			code := run(ctx, e, append(args, "--dsn", db.DSN))
			return code, out.String(), errb.String()
		}
		if code, out, errb := cli("apply", dir, "--auto-approve"); code != exitOK {
			t.Fatalf("apply: exit %d\n%s\n%s", code, out, errb)
		}
		if code, out, errb := cli("lineage", dir, "--compare", "--width", "0"); code != exitOK || strings.Contains(out, "(local)") || strings.Contains(out, "(remote)") {
			t.Errorf("lineage --compare right after a deploy marks sides (exit %d):\n%s\n%s", code, out, errb)
		}
		if code, out, _ := cli("diff", dir); code != exitOK || strings.TrimSpace(out) != "No differences." {
			t.Errorf("diff right after a deploy: exit %d\n%s", code, out)
		}

		path := filepath.Join(dir, "datasources", "events.datasource")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		edited := strings.Replace(string(b), `ENGINE_SORTING_KEY "timestamp, session_id"`, `ENGINE_SORTING_KEY "session_id, timestamp"`, 1)
		if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errb := cli("diff", dir)
		if code != exitOK {
			t.Fatalf("diff: exit %d\n%s\n%s", code, out, errb)
		}
		var minus, plus []string
		for _, l := range strings.Split(out, "\n") {
			switch {
			case strings.HasPrefix(l, "---") || strings.HasPrefix(l, "+++"):
			case strings.HasPrefix(l, "-"):
				minus = append(minus, l)
			case strings.HasPrefix(l, "+"):
				plus = append(plus, l)
			}
		}
		if len(minus) != 1 || len(plus) != 1 || !strings.Contains(plus[0], `"session_id, timestamp"`) {
			t.Errorf("diff of one edited line shows %d removed and %d added lines:\n%s", len(minus), len(plus), out)
		}

		// The Explorer's comparison of the same resource is the same diff.
		be := live.New(dir, workspace.Selection{DSN: db.DSN}, func(string) string { return "" })
		defer be.Close()
		local, err := be.Local(ctx)
		if err != nil {
			t.Fatal(err)
		}
		remote, err := be.Remote(ctx, local)
		if err != nil {
			t.Fatal(err)
		}
		file := "datasources/events.datasource"
		explorer := plan.UnifiedDiff(remote.Resources["events"].Text, local.Resource("events").Text, "remote/"+file, "local/"+file)
		if explorer == "" || !strings.Contains(out, strings.TrimRight(explorer, "\n")) {
			t.Errorf("perch diff:\n%s\nthe Explorer's comparison:\n%s", out, explorer)
		}
	})
}
