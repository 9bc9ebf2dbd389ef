package keys

import "testing"

func TestLookup(t *testing.T) {
	km := New(Default(), false)
	tests := []struct {
		scope Scope
		key   string
		want  string
		ok    bool
	}{
		{Explorer, "enter", "explorer.open", true},
		{Plan, "enter", "plan.steps", true},
		{Plan, "a", "plan.apply", true},
		{Lineage, "q", "quit", true},
		{History, "3", "view.preview", true},
		{Lineage, "left", "lineage.left", true},
		{Explorer, "left", "", false},
		{Explorer, "x", "", false},
	}
	for _, tc := range tests {
		got, ok := km.Lookup(tc.scope, tc.key)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Lookup(%s, %q) = %q, %v; want %q, %v", tc.scope, tc.key, got, ok, tc.want, tc.ok)
		}
	}
}

func TestReadOnlyDropsDangerous(t *testing.T) {
	km := New(Default(), true)
	if _, ok := km.Lookup(Plan, "a"); ok {
		t.Fatal("read-only keymap still binds apply")
	}
	if km.Has("plan.apply") {
		t.Fatal("read-only keymap has plan.apply")
	}
	for _, a := range km.All() {
		if a.Dangerous {
			t.Errorf("dangerous action %s kept", a.Name)
		}
	}
	if !New(Default(), false).Has("plan.apply") {
		t.Fatal("normal keymap lacks plan.apply")
	}
}

func TestScopedHelpFollowsFocus(t *testing.T) {
	km := New(Default(), false)
	short := km.Scoped(Plan, true)
	if len(short) == 0 || short[0].Scope != Plan {
		t.Fatalf("footer of plan should start with plan actions: %+v", short)
	}
	for _, a := range km.Scoped(Lineage, false) {
		if a.Scope != Lineage && a.Scope != Global {
			t.Errorf("lineage help shows %s from %s", a.Name, a.Scope)
		}
	}
}

func TestNoDuplicateKeysInScope(t *testing.T) {
	seen := map[Scope]map[string]string{}
	for _, a := range Default() {
		if seen[a.Scope] == nil {
			seen[a.Scope] = map[string]string{}
		}
		for _, k := range a.Keys {
			if prev, dup := seen[a.Scope][k]; dup {
				t.Errorf("key %q bound to %s and %s in %s", k, prev, a.Name, a.Scope)
			}
			seen[a.Scope][k] = a.Name
		}
	}
}
