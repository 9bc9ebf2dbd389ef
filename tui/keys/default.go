package keys

// The actions of perch's UI. A view handles the actions of its scopes (and
// the Global ones it lists); the root handles the rest.
const (
	Quit      Name = "quit"
	Interrupt Name = "interrupt"
	ShowHelp  Name = "help"
	CloseHelp Name = "help.close"

	ViewExplorer Name = "view.explorer"
	ViewLineage  Name = "view.lineage"
	ViewPreview  Name = "view.preview"
	ViewPlan     Name = "view.plan"
	ViewHistory  Name = "view.history"
	Retry        Name = "retry"
	BranchNext   Name = "branch.next"

	Filter    Name = "filter"
	Back      Name = "back"
	FocusNext Name = "focus.next"
	FocusPrev Name = "focus.prev"
	Up        Name = "up"
	Down      Name = "down"
	PageUp    Name = "pageup"
	PageDown  Name = "pagedown"
	Top       Name = "top"
	Bottom    Name = "bottom"
	Left      Name = "left"
	Right     Name = "right"
	Copy      Name = "copy"

	ExplorerOpen    Name = "explorer.open"
	ExplorerGroup   Name = "explorer.group"
	ExplorerPreview Name = "explorer.preview"

	LineageFind   Name = "lineage.find"
	LineageOpen   Name = "lineage.open"
	LineageFocus  Name = "lineage.focus"
	LineageRemote Name = "lineage.remote"

	PreviewEdit     Name = "preview.edit"
	PreviewExternal Name = "preview.external"
	PreviewPick     Name = "preview.pick"
	PreviewRun      Name = "preview.run"
	PreviewCompiled Name = "preview.compiled"
	PreviewSave     Name = "preview.save"
	PreviewTest     Name = "preview.test"

	EditorDone Name = "editor.done"
	EditorRun  Name = "editor.run"
	EditorSave Name = "editor.save"

	ParamsPrev Name = "params.prev"
	ParamsNext Name = "params.next"
	ParamsRun  Name = "params.run"

	InputDone   Name = "input.done"
	InputCancel Name = "input.cancel"
	InputDelete Name = "input.delete"

	PlanStage   Name = "plan.stage"
	PlanSteps   Name = "plan.steps"
	PlanRefresh Name = "plan.refresh"
	PlanApply   Name = "plan.apply"

	HistoryShow   Name = "history.show"
	HistoryRevert Name = "history.revert"

	DialogConfirm Name = "dialog.confirm"
	DialogCancel  Name = "dialog.cancel"
)

// s is shorthand for a scope list.
func s(scopes ...Scope) []Scope { return scopes }

