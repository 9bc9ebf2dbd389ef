package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
)

// secretProject is a materialized view reading a secret, as a Tinybird
// project keeps a value out of its datafiles.
var secretProject = map[string]string{
	"datasources/src.datasource": "SCHEMA >\n    `k` UInt32,\n    `path` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"k\"\n",
	"datasources/dst.datasource": "SCHEMA >\n    `k` UInt32,\n    `path` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"k\"\n",
	"pipes/mv.pipe":              "NODE m\nSQL >\n    %\n    SELECT k, path FROM src WHERE path != {{ tb_secret('skip_path') }}\n\nTYPE materialized\nDATASOURCE dst\n",
}

// envWith returns a test env whose environment sets vars.
func envWith(vars map[string]string) (*env, *bytes.Buffer, *bytes.Buffer) {
	e, out, errb := testEnv()
	e.getenv = func(k string) string { return vars[k] }
	return e, out, errb
}

// TestCheckReadsSecretsFromTheEnvironment: perch check warns about a secret
// only when the environment does not set it, as perch compile reads it.
func TestCheckReadsSecretsFromTheEnvironment(t *testing.T) {
	dir := writeCheckProject(t, secretProject)
	warning := filepath.Join(dir, "pipes/mv.pipe") + ":3:5: warning: node m reads secret skip_path, which is not set"
	for _, tc := range []struct {
		name  string
		vars  map[string]string
		warns bool
	}{
		{"not set", nil, true},
		{"set", map[string]string{"skip_path": "/health"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, out, errb := envWith(tc.vars)
			if code := run(context.Background(), e, []string{"check", dir}); code != exitOK {
				t.Fatalf("exit %d\n%s\n%s", code, out, errb)
			}
			if got := strings.Contains(out.String(), warning); got != tc.warns {
				t.Errorf("warns about skip_path: %v, want %v:\n%s", got, tc.warns, out)
			}
		})
	}
}

// TestPlanReadsSecretsFromTheEnvironment: perch apply deploys the view with
// the secret's value from the environment; perch plan without it is a plan
// error naming the node, where it is and what to set, and plans no drop of
// the deployed view.
func TestPlanReadsSecretsFromTheEnvironment(t *testing.T) {
	srv := demoServer(t)
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		dir := writeCheckProject(t, secretProject)
		runCmd := func(vars map[string]string, args ...string) (int, string, string) {
			e, out, errb := envWith(vars)
			code := run(context.Background(), e, append(args, "--dsn", db.DSN))
			return code, out.String(), errb.String()
		}
		set := map[string]string{"skip_path": "/health"}
		want := "pipes/mv.pipe:3:5: materialized node mv.m reads secret skip_path, which is not set: set env var skip_path"

		code, out, errb := runCmd(nil, "plan", dir)
		if code != exitError || !strings.Contains(out+errb, want) || strings.Contains(out, "'placeholder'") {
			t.Fatalf("plan without the secret: exit %d, want %d and %q\nstdout:\n%s\nstderr:\n%s", code, exitError, want, out, errb)
		}
		if code, out, errb := runCmd(set, "apply", dir, "--auto-approve"); code != exitOK {
			t.Fatalf("apply with the secret: exit %d\n%s\n%s", code, out, errb)
		}
		q := db.QueryString(t, "SELECT create_table_query FROM system.tables WHERE database = currentDatabase() AND name = 'mv'")
		if !strings.Contains(q, "'/health'") || strings.Contains(q, "placeholder") {
			t.Errorf("deployed view: %s", q)
		}
		if code, out, errb := runCmd(set, "plan", dir, "--detailed-exitcode"); code != exitOK || !strings.Contains(out, "No changes.") {
			t.Fatalf("plan with the secret after apply: exit %d\n%s\n%s", code, out, errb)
		}
		code, out, errb = runCmd(nil, "plan", dir)
		if code != exitError || !strings.Contains(out+errb, want) || !strings.Contains(out, "Plan: 0 to create, 0 to update, 0 to replace, 0 to delete.") {
			t.Fatalf("plan without the secret after apply: exit %d, want %d and %q, no drop\nstdout:\n%s\nstderr:\n%s", code, exitError, want, out, errb)
		}
	})
}
