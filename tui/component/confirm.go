package component

import (
	"strings"
	"time"

	"github.com/perchdata/perch/tui/theme"
)

// GracePeriod is how long a new dialog ignores confirmations, so a keystroke
// already in flight cannot confirm a dialog that just opened.
const GracePeriod = 400 * time.Millisecond

// Verdict is the outcome of a key in a dialog.
type Verdict int

// The verdicts of a dialog key.
const (
	Pending Verdict = iota
	Confirmed
	Cancelled
)

// Confirm is a modal confirmation. When Require is set, the user must type it
// (the resource name of a destructive change) before enter confirms.
type Confirm struct {
	Title   string
	Body    []string
	Require string
	Typed   string
	Opened  time.Time
}

// Key handles one key press at time now.
func (c *Confirm) Key(key, text string, now time.Time) Verdict {
	switch key {
	case "esc", "ctrl+c":
		return Cancelled
	case "enter":
		if now.Sub(c.Opened) < GracePeriod {
			return Pending
		}
		if c.Require != "" && c.Typed != c.Require {
			return Pending
		}
		return Confirmed
	case "backspace":
		if c.Typed != "" {
			r := []rune(c.Typed)
			c.Typed = string(r[:len(r)-1])
		}
		return Pending
	case "n":
		if c.Require == "" {
			return Cancelled
		}
	case "y":
		if c.Require == "" {
			if now.Sub(c.Opened) < GracePeriod {
				return Pending
			}
			return Confirmed
		}
	}
	if c.Require != "" && text != "" {
		c.Typed += text
	}
	return Pending
}

// Render draws the dialog box (to be overlaid on the screen).
func (c *Confirm) Render(t *theme.Theme, now time.Time, width int) string {
	w := min(width-4, 72)
	var lines []string
	lines = append(lines, t.Warning.Bold(true).Render(c.Title), "")
	lines = append(lines, c.Body...)
	lines = append(lines, "")
	if c.Require != "" {
		lines = append(lines, "Type "+t.Bold.Render(c.Require)+" to confirm:")
		lines = append(lines, "> "+c.Typed+t.Cursor.Render(" "))
	}
	hint := "enter confirm · esc cancel"
	if c.Require == "" {
		hint = "y/enter confirm · n/esc cancel"
	}
	if now.Sub(c.Opened) < GracePeriod {
		hint = "(wait…) " + hint
	}
	lines = append(lines, t.Muted.Render(hint))
	for i, l := range lines {
		lines[i] = Fit(l, w-4, 1)
	}
	return t.Dialog.Render(strings.Join(lines, "\n"))
}
