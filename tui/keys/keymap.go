// Package keys is the keymap of the perch terminal UI: every action has a
// stable name, its keys, a description, the scopes it applies to and whether
// it is dangerous. Key presses become actions only through a KeyMap, so the
// help screens and footers generated from it are the whole truth; a
// read-only keymap drops the dangerous actions entirely.
package keys

import "strings"

// Name is the stable name of an action: code and tests match on it, never
// on keys.
type Name string

// Scope is where an action applies: a view, a pane that takes text, or a
// dialog.
type Scope string

// The scopes of the UI.
const (
	// Always holds what works in every scope (ctrl+c).
	Always Scope = "always"
	// Global holds what works in every view scope (switching views, help,
	// moving in lists); it is not inherited by text scopes and dialogs.
	Global   Scope = "global"
	Explorer Scope = "explorer"
	Lineage  Scope = "lineage"
	Preview  Scope = "preview"
	Plan     Scope = "plan"
	History  Scope = "history"
	// Editor is the SQL editor of the Preview: unbound keys edit the text.
	Editor Scope = "editor"
	// Params is the parameter form of the Preview: unbound text is typed.
	Params Scope = "params"
	// Input is a one-line text field (a filter, a search): unbound text is typed.
	Input Scope = "input"
	// Dialog is a yes/no dialog; DialogInput a dialog that wants a name typed.
	Dialog      Scope = "dialog"
	DialogInput Scope = "dialog input"
	// Help is the full help screen.
	Help Scope = "help"
)

// ViewScopes are the scopes of the five views (they inherit Global).
var ViewScopes = []Scope{Explorer, Lineage, Preview, Plan, History}

// TextScopes are the scopes where a key the scope does not bind is text.
var TextScopes = []Scope{Editor, Params, Input, DialogInput}

// inherits says which scopes a scope falls back to, in order (Always is
// always last).
func inherits(s Scope) []Scope {
	for _, v := range ViewScopes {
		if s == v {
			return []Scope{s, Global, Always}
		}
	}
	if s == Always {
		return []Scope{Always}
	}
	return []Scope{s, Always}
}

// IsText reports whether unbound keys are text in scope s.
func IsText(s Scope) bool {
	for _, t := range TextScopes {
		if s == t {
			return true
		}
	}
	return false
}

// Action is one thing a key can do.
type Action struct {
	Name Name
	Keys []string
	Help string
	// Scopes the action applies to (usually one).
	Scopes    []Scope
	Dangerous bool
	// Short marks actions shown in the footer (the rest only in full help).
	Short bool
}

// In reports whether the action applies to scope s.
func (a Action) In(s Scope) bool {
	for _, x := range a.Scopes {
		if x == s {
			return true
		}
	}
	return false
}

// KeyLabel is the keys of an action joined for display ("↑/k").
func (a Action) KeyLabel() string {
	labels := make([]string, len(a.Keys))
	for i, k := range a.Keys {
		labels[i] = display(k)
	}
	return strings.Join(labels, "/")
}

func display(k string) string {
	switch k {
	case "up":
		return "↑"
	case "down":
		return "↓"
	case "left":
		return "←"
	case "right":
		return "→"
	case "enter":
		return "⏎"
	}
	return k
}

// KeyMap is an immutable set of actions indexed by scope and key.
type KeyMap struct {
	actions []Action
	index   map[Scope]map[string]int
}

// New indexes actions into a KeyMap; with readOnly, dangerous actions are left out.
func New(actions []Action, readOnly bool) *KeyMap {
	km := &KeyMap{index: map[Scope]map[string]int{}}
	for _, a := range actions {
		if readOnly && a.Dangerous {
			continue
		}
		km.actions = append(km.actions, a)
		i := len(km.actions) - 1
		for _, s := range a.Scopes {
			if km.index[s] == nil {
				km.index[s] = map[string]int{}
			}
			for _, k := range a.Keys {
				km.index[s][k] = i
			}
		}
	}
	return km
}

// Lookup returns the action bound to key in scope, falling back to the
// scopes it inherits; ok is false when the key does nothing there. In a text
// scope a key that types text is never looked up in the inherited scopes
// (q is a letter in the editor, not quit).
func (km *KeyMap) Lookup(scope Scope, key string, typesText bool) (Action, bool) {
	for i, s := range inherits(scope) {
		if i > 0 && typesText && IsText(scope) {
			break
		}
		if k, ok := km.index[s][key]; ok {
			return km.actions[k], true
		}
	}
	return Action{}, false
}

// Has reports whether an action with that name exists (read-only maps lack
// the dangerous ones).
func (km *KeyMap) Has(name Name) bool {
	for _, a := range km.actions {
		if a.Name == name {
			return true
		}
	}
	return false
}

// Scoped returns the actions reachable in scope: its own, then the inherited
// ones whose keys it does not shadow; with short only those marked for the
// footer. An inherited action all of whose keys the scope rebinds is left
// out, so help never lists a key twice.
func (km *KeyMap) Scoped(scope Scope, short bool) []Action {
	var out []Action
	taken := map[string]bool{}
	for _, s := range inherits(scope) {
		for _, a := range km.actions {
			if !a.In(s) || (short && !a.Short) {
				continue
			}
			var free []string
			for _, k := range a.Keys {
				if !taken[k] {
					free = append(free, k)
				}
			}
			if len(free) == 0 {
				continue
			}
			a.Keys = free
			out = append(out, a)
		}
		for _, a := range km.actions {
			if a.In(s) {
				for _, k := range a.Keys {
					taken[k] = true
				}
			}
		}
	}
	return out
}

// All returns every action in declaration order.
func (km *KeyMap) All() []Action { return append([]Action(nil), km.actions...) }
