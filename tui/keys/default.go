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
	TargetSwitch Name = "target.switch"

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
	PreviewCompare  Name = "preview.compare"

	EditorDone        Name = "editor.done"
	EditorRun         Name = "editor.run"
	EditorSave        Name = "editor.save"
	EditorComplete    Name = "editor.complete"
	EditorHistoryPrev Name = "editor.history.prev"
	EditorHistoryNext Name = "editor.history.next"

	CompleteAccept Name = "complete.accept"
	CompletePrev   Name = "complete.prev"
	CompleteNext   Name = "complete.next"
	CompleteClose  Name = "complete.close"

	ResultsExpand Name = "results.expand"
	ResultsChart  Name = "results.chart"
	ResultsX      Name = "results.x"
	ResultsSeries Name = "results.series"
	ResultsSort   Name = "results.sort"
	CopyRow       Name = "copy.row"
	CopyAll       Name = "copy.all"
	Export        Name = "export"

	Palette Name = "palette"
	Find    Name = "find"

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

	PaletteRun   Name = "palette.run"
	PalettePrev  Name = "palette.prev"
	PaletteNext  Name = "palette.next"
	PaletteClose Name = "palette.close"

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
		{Name: Quit, Keys: []string{"q"}, Help: "quit (asks first if edits or an apply would be lost)", Scopes: s(Global), Short: true, Hint: "quit"},
		{Name: ShowHelp, Keys: []string{"?"}, Help: "full help", Scopes: s(Global), Short: true, Hint: "help"},
		{Name: CloseHelp, Keys: []string{"?", "esc", "q"}, Help: "close the help", Scopes: s(Help), Short: true},
		{Name: ViewExplorer, Keys: []string{"1"}, Help: "Explorer view", Scopes: s(Global)},
		{Name: ViewLineage, Keys: []string{"2"}, Help: "Lineage view", Scopes: s(Global)},
		{Name: ViewPreview, Keys: []string{"3"}, Help: "Preview view", Scopes: s(Global)},
		{Name: ViewPlan, Keys: []string{"4"}, Help: "Plan view", Scopes: s(Global)},
		{Name: ViewHistory, Keys: []string{"5"}, Help: "History view", Scopes: s(Global)},
		{Name: Retry, Keys: []string{"ctrl+r"}, Help: "reload the remote (reconnect now)", Scopes: s(Global)},
		{Name: Palette, Keys: []string{":"}, Help: "command palette: run any action by name", Scopes: s(Global), Short: true, Hint: "palette"},
		{Name: Find, Keys: []string{"ctrl+p"}, Help: "find a resource or node by name and jump to it", Scopes: s(Global)},
		{Name: BranchNext, Keys: []string{"b"}, Help: "next branch of the workspace", Scopes: s(Global)},
		{Name: TargetSwitch, Keys: []string{"ctrl+t"}, Help: "switch target: another target of the project (perch.toml, local)", Scopes: s(Global)},
		{Name: Back, Keys: []string{"esc"}, Help: "back one level (cancels a running preview)", Scopes: s(Global, Params)},

		{Name: Up, Keys: []string{"up", "k"}, Help: "move / scroll up", Scopes: s(Global, Help)},
		{Name: Down, Keys: []string{"down", "j"}, Help: "move / scroll down", Scopes: s(Global, Help)},
		{Name: PageUp, Keys: []string{"pgup", "ctrl+u"}, Help: "page up", Scopes: s(Global, Help)},
		{Name: PageDown, Keys: []string{"pgdown", "ctrl+d"}, Help: "page down", Scopes: s(Global, Help)},
		{Name: Top, Keys: []string{"home", "g"}, Help: "first / top", Scopes: s(Global, Help)},
		{Name: Bottom, Keys: []string{"end", "G"}, Help: "last / end", Scopes: s(Global, Help)},
		{Name: Left, Keys: []string{"left", "h"}, Help: "scroll left", Scopes: s(Explorer)},
		{Name: Right, Keys: []string{"right", "l"}, Help: "scroll right", Scopes: s(Explorer)},

		{Name: ExplorerOpen, Keys: []string{"enter"}, Help: "open in lineage", Scopes: s(Explorer), Short: true, Hint: "lineage"},
		{Name: ExplorerGroup, Keys: []string{"s"}, Help: "group by status / kind / none", Scopes: s(Explorer), Short: true, Hint: "group"},
		{Name: ExplorerPreview, Keys: []string{"p"}, Help: "preview this pipe or data source", Scopes: s(Explorer), Short: true, Hint: "preview"},

		{Name: LineageFind, Keys: []string{"/"}, Help: "find a node", Scopes: s(Lineage), Short: true, Hint: "find"},
		{Name: Left, Keys: []string{"left", "h"}, Help: "node to the left", Scopes: s(Lineage)},
		{Name: Right, Keys: []string{"right", "l"}, Help: "node to the right", Scopes: s(Lineage)},
		{Name: LineageOpen, Keys: []string{"enter"}, Help: "open resource in explorer", Scopes: s(Lineage), Short: true, Hint: "explorer"},
		{Name: LineageFocus, Keys: []string{"f"}, Help: "toggle focus mode", Scopes: s(Lineage), Short: true, Hint: "focus"},
		{Name: LineageRemote, Keys: []string{"r"}, Help: "toggle local / remote graph", Scopes: s(Lineage), Short: true, Hint: "local/remote"},

		{Name: PreviewEdit, Keys: []string{"i"}, Help: "edit SQL here", Scopes: s(Preview), Short: true, Hint: "edit"},
		{Name: PreviewExternal, Keys: []string{"e"}, Help: "edit in $EDITOR (reloads on save)", Scopes: s(Preview)},
		{Name: PreviewPick, Keys: []string{"enter"}, Help: "pick node / run", Scopes: s(Preview), Short: true, Hint: "pick/run"},
		{Name: PreviewRun, Keys: []string{"R"}, Help: "run again", Scopes: s(Preview)},
		{Name: PreviewCompiled, Keys: []string{"c"}, Help: "show the compiled SQL of the last run / the node's SQL", Scopes: s(Preview)},
		{Name: PreviewSave, Keys: []string{"ctrl+s"}, Help: "save the edited SQL to the datafile", Scopes: s(Preview, Editor), Short: true, Hint: "save"},
		{Name: Copy, Keys: []string{"y"}, Help: "copy the SQL (compiled query after a run)", Scopes: s(Preview)},
		{Name: ResultsChart, Keys: []string{"v"}, Help: "chart the rows: table, line chart, bars", Scopes: s(Preview, Results), Short: true, Hint: "chart"},
		{Name: CopyAll, Keys: []string{"T"}, Help: "copy every row with the header (TSV)", Scopes: s(Preview, Results)},
		{Name: Export, Keys: []string{"E"}, Help: "export the rows to a file (.csv, .tsv, .json, .ndjson)", Scopes: s(Preview, Results), Short: true, Hint: "export"},
		{Name: PreviewCompare, Keys: []string{"B"}, Help: "compare on two branches: the node on the target and on another, side by side", Scopes: s(Preview), Short: true, Hint: "compare"},

		{Name: ResultsExpand, Keys: []string{"enter"}, Help: "show the whole cell", Scopes: s(Results), Short: true, Hint: "expand"},
		{Name: Left, Keys: []string{"left", "h"}, Help: "column to the left (scrolls)", Scopes: s(Results)},
		{Name: Right, Keys: []string{"right", "l"}, Help: "column to the right (scrolls)", Scopes: s(Results)},
		{Name: ResultsSort, Keys: []string{"o"}, Help: "sort by the column under the cursor (▲, ▼, off)", Scopes: s(Results), Short: true, Hint: "sort"},
		{Name: Copy, Keys: []string{"y"}, Help: "copy the cell", Scopes: s(Results), Short: true, Hint: "copy"},
		{Name: CopyRow, Keys: []string{"Y"}, Help: "copy the row (TSV with the header)", Scopes: s(Results)},
		{Name: ResultsX, Keys: []string{"X"}, Help: "x axis of the chart: next column", Scopes: s(Results)},
		{Name: ResultsSeries, Keys: []string{"S"}, Help: "series of the chart: next column, or all", Scopes: s(Results)},
		{Name: EditorDone, Keys: []string{"esc"}, Help: "stop editing", Scopes: s(Editor), Short: true, Hint: "done"},
		{Name: EditorRun, Keys: []string{"ctrl+r"}, Help: "run now", Scopes: s(Editor), Short: true, Hint: "run"},
		{Name: EditorComplete, Keys: []string{"tab"}, Help: "complete the name (tables, columns, nodes, parameters, functions)", Scopes: s(Editor), Short: true, Hint: "complete"},
		{Name: EditorHistoryPrev, Keys: []string{"ctrl+up"}, Help: "older query of this node (history kept in .perch/)", Scopes: s(Editor)},
		{Name: EditorHistoryNext, Keys: []string{"ctrl+down"}, Help: "newer query of this node", Scopes: s(Editor)},
		{Name: CompleteAccept, Keys: []string{"tab", "enter"}, Help: "insert the completion", Scopes: s(Completion), Short: true, Hint: "insert"},
		{Name: CompletePrev, Keys: []string{"up", "ctrl+p"}, Help: "previous completion", Scopes: s(Completion)},
		{Name: CompleteNext, Keys: []string{"down", "ctrl+n"}, Help: "next completion", Scopes: s(Completion)},
		{Name: CompleteClose, Keys: []string{"esc"}, Help: "close the completions", Scopes: s(Completion), Short: true, Hint: "close"},
		{Name: PreviewTest, Keys: []string{"t"}, Help: "run this pipe's tests (tests/PIPE.yaml) on a throwaway engine", Scopes: s(Preview)},

		{Name: ParamsPrev, Keys: []string{"up"}, Help: "previous parameter", Scopes: s(Params)},
		{Name: ParamsNext, Keys: []string{"down"}, Help: "next parameter", Scopes: s(Params)},
		{Name: ParamsRun, Keys: []string{"enter"}, Help: "run with these values", Scopes: s(Params), Short: true, Hint: "run"},
		{Name: InputDelete, Keys: []string{"backspace"}, Help: "delete a character", Scopes: s(Params, Input, DialogInput, PaletteInput)},

		{Name: InputDone, Keys: []string{"enter"}, Help: "keep", Scopes: s(Input), Short: true},
		{Name: InputCancel, Keys: []string{"esc"}, Help: "clear", Scopes: s(Input), Short: true},
		{Name: Up, Keys: []string{"up"}, Help: "move up", Scopes: s(Input)},
		{Name: Down, Keys: []string{"down"}, Help: "move down", Scopes: s(Input)},

		{Name: PlanStage, Keys: []string{"space"}, Help: "stage / unstage (dependencies follow)", Scopes: s(Plan), Short: true, Hint: "stage"},
		{Name: PlanSteps, Keys: []string{"enter"}, Help: "show steps and SQL", Scopes: s(Plan), Short: true, Hint: "steps"},
		{Name: PlanRefresh, Keys: []string{"R"}, Help: "recompute the plan", Scopes: s(Plan)},
		{Name: PlanApply, Keys: []string{"a"}, Help: "apply staged changes", Scopes: s(Plan), Short: true, Hint: "apply", Dangerous: true},
		{Name: Copy, Keys: []string{"y"}, Help: "copy the selected change's SQL", Scopes: s(Plan)},

		{Name: HistoryShow, Keys: []string{"enter"}, Help: "show / hide what it changed", Scopes: s(History), Short: true, Hint: "changes"},
		{Name: HistoryRevert, Keys: []string{"r"}, Help: "prepare a revert plan", Scopes: s(History), Short: true, Hint: "revert"},
		{Name: Copy, Keys: []string{"y"}, Help: "copy the deployment id", Scopes: s(History)},

		{Name: Filter, Keys: []string{"/"}, Help: "filter the list", Scopes: lists, Short: true, Hint: "filter"},
		{Name: FocusNext, Keys: []string{"tab"}, Help: "next pane", Scopes: s(Explorer, Preview, Plan, History, Params), Short: true, Hint: "next pane"},
		{Name: FocusPrev, Keys: []string{"shift+tab"}, Help: "previous pane", Scopes: s(Explorer, Preview, Plan, History, Params)},

		{Name: PaletteRun, Keys: []string{"enter"}, Help: "run / jump to the selected entry", Scopes: s(PaletteInput), Short: true},
		{Name: PalettePrev, Keys: []string{"up", "ctrl+p"}, Help: "previous entry", Scopes: s(PaletteInput)},
		{Name: PaletteNext, Keys: []string{"down", "ctrl+n", "tab"}, Help: "next entry", Scopes: s(PaletteInput)},
		{Name: PaletteClose, Keys: []string{"esc"}, Help: "close", Scopes: s(PaletteInput), Short: true},

		{Name: DialogConfirm, Keys: []string{"enter", "y"}, Help: "confirm", Scopes: s(Dialog), Short: true},
		{Name: DialogCancel, Keys: []string{"esc", "n"}, Help: "cancel", Scopes: s(Dialog), Short: true},
		{Name: DialogConfirm, Keys: []string{"enter"}, Help: "confirm what is typed", Scopes: s(DialogInput), Short: true},
		{Name: DialogCancel, Keys: []string{"esc"}, Help: "cancel", Scopes: s(DialogInput), Short: true},
	}
}
