package component

import (
	"fmt"
	"strings"
	"time"

	"github.com/perchdata/perch/tui/theme"
)

// GracePeriod is how long a new dialog ignores confirmations, so a keystroke
// already in flight cannot confirm a dialog that just opened.
const GracePeriod = 400 * time.Millisecond

// Verdict is the outcome of confirming a dialog.
type Verdict int

// The verdicts of a dialog.
const (
	Pending Verdict = iota
	Confirmed
)

// Confirm is a modal confirmation. When Require is set, the user types each
// name in turn (the resource of every destructive change), confirming each
// with its own Confirm; the dialog is confirmed after the last one. The
// caller maps keys to its methods (through the keymap).
type Confirm struct {
	Title string
	Body  []string
	// Require are the names to type, in order; Why[i] says what Require[i]
	// confirms (the change).
	Require []string
	Why     []string
	// Typed is the text typed for the current name.
	Typed  string
	Opened time.Time
	step   int
}

// NeedsName reports whether the dialog waits for a name to be typed.
func (c *Confirm) NeedsName() bool { return c.step < len(c.Require) }

// Type adds text to the name being typed.
func (c *Confirm) Type(text string) {
	if c.NeedsName() {
		c.Typed += text
	}
}

// Delete removes the last character typed.
func (c *Confirm) Delete() {
	if r := []rune(c.Typed); len(r) > 0 {
		c.Typed = string(r[:len(r)-1])
	}
}

// Confirm confirms at time now: nothing within the grace period, the
// current name when it was typed exactly (then the next one is asked), and
// the dialog once every name is confirmed.
func (c *Confirm) Confirm(now time.Time) Verdict {
	if now.Sub(c.Opened) < GracePeriod {
		return Pending
	}
	if c.NeedsName() {
		if c.Typed != c.Require[c.step] {
			return Pending
		}
		c.step++
		c.Typed = ""
		if c.NeedsName() {
			c.Opened = now // a second enter in flight must not skip on
			return Pending
		}
	}
	return Confirmed
}

// Approved returns the names confirmed so far.
func (c *Confirm) Approved() []string { return append([]string(nil), c.Require[:c.step]...) }

// Render draws the dialog box (to be overlaid on the screen) at most width
// wide and height high; long lines wrap.
func (c *Confirm) Render(t *theme.Theme, now time.Time, width, height int) string {
	w := max(10, min(width-4, 80)-4) // inside the border and padding
	var lines []string
	lines = append(lines, Wrap([]string{t.Warning.Bold(true).Render(c.Title)}, w)...)
	lines = append(lines, "")
	var tail []string
	if len(c.Require) > 0 {
		tail = append(tail, "")
		for i, name := range c.Require {
			why := ""
			if i < len(c.Why) {
				why = " — " + c.Why[i]
			}
			switch {
			case i < c.step:
				tail = append(tail, t.OK.Render("✓ "+name)+t.Muted.Render(why))
			case i == c.step:
				tail = append(tail, fmt.Sprintf("%d of %d: type %s to confirm%s", i+1, len(c.Require), t.Bold.Render(name), t.Muted.Render(why)))
				tail = append(tail, "> "+c.Typed+t.Cursor.Render(" "))
			default:
				tail = append(tail, t.Faint.Render("· "+name+why))
			}
		}
	}
	hint := "enter confirm · esc cancel"
	if len(c.Require) == 0 {
		hint = "y/enter confirm · n/esc cancel"
	}
	if now.Sub(c.Opened) < GracePeriod {
		hint = "(wait…) " + hint
	}
	tail = append(tail, "", t.Muted.Render(hint))
	tail = Wrap(tail, w)
	body := Wrap(c.Body, w)
	room := max(1, height-2-len(lines)-len(tail))
	if len(body) > room {
		n := len(body) - room + 1
		body = append(body[:room-1], t.Muted.Render(fmt.Sprintf("… and %d more line(s)", n)))
	}
	lines = append(append(lines, body...), tail...)
	for i, l := range lines {
		lines[i] = Fit(l, w, 1)
	}
	return t.Dialog.Render(strings.Join(lines, "\n"))
}
