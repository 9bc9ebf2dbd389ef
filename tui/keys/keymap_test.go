package keys

import "testing"

func TestLookup(t *testing.T) {
	km := New(Default(), false)
	tests := []struct {
		scope Scope
		key   string
		text  bool
		want  Name
		ok    bool
	}{
		{Explorer, "enter", false, ExplorerOpen, true},
		{Plan, "enter", false, PlanSteps, true},
		{Plan, "a", true, PlanApply, true},
		{Lineage, "q", true, Quit, true},
		{History, "3", true, ViewPreview, true},
		{Lineage, "left", false, Left, true},
		{Lineage, "/", true, LineageFind, true},
		{Explorer, "/", true, Filter, true},
		{Explorer, "x", true, "", false},
		// text scopes: letters are text, ctrl+c still quits, globals are not inherited
		{Editor, "q", true, "", false},
		{Editor, "up", false, "", false},
		{Editor, "ctrl+c", false, Interrupt, true},
		{Params, "1", true, "", false},
		{Params, "tab", false, FocusNext, true},
		{Input, "enter", false, InputDone, true},
		{DialogInput, "y", true, "", false},
		{Dialog, "y", true, DialogConfirm, true},
		{Help, "esc", false, CloseHelp, true},
		{Help, "1", true, "", false},
	}
	for _, tc := range tests {
		got, ok := km.Lookup(tc.scope, tc.key, tc.text)
		if got.Name != tc.want || ok != tc.ok {
			t.Errorf("Lookup(%s, %q) = %q, %v; want %q, %v", tc.scope, tc.key, got.Name, ok, tc.want, tc.ok)
		}
	}
}

func TestReadOnlyDropsDangerous(t *testing.T) {
	km := New(Default(), true)
	if _, ok := km.Lookup(Plan, "a", true); ok {
		t.Fatal("read-only keymap still binds apply")
	}
	if km.Has(PlanApply) {
		t.Fatal("read-only keymap has plan.apply")
	}
	for _, a := range km.All() {
		if a.Dangerous {
			t.Errorf("dangerous action %s kept", a.Name)
		}
	}
	if !New(Default(), false).Has(PlanApply) {
		t.Fatal("normal keymap lacks plan.apply")
	}
}

// TestScopedHelpListsEachKeyOnce: the help of a scope lists every key once,
// its own binding first; an inherited binding it shadows is left out.
func TestScopedHelpListsEachKeyOnce(t *testing.T) {
	km := New(Default(), false)
	short := km.Scoped(Plan, true)
	if len(short) == 0 || !short[0].In(Plan) {
		t.Fatalf("footer of plan should start with plan actions: %+v", short)
	}
	for _, scope := range append(append([]Scope{}, ViewScopes...), TextScopes...) {
		seen := map[string]Name{}
		for _, a := range km.Scoped(scope, false) {
			for _, k := range a.Keys {
				if prev, dup := seen[k]; dup {
					t.Errorf("%s help lists %q for %s and %s", scope, k, prev, a.Name)
				}
				seen[k] = a.Name
			}
		}
	}
	for _, a := range km.Scoped(Editor, false) {
		if a.In(Global) {
			t.Errorf("editor help lists the global %s", a.Name)
		}
	}
}

func TestNoDuplicateKeysInScope(t *testing.T) {
	seen := map[Scope]map[string]Name{}
	for _, a := range Default() {
		for _, s := range a.Scopes {
			if seen[s] == nil {
				seen[s] = map[string]Name{}
			}
			for _, k := range a.Keys {
				if prev, dup := seen[s][k]; dup {
					t.Errorf("key %q bound to %s and %s in %s", k, prev, a.Name, s)
				}
				seen[s][k] = a.Name
			}
		}
	}
}
