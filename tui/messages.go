package tui

import tea "charm.land/bubbletea/v2"

// paneID names the pane an asynchronous reply belongs to.
type paneID int

// The panes that issue requests.
const (
	paneRemote paneID = iota
	paneLineage
	panePreview
	paneParams
	paneSave
	panePlan
	paneApply
	paneHistory
	paneFiles
	paneLocal
	paneDiagnose
	paneVocab
	paneQueries
	paneTests
	paneSides
	numPanes
)

// reply is the envelope of every asynchronous result: it returns to the pane
// that asked, and is dropped when the pane has asked again since.
type reply struct {
	pane paneID
	req  uint64
	msg  tea.Msg
}

// Domain results carried inside replies.
type (
	localMsg struct {
		local *Local
		err   error
	}
	diagnoseMsg struct {
		local *Local
		err   error
	}
	remoteMsg struct {
		remote *Remote
		err    error
	}
)

// Timers (not envelopes: they carry their own tags).
type (
	retryMsg struct{ attempt int }
	graceMsg struct{}
	// activityMsg carries the text of Options.Activity; activityTickMsg asks for it again.
	activityMsg     struct{ text string }
	activityTickMsg struct{}
)
