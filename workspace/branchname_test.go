package workspace

import (
	"strings"
	"testing"
)

func TestBranchNames(t *testing.T) {
	for _, tc := range []struct{ ws, name, want, err string }{
		{ws: "shop", name: "feat", want: "shop__br_feat"},
		{ws: "shop", name: "Sort_By_Country2", want: "shop__br_Sort_By_Country2"},
		{ws: "shop", name: "main", err: "names the workspace itself"},
		{ws: "shop", name: "MAIN", err: "names the workspace itself"},
		{ws: "shop", name: "", err: "want 1-63"},
		{ws: "shop", name: "_x", err: "want 1-63"},
		{ws: "shop", name: "a-b", err: "want 1-63"},
		{ws: "shop", name: "a`b", err: "want 1-63"},
		{ws: "shop", name: strings.Repeat("x", 64), err: "want 1-63"},
		{ws: "shop", name: "a__b", err: "reserved"},
		{ws: "shop__br_x", name: "y", err: "branches of a branch"},
	} {
		got, err := BranchDatabase(tc.ws, tc.name)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s/%s: %v, want %q", tc.ws, tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s/%s = %s %v, want %s", tc.ws, tc.name, got, err, tc.want)
		}
		ws, name, ok := SplitBranchDatabase(got)
		if !ok || ws != tc.ws || name != tc.name {
			t.Errorf("split %s = %s %s %v", got, ws, name, ok)
		}
	}
	for _, db := range []string{"shop", "__br_x", "shop__br_", "shop__br_a-b"} {
		if _, _, ok := SplitBranchDatabase(db); ok {
			t.Errorf("%s split as a branch", db)
		}
	}
}

func TestResolveTargetBranch(t *testing.T) {
	env := func(k string) string {
		if k == "PERCH_DSN" {
			return "clickhouse://u@h:9000/shop"
		}
		return ""
	}
	tg, err := ResolveTarget(t.TempDir(), Selection{Branch: "feat"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if tg.Database != "shop__br_feat" || tg.Branch != "feat" || tg.Workspace != "shop" || tg.WorkspaceDatabase() != "shop" || !strings.Contains(tg.Source, "branch feat") {
		t.Errorf("target %+v", tg)
	}
	if tg, err = ResolveTarget(t.TempDir(), Selection{Branch: MainBranch}, env); err != nil || tg.Database != "shop" || tg.Branch != "" {
		t.Errorf("--branch main: %+v %v", tg, err)
	}
	if tg, err = ResolveTarget(t.TempDir(), Selection{Database: "other", Branch: "x"}, env); err != nil || tg.Database != "other__br_x" {
		t.Errorf("--database other --branch x: %+v %v", tg, err)
	}
	for _, sel := range []Selection{{Branch: "bad name"}, {Database: "shop__br_a", Branch: "b"}} {
		if _, err := ResolveTarget(t.TempDir(), sel, env); err == nil || !strings.Contains(err.Error(), "--branch") {
			t.Errorf("%+v: %v", sel, err)
		}
	}
	if _, err := tg.WithBranch("again"); err == nil || !strings.Contains(err.Error(), "already branch x") {
		t.Errorf("branch of a branch target: %v", err)
	}
}
