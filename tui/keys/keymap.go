// Package keys is the keymap of the perch terminal UI: every action has a
// stable name, its keys, a description, the view it applies to and whether it
// is dangerous. Help screens and footers are generated from it, and a
// read-only keymap drops the dangerous actions entirely.
package keys

import "strings"

// Scope is where an action applies: Global everywhere, or one view.
type Scope string

// The scopes of the UI.
const (
	Global   Scope = "global"
	Explorer Scope = "explorer"
	Lineage  Scope = "lineage"
	Preview  Scope = "preview"
	Editor   Scope = "editor"
	Plan     Scope = "plan"
	History  Scope = "history"
	Dialog   Scope = "dialog"
)

// Action is one thing a key can do.
type Action struct {
	// Name is stable: code and tests match on it, never on keys.
	Name      string
	Keys      []string
	Help      string
	Scope     Scope
	Dangerous bool
	// Short marks actions shown in the footer (the rest only in full help).
	Short bool
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
		if km.index[a.Scope] == nil {
			km.index[a.Scope] = map[string]int{}
		}
		for _, k := range a.Keys {
			km.index[a.Scope][k] = i
		}
	}
	return km
}

// Lookup returns the name of the action bound to key in scope, falling back
// to the global scope; ok is false when the key does nothing there.
func (km *KeyMap) Lookup(scope Scope, key string) (name string, ok bool) {
	if i, ok := km.index[scope][key]; ok {
		return km.actions[i].Name, true
	}
	if i, ok := km.index[Global][key]; ok {
		return km.actions[i].Name, true
	}
	return "", false
}

// Has reports whether an action with that name exists (read-only maps lack
// the dangerous ones).
func (km *KeyMap) Has(name string) bool {
	for _, a := range km.actions {
		if a.Name == name {
			return true
		}
	}
	return false
}

// Scoped returns the actions of scope, then the global ones; with short only
// those marked for the footer.
func (km *KeyMap) Scoped(scope Scope, short bool) []Action {
	scopes := []Scope{scope, Global}
	if scope == Global {
		scopes = scopes[1:]
	}
	var out []Action
	for _, s := range scopes {
		for _, a := range km.actions {
			if a.Scope == s && (!short || a.Short) {
				out = append(out, a)
			}
		}
	}
	return out
}

// All returns every action in declaration order.
func (km *KeyMap) All() []Action { return append([]Action(nil), km.actions...) }
