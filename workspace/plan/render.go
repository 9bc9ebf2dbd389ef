package plan

import (
	"fmt"
	"io"
	"strings"

	"github.com/perchdata/perch/workspace"
)

// RenderOptions tunes the text rendering.
type RenderOptions struct {
	// SQL prints every step's statements.
	SQL bool
}

// Render writes the plan as text: one block per change with its marker
// (+ ~ -/+ -), method, reason, risk, estimate, downstream and steps, then
// the errors and a summary line.
func Render(w io.Writer, p *Plan, opts RenderOptions) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Plan for database %s (server %s), remote fingerprint %s\n", p.Database, p.Capabilities.Version, p.Fingerprint)
	if p.Cluster != "" {
		fmt.Fprintf(&b, "Cluster %s: %s\n", p.Cluster, strings.Join(p.Hosts, ", "))
	}
	if len(p.Warnings) > 0 {
		b.WriteString("\nWarnings:\n")
		for _, w := range p.Warnings {
			fmt.Fprintf(&b, "  * %s\n", w)
		}
	}
	if p.Empty() && len(p.Errors) == 0 {
		b.WriteString("\nNo changes. The workspace matches the project.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	for _, c := range p.Changes {
		b.WriteString("\n")
		fmt.Fprintf(&b, "%-3s %s %s  [%s]\n", c.Action.Marker(), c.Kind, c.Resource, c.Method)
		if len(c.Parts) > 0 {
			fmt.Fprintf(&b, "    changes:    %s\n", strings.Join(c.Parts, "; "))
		}
		for i, r := range c.Reasons {
			label := "why:"
			if i > 0 {
				label = ""
			}
			fmt.Fprintf(&b, "    %-11s %s\n", label, r)
		}
		risk := string(c.Risk)
		if c.Destructive {
			risk += " (needs --allow-destructive)"
		}
		fmt.Fprintf(&b, "    risk:       %s\n", risk)
		if c.EstRows > 0 || c.EstBytes > 0 {
			fmt.Fprintf(&b, "    moves:      ~%d rows, %s\n", c.EstRows, workspace.HumanBytes(c.EstBytes))
		}
		if c.Drifted {
			b.WriteString("    drifted:    changed on the server since the last deploy\n")
		}
		if len(c.Downstream) > 0 {
			fmt.Fprintf(&b, "    downstream: %s\n", strings.Join(c.Downstream, ", "))
		}
		if len(c.DependsOn) > 0 {
			fmt.Fprintf(&b, "    after:      %s\n", strings.Join(c.DependsOn, ", "))
		}
		for _, n := range c.Notes {
			fmt.Fprintf(&b, "    note:       %s\n", n)
		}
		for i, s := range c.Steps {
			fmt.Fprintf(&b, "    %d. %s\n", i+1, s.Title)
			if s.Hosts != "" {
				fmt.Fprintf(&b, "       on: %s\n", s.Hosts)
			}
			if opts.SQL {
				for _, q := range s.SQL {
					b.WriteString(indent(q, "         "))
				}
				if s.Check != "" {
					fmt.Fprintf(&b, "         check: %s\n", s.Check)
				}
			}
		}
	}
	if len(p.Errors) > 0 {
		b.WriteString("\nErrors (the plan cannot be applied):\n")
		for _, e := range p.Errors {
			fmt.Fprintf(&b, "  ! %s\n", e)
		}
	}
	s := p.Summary()
	fmt.Fprintf(&b, "\nPlan: %d to create, %d to update, %d to replace, %d to delete.", s.Create, s.Update, s.Replace, s.Delete)
	if ds := p.Destructive(); len(ds) > 0 {
		names := make([]string, len(ds))
		for i, c := range ds {
			names[i] = c.Resource
		}
		fmt.Fprintf(&b, " %d destroy data (need --allow-destructive): %s.", len(ds), strings.Join(names, ", "))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n") + "\n"
}
