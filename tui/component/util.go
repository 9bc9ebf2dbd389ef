package component

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Fit pads or cuts every line of s to exactly width columns and the block to
// exactly height lines, so panes join without shifting.
func Fit(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	for i, l := range lines {
		w := lipgloss.Width(l)
		switch {
		case w > width:
			lines[i] = ansi.Truncate(l, width, "")
		case w < width:
			lines[i] = l + strings.Repeat(" ", width-w)
		}
	}
	return strings.Join(lines, "\n")
}

// Overlay draws box centred over base (both width x height blocks of lines).
func Overlay(base, box string, width, height int) string {
	ol := strings.Split(box, "\n")
	return OverlayAt(base, box, max(0, (width-lipgloss.Width(box))/2), max(0, (height-len(ol))/2))
}

// OverlayAt draws box over base with its top left corner at column x,
// row y (what falls outside base is cut).
func OverlayAt(base, box string, x, y int) string {
	bl := strings.Split(base, "\n")
	ol := strings.Split(box, "\n")
	for i, line := range ol {
		row := y + i
		if row >= len(bl) {
			break
		}
		under := bl[row]
		left := ansi.Truncate(under, x, "")
		if w := lipgloss.Width(left); w < x {
			left += strings.Repeat(" ", x-w)
		}
		right := ansi.TruncateLeft(under, x+lipgloss.Width(line), "")
		bl[row] = left + line + right
	}
	return strings.Join(bl, "\n")
}
