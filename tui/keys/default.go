package keys

// Default returns the actions of perch's UI.
func Default() []Action {
	return []Action{
		{Name: "quit", Keys: []string{"q", "ctrl+c"}, Help: "quit", Scope: Global, Short: true},
		{Name: "help", Keys: []string{"?"}, Help: "toggle full help", Scope: Global, Short: true},
		{Name: "view.explorer", Keys: []string{"1"}, Help: "Explorer view", Scope: Global},
		{Name: "view.lineage", Keys: []string{"2"}, Help: "Lineage view", Scope: Global},
		{Name: "view.preview", Keys: []string{"3"}, Help: "Preview view", Scope: Global},
		{Name: "view.plan", Keys: []string{"4"}, Help: "Plan view", Scope: Global},
		{Name: "view.history", Keys: []string{"5"}, Help: "History view", Scope: Global},
		{Name: "filter", Keys: []string{"/"}, Help: "filter the list (lineage: find a node)", Scope: Global, Short: true},
		{Name: "back", Keys: []string{"esc"}, Help: "back / clear filter", Scope: Global},
		{Name: "focus.next", Keys: []string{"tab"}, Help: "next pane", Scope: Global},
		{Name: "retry", Keys: []string{"ctrl+r"}, Help: "reload the remote (reconnect now)", Scope: Global},
		{Name: "branch.next", Keys: []string{"b"}, Help: "next branch of the workspace", Scope: Global},
		{Name: "up", Keys: []string{"up", "k"}, Help: "move up", Scope: Global},
		{Name: "down", Keys: []string{"down", "j"}, Help: "move down", Scope: Global},
		{Name: "pageup", Keys: []string{"pgup", "ctrl+u"}, Help: "page up", Scope: Global},
		{Name: "pagedown", Keys: []string{"pgdown", "ctrl+d"}, Help: "page down", Scope: Global},
		{Name: "top", Keys: []string{"home", "g"}, Help: "first", Scope: Global},
		{Name: "bottom", Keys: []string{"end", "G"}, Help: "last", Scope: Global},

		{Name: "explorer.open", Keys: []string{"enter"}, Help: "open in lineage", Scope: Explorer, Short: true},
		{Name: "explorer.group", Keys: []string{"s"}, Help: "group by status / kind / none", Scope: Explorer, Short: true},
		{Name: "explorer.preview", Keys: []string{"p"}, Help: "preview this pipe", Scope: Explorer, Short: true},
		{Name: "explorer.scroll.down", Keys: []string{"J", "shift+down"}, Help: "scroll definitions down", Scope: Explorer},
		{Name: "explorer.scroll.up", Keys: []string{"K", "shift+up"}, Help: "scroll definitions up", Scope: Explorer},

		{Name: "lineage.left", Keys: []string{"left", "h"}, Help: "node to the left", Scope: Lineage},
		{Name: "lineage.right", Keys: []string{"right", "l"}, Help: "node to the right", Scope: Lineage},
		{Name: "lineage.open", Keys: []string{"enter"}, Help: "open resource in explorer", Scope: Lineage, Short: true},
		{Name: "lineage.focus", Keys: []string{"f"}, Help: "toggle focus mode", Scope: Lineage, Short: true},
		{Name: "lineage.remote", Keys: []string{"r"}, Help: "toggle local / remote graph", Scope: Lineage, Short: true},

		{Name: "preview.edit", Keys: []string{"i"}, Help: "edit SQL here", Scope: Preview, Short: true},
		{Name: "preview.external", Keys: []string{"e"}, Help: "edit in $EDITOR (reloads on save)", Scope: Preview, Short: true},
		{Name: "preview.params", Keys: []string{"tab"}, Help: "parameters / results", Scope: Preview, Short: true},
		{Name: "preview.pick", Keys: []string{"enter"}, Help: "pick node / run", Scope: Preview, Short: true},
		{Name: "preview.run", Keys: []string{"ctrl+r"}, Help: "run again", Scope: Preview},
		{Name: "preview.compiled", Keys: []string{"c"}, Help: "show the compiled SQL of the last run / the node's SQL", Scope: Preview},
		{Name: "preview.left", Keys: []string{"left", "h"}, Help: "scroll columns left", Scope: Preview},
		{Name: "preview.right", Keys: []string{"right", "l"}, Help: "scroll columns right", Scope: Preview},
		{Name: "editor.done", Keys: []string{"esc"}, Help: "stop editing", Scope: Editor, Short: true},
		{Name: "editor.run", Keys: []string{"ctrl+r"}, Help: "run now", Scope: Editor, Short: true},

		{Name: "plan.stage", Keys: []string{"space"}, Help: "stage / unstage (dependencies follow)", Scope: Plan, Short: true},
		{Name: "plan.steps", Keys: []string{"enter"}, Help: "show steps and SQL", Scope: Plan, Short: true},
		{Name: "plan.refresh", Keys: []string{"R"}, Help: "recompute the plan", Scope: Plan},
		{Name: "plan.apply", Keys: []string{"a"}, Help: "apply staged changes", Scope: Plan, Short: true, Dangerous: true},

		{Name: "history.show", Keys: []string{"enter"}, Help: "show what it changed", Scope: History, Short: true},
		{Name: "history.revert", Keys: []string{"r"}, Help: "prepare a revert plan", Scope: History, Short: true},

		{Name: "dialog.confirm", Keys: []string{"enter"}, Help: "confirm", Scope: Dialog, Short: true},
		{Name: "dialog.cancel", Keys: []string{"esc", "n"}, Help: "cancel", Scope: Dialog, Short: true},
	}
}