// Default returns the actions of perch's UI.
func Default() []Action {
	lists := s(Explorer, Preview, History)
	return []Action{
		{Name: Interrupt, Keys: []string{"ctrl+c"}, Help: "quit (asks first if edits or an apply would be lost)", Scopes: s(Always)},
		{Name: Quit, Keys: []string{"q"}, Help: "quit (asks first if edits or an apply would be lost)", Scopes: s(Global), Short: true},
		{Name: ShowHelp, Keys: []string{"?"}, Help: "full help", Scopes: s(Global), Short: true},
		{Name: CloseHelp, Keys: []string{"?", "esc", "q"}, Help: "close the help", Scopes: s(Help), Short: true},
		{Name: ViewExplorer, Keys: []string{"1"}, Help: "Explorer view", Scopes: s(Global)},
		{Name: ViewLineage, Keys: []string{"2"}, Help: "Lineage view", Scopes: s(Global)},
		{Name: ViewPreview, Keys: []string{"3"}, Help: "Preview view", Scopes: s(Global)},
		{Name: ViewPlan, Keys: []string{"4"}, Help: "Plan view", Scopes: s(Global)},
		{Name: ViewHistory, Keys: []string{"5"}, Help: "History view", Scopes: s(Global)},
		{Name: Retry, Keys: []string{"ctrl+r"}, Help: "reload the remote (reconnect now)", Scopes: s(Global)},
		{Name: BranchNext, Keys: []string{"b"}, Help: "next branch of the workspace", Scopes: s(Global)},
		{Name: Back, Keys: []string{"esc"}, Help: "back one level (cancels a running preview)", Scopes: s(Global, Params)},

		{Name: Up, Keys: []string{"up", "k"}, Help: "move / scroll up", Scopes: s(Global, Help)},
		{Name: Down, Keys: []string{"down", "j"}, Help: "move / scroll down", Scopes: s(Global, Help)},
		{Name: PageUp, Keys: []string{"pgup", "ctrl+u"}, Help: "page up", Scopes: s(Global, Help)},
		{Name: PageDown, Keys: []string{"pgdown", "ctrl+d"}, Help: "page down", Scopes: s(Global, Help)},
		{Name: Top, Keys: []string{"home", "g"}, Help: "first / top", Scopes: s(Global, Help)},
		{Name: Bottom, Keys: []string{"end", "G"}, Help: "last / end", Scopes: s(Global, Help)},
		{Name: Left, Keys: []string{"left", "h"}, Help: "scroll left", Scopes: s(Explorer, Preview)},
		{Name: Right, Keys: []string{"right", "l"}, Help: "scroll right", Scopes: s(Explorer, Preview)},

		{Name: ExplorerOpen, Keys: []string{"enter"}, Help: "open in lineage", Scopes: s(Explorer), Short: true},
		{Name: ExplorerGroup, Keys: []string{"s"}, Help: "group by status / kind / none", Scopes: s(Explorer), Short: true},
		{Name: ExplorerPreview, Keys: []string{"p"}, Help: "preview this pipe or data source", Scopes: s(Explorer), Short: true},

		{Name: LineageFind, Keys: []string{"/"}, Help: "find a node", Scopes: s(Lineage), Short: true},
		{Name: Left, Keys: []string{"left", "h"}, Help: "node to the left", Scopes: s(Lineage)},
		{Name: Right, Keys: []string{"right", "l"}, Help: "node to the right", Scopes: s(Lineage)},
		{Name: LineageOpen, Keys: []string{"enter"}, Help: "open resource in explorer", Scopes: s(Lineage), Short: true},
		{Name: LineageFocus, Keys: []string{"f"}, Help: "toggle focus mode", Scopes: s(Lineage), Short: true},
		{Name: LineageRemote, Keys: []string{"r"}, Help: "toggle local / remote graph", Scopes: s(Lineage), Short: true},

		{Name: PreviewEdit, Keys: []string{"i"}, Help: "edit SQL here", Scopes: s(Preview), Short: true},
		{Name: PreviewExternal, Keys: []string{"e"}, Help: "edit in $EDITOR (reloads on save)", Scopes: s(Preview)},
		{Name: PreviewPick, Keys: []string{"enter"}, Help: "pick node / run", Scopes: s(Preview), Short: true},
		{Name: PreviewRun, Keys: []string{"R"}, Help: "run again", Scopes: s(Preview)},
		{Name: PreviewCompiled, Keys: []string{"c"}, Help: "show the compiled SQL of the last run / the node's SQL", Scopes: s(Preview)},
		{Name: PreviewSave, Keys: []string{"ctrl+s"}, Help: "save the edited SQL to the datafile", Scopes: s(Preview, Editor), Short: true},
		{Name: Copy, Keys: []string{"y"}, Help: "copy the SQL (compiled query after a run)", Scopes: s(Preview)},
		{Name: PreviewTest, Keys: []string{"t"}, Help: "run this pipe's tests (tests/PIPE.yaml) on a throwaway engine", Scopes: s(Preview)},
		{Name: EditorDone, Keys: []string{"esc"}, Help: "stop editing", Scopes: s(Editor), Short: true},
		{Name: EditorRun, Keys: []string{"ctrl+r"}, Help: "run now", Scopes: s(Editor), Short: true},

		{Name: ParamsPrev, Keys: []string{"up"}, Help: "previous parameter", Scopes: s(Params)},
		{Name: ParamsNext, Keys: []string{"down"}, Help: "next parameter", Scopes: s(Params)},
		{Name: ParamsRun, Keys: []string{"enter"}, Help: "run with these values", Scopes: s(Params), Short: true},
		{Name: InputDelete, Keys: []string{"backspace"}, Help: "delete a character", Scopes: s(Params, Input, DialogInput)},

		{Name: InputDone, Keys: []string{"enter"}, Help: "keep", Scopes: s(Input), Short: true},
		{Name: InputCancel, Keys: []string{"esc"}, Help: "clear", Scopes: s(Input), Short: true},
		{Name: Up, Keys: []string{"up"}, Help: "move up", Scopes: s(Input)},
		{Name: Down, Keys: []string{"down"}, Help: "move down", Scopes: s(Input)},

		{Name: PlanStage, Keys: []string{"space"}, Help: "stage / unstage (dependencies follow)", Scopes: s(Plan), Short: true},
		{Name: PlanSteps, Keys: []string{"enter"}, Help: "show steps and SQL", Scopes: s(Plan), Short: true},
		{Name: PlanRefresh, Keys: []string{"R"}, Help: "recompute the plan", Scopes: s(Plan)},
		{Name: PlanApply, Keys: []string{"a"}, Help: "apply staged changes", Scopes: s(Plan), Short: true, Dangerous: true},
		{Name: Copy, Keys: []string{"y"}, Help: "copy the selected change's SQL", Scopes: s(Plan)},

		{Name: HistoryShow, Keys: []string{"enter"}, Help: "show / hide what it changed", Scopes: s(History), Short: true},
		{Name: HistoryRevert, Keys: []string{"r"}, Help: "prepare a revert plan", Scopes: s(History), Short: true},
		{Name: Copy, Keys: []string{"y"}, Help: "copy the deployment id", Scopes: s(History)},

		{Name: Filter, Keys: []string{"/"}, Help: "filter the list", Scopes: lists, Short: true},
		{Name: FocusNext, Keys: []string{"tab"}, Help: "next pane", Scopes: s(Explorer, Preview, Plan, History, Params), Short: true},
		{Name: FocusPrev, Keys: []string{"shift+tab"}, Help: "previous pane", Scopes: s(Explorer, Preview, Plan, History, Params)},

		{Name: DialogConfirm, Keys: []string{"enter", "y"}, Help: "confirm", Scopes: s(Dialog), Short: true},
		{Name: DialogCancel, Keys: []string{"esc", "n"}, Help: "cancel", Scopes: s(Dialog), Short: true},
		{Name: DialogConfirm, Keys: []string{"enter"}, Help: "confirm this name", Scopes: s(DialogInput), Short: true},
		{Name: DialogCancel, Keys: []string{"esc"}, Help: "cancel", Scopes: s(DialogInput), Short: true},
	}
}
