// Package theme holds the colours and Lip Gloss styles of the perch terminal
// UI. A Theme is a plain value handed to every pane; there is no global state.
package theme

import (
	"fmt"
	"image/color"

	"charm.land/lipgloss/v2"
)

// Palette is the set of colours a theme is built from.
type Palette struct {
	Fg, Muted, Faint, Accent, Border, SelBg, SelFg, HeaderBg, HeaderFg color.Color
	Added, Removed, Changed, Error, Warning, OK, Info                  color.Color
	// Upstream and Downstream colour the lineage paths into and out of the
	// selection: hues far apart, also in 256 colours.
	Upstream, Downstream                                          color.Color
	Keyword, Builtin, Function, String, Number, Comment, Operator color.Color
	Template, Directive                                           color.Color
}

// Theme is a named palette with the styles derived from it.
type Theme struct {
	// Name is "dark" or "light"; it keys render caches.
	Name    string
	Palette Palette

	Text, Muted, Faint, Accent, Bold lipgloss.Style
	Header, Footer, FooterKey        lipgloss.Style
	Selected, Cursor                 lipgloss.Style
	PaneTitle, PaneTitleFocused      lipgloss.Style
	Border, BorderFocused            lipgloss.Style
	Added, Removed, Changed          lipgloss.Style
	Error, Warning, OK, Info         lipgloss.Style
	Upstream, Downstream             lipgloss.Style
	Banner, Dialog, Badge            lipgloss.Style
	// Token styles used by the syntax highlighter.
	Keyword, Builtin, Function, String, Number, Comment, Operator, Template, Directive lipgloss.Style
}

// Dark is the default theme for dark terminals.
func Dark() *Theme {
	return build("dark", Palette{
		Fg: lipgloss.Color("#D8DEE9"), Muted: lipgloss.Color("#8A93A6"), Faint: lipgloss.Color("#5C6370"),
		Accent: lipgloss.Color("#7AA2F7"), Border: lipgloss.Color("#3B4252"),
		SelBg: lipgloss.Color("#2E3A59"), SelFg: lipgloss.Color("#FFFFFF"),
		HeaderBg: lipgloss.Color("#1F2335"), HeaderFg: lipgloss.Color("#C0CAF5"),
		Added: lipgloss.Color("#9ECE6A"), Removed: lipgloss.Color("#F7768E"), Changed: lipgloss.Color("#E0AF68"),
		Error: lipgloss.Color("#F7768E"), Warning: lipgloss.Color("#E0AF68"), OK: lipgloss.Color("#9ECE6A"), Info: lipgloss.Color("#7DCFFF"),
		Upstream: lipgloss.Color("#7DCFFF"), Downstream: lipgloss.Color("#BB9AF7"),
		Keyword: lipgloss.Color("#BB9AF7"), Builtin: lipgloss.Color("#2AC3DE"), Function: lipgloss.Color("#7AA2F7"),
		String: lipgloss.Color("#9ECE6A"), Number: lipgloss.Color("#FF9E64"), Comment: lipgloss.Color("#565F89"),
		Operator: lipgloss.Color("#89DDFF"), Template: lipgloss.Color("#E0AF68"), Directive: lipgloss.Color("#F7768E"),
	})
}

// Light is the theme for light terminals.
func Light() *Theme {
	return build("light", Palette{
		Fg: lipgloss.Color("#24292F"), Muted: lipgloss.Color("#57606A"), Faint: lipgloss.Color("#8C959F"),
		Accent: lipgloss.Color("#0969DA"), Border: lipgloss.Color("#D0D7DE"),
		SelBg: lipgloss.Color("#DDF4FF"), SelFg: lipgloss.Color("#0A3069"),
		HeaderBg: lipgloss.Color("#F6F8FA"), HeaderFg: lipgloss.Color("#24292F"),
		Added: lipgloss.Color("#1A7F37"), Removed: lipgloss.Color("#CF222E"), Changed: lipgloss.Color("#9A6700"),
		Error: lipgloss.Color("#CF222E"), Warning: lipgloss.Color("#9A6700"), OK: lipgloss.Color("#1A7F37"), Info: lipgloss.Color("#0550AE"),
		Upstream: lipgloss.Color("#0550AE"), Downstream: lipgloss.Color("#BF3989"),
		Keyword: lipgloss.Color("#8250DF"), Builtin: lipgloss.Color("#0550AE"), Function: lipgloss.Color("#6639BA"),
		String: lipgloss.Color("#0A3069"), Number: lipgloss.Color("#953800"), Comment: lipgloss.Color("#6E7781"),
		Operator: lipgloss.Color("#CF222E"), Template: lipgloss.Color("#9A6700"), Directive: lipgloss.Color("#CF222E"),
	})
}

// ByName returns the theme called name ("dark" or "light").
func ByName(name string) (*Theme, error) {
	switch name {
	case "", "dark":
		return Dark(), nil
	case "light":
		return Light(), nil
	}
	return nil, fmt.Errorf("theme %q: want dark or light", name)
}

func build(name string, p Palette) *Theme {
	fg := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	t := &Theme{Name: name, Palette: p}
	t.Text = fg(p.Fg)
	t.Muted = fg(p.Muted)
	t.Faint = fg(p.Faint)
	t.Accent = fg(p.Accent)
	t.Bold = fg(p.Fg).Bold(true)
	t.Header = lipgloss.NewStyle().Foreground(p.HeaderFg).Background(p.HeaderBg)
	t.Footer = fg(p.Muted)
	t.FooterKey = fg(p.Accent).Bold(true)
	t.Selected = lipgloss.NewStyle().Foreground(p.SelFg).Background(p.SelBg).Bold(true)
	t.Cursor = lipgloss.NewStyle().Reverse(true)
	t.PaneTitle = fg(p.Muted).Bold(true)
	t.PaneTitleFocused = fg(p.Accent).Bold(true)
	t.Border = lipgloss.NewStyle().BorderStyle(lipgloss.RoundedBorder()).BorderForeground(p.Border)
	t.BorderFocused = lipgloss.NewStyle().BorderStyle(lipgloss.RoundedBorder()).BorderForeground(p.Accent)
	t.Added = fg(p.Added)
	t.Removed = fg(p.Removed)
	t.Changed = fg(p.Changed)
	t.Error = fg(p.Error).Bold(true)
	t.Warning = fg(p.Warning)
	t.OK = fg(p.OK)
	t.Info = fg(p.Info)
	t.Upstream = fg(p.Upstream).Bold(true)
	t.Downstream = fg(p.Downstream).Bold(true)
	t.Banner = lipgloss.NewStyle().Foreground(p.SelFg).Background(p.Removed).Bold(true)
	t.Dialog = lipgloss.NewStyle().BorderStyle(lipgloss.DoubleBorder()).BorderForeground(p.Warning).Padding(0, 1)
	t.Badge = lipgloss.NewStyle().Bold(true).Padding(0, 1)
	t.Keyword = fg(p.Keyword).Bold(true)
	t.Builtin = fg(p.Builtin)
	t.Function = fg(p.Function)
	t.String = fg(p.String)
	t.Number = fg(p.Number)
	t.Comment = fg(p.Comment).Italic(true)
	t.Operator = fg(p.Operator)
	t.Template = fg(p.Template).Bold(true)
	t.Directive = fg(p.Directive).Bold(true)
	return t
}
