package datafiles

import (
	"strconv"
	"strings"
)

// The canonical style the formatters write: directives in upper case,
// multiline bodies indented four spaces, one blank line between sections,
// SCHEMA column names backquoted, single-line values quoted when that reads
// back unchanged. Blank and # lines inside bodies are dropped (the parser
// drops them too), so format(parse(x)) is stable and parses back to an equal
// model.

// blockIndent is the indentation of multiline bodies.
const blockIndent = "    "

// printer builds a datafile section by section.
type printer struct {
	b       strings.Builder
	section bool // a section was written; the next one starts after a blank line
	open    bool // lines are being added to the current section
}

// start begins a new section.
func (p *printer) start() {
	if p.section && !p.open {
		p.b.WriteByte('\n')
	}
	p.section, p.open = true, true
}

// end closes the current section.
func (p *printer) end() { p.open = false }

// line writes one line in the current section.
func (p *printer) line(s string) {
	if !p.open {
		p.start()
	}
	p.b.WriteString(s)
	p.b.WriteByte('\n')
}

// directive writes `DIR value` with the value quoted canonically. A value
// no single line can hold (it has both kinds of quote in a way the lexer
// cannot read back) is written as a one-line block in double quotes.
func (p *printer) directive(dir, value string) {
	if q, ok := quoteValue(value); ok {
		p.line(dir + " " + q)
		return
	}
	p.line(dir + " >")
	p.line(blockIndent + `"` + value + `"`)
}

// bare writes `DIR value` unquoted when the value reads back unchanged.
func (p *printer) bare(dir, value string) {
	if readsBack(value, value) {
		p.line(dir + " " + value)
		return
	}
	p.directive(dir, value)
}

// block writes `DIR >` and the body indented; lines that hold no token are
// dropped, as the parser would drop them.
func (p *printer) block(dir, body string) {
	p.line(dir + " >")
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimRight(l, " \t\r")
		if toks, _ := lexLine(l); len(toks) == 0 {
			continue
		}
		p.line(blockIndent + l)
	}
}

// String returns the text printed so far.
func (p *printer) String() string { return p.b.String() }

// readsBack reports whether written, as the value of a single-line
// directive, parses back to want (without environment substitution).
func readsBack(written, want string) bool {
	if strings.Contains(written, "\n") {
		return false
	}
	toks, bad := lexLine(written)
	if bad != 0 || len(toks) == 0 {
		return false
	}
	return unquoteOnce(joinRaw(toks)) == want
}

// quoteValue writes a single-line value so that it reads back unchanged:
// in double quotes when it holds no double quote, else in single quotes
// when it holds no single quote, else as is when that reads back. ok is
// false when no single line reads back as v.
func quoteValue(v string) (string, bool) {
	var candidates []string
	switch {
	case !strings.Contains(v, `"`):
		candidates = []string{`"` + v + `"`, `'` + v + `'`, v}
	case !strings.Contains(v, "'"):
		candidates = []string{`'` + v + `'`, v, `"` + v + `"`}
	default:
		candidates = []string{v, `"` + v + `"`, `'` + v + `'`}
	}
	for _, c := range candidates {
		if readsBack(c, v) {
			return c, true
		}
	}
	return candidates[0], false
}

// quoteToken writes a value read as one token (its quotes removed and
// escapes applied, as TOKEN names are) in double quotes, escaping \ and ".
func quoteToken(v string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), `"`, `\"`) + `"`
}

// FormatDatasource prints a data source in the canonical style.
func FormatDatasource(d *Datasource) string {
	var p printer
	if d.Version > 0 {
		p.line("VERSION " + strconv.Itoa(d.Version))
		p.end()
	}
	if d.Description != "" {
		p.block("DESCRIPTION", d.Description)
		p.end()
	}
	formatTokens(&p, d.Tokens)
	if len(d.Tags) > 0 {
		p.directive("TAGS", strings.Join(d.Tags, ", "))
		p.end()
	}
	if len(d.SharedWith) > 0 {
		p.block("SHARED_WITH", strings.Join(d.SharedWith, "\n"))
		p.end()
	}
	if len(d.Columns) > 0 {
		p.line("SCHEMA >")
		for i, c := range d.Columns {
			l := blockIndent + formatColumn(c)
			if i < len(d.Columns)-1 {
				l += ","
			}
			if c.Comment != "" {
				l += " -- " + c.Comment
			}
			p.line(l)
		}
		p.end()
	}
	if len(d.Indexes) > 0 {
		p.line("INDEXES >")
		for _, ix := range d.Indexes {
			name := ix.Name
			if !isIdentifier(name) || strings.EqualFold(name, "INDEX") || datasourceDirectives.allows(strings.ToUpper(name)) {
				name = backquote(name) // else read as the INDEX prefix or a directive
			}
			l := blockIndent + name + " " + ix.Expr + " TYPE " + ix.Type
			if ix.Granularity > 0 {
				l += " GRANULARITY " + strconv.Itoa(ix.Granularity)
			}
			p.line(l)
		}
		p.end()
	}
	formatEngine(&p, d.Engine)
	p.end()
	formatSettings(&p, d.Kafka)
	formatSettings(&p, d.Import)
	if d.ForwardQuery != "" {
		p.block("FORWARD_QUERY", d.ForwardQuery)
		p.end()
	}
	if d.Backfill != "" {
		p.bare("BACKFILL", d.Backfill)
		p.end()
	}
	return p.String()
}

// formatColumn prints one SCHEMA column without its trailing comma.
func formatColumn(c Column) string {
	var b strings.Builder
	b.WriteString(backquote(c.Name) + " " + c.Type)
	if c.JSONPath != "" {
		b.WriteString(" " + backquote("json:"+c.JSONPath))
	}
	if c.DefaultKind != "" {
		b.WriteString(" " + c.DefaultKind + " " + c.Default)
	}
	if c.Codec != "" {
		b.WriteString(" CODEC(" + c.Codec + ")")
	}
	return b.String()
}

func formatTokens(p *printer, tokens []Token) {
	for _, t := range tokens {
		scope := t.Scope
		if !isIdentifier(scope) {
			scope = quoteToken(scope)
		}
		p.line("TOKEN " + quoteToken(t.Name) + " " + scope)
	}
	p.end()
}

func formatSettings(p *printer, settings []Setting) {
	for _, s := range settings {
		p.directive(s.Key, s.Value)
	}
	p.end()
}

// formatEngine prints ENGINE and every engine directive that is set.
func formatEngine(p *printer, e Engine) {
	if e.Name != "" {
		p.directive("ENGINE", e.Name)
	}
	for _, f := range []struct{ dir, v string }{
		{"ENGINE_PARTITION_KEY", e.PartitionKey},
		{"ENGINE_SORTING_KEY", e.SortingKey},
		{"ENGINE_PRIMARY_KEY", e.PrimaryKey},
		{"ENGINE_SAMPLING_KEY", e.SamplingKey},
		{"ENGINE_TTL", e.TTL},
		{"ENGINE_VER", e.Ver},
		{"ENGINE_IS_DELETED", e.IsDeleted},
		{"ENGINE_SIGN", e.Sign},
		{"ENGINE_VERSION", e.Version},
		{"ENGINE_COLUMNS", e.SummingColumns},
		{"ENGINE_JOIN_STRICTNESS", e.JoinStrictness},
		{"ENGINE_JOIN_TYPE", e.JoinType},
		{"ENGINE_KEY_COLUMNS", e.KeyColumns},
		{"ENGINE_SETTINGS", e.Settings},
	} {
		if f.v != "" {
			p.directive(f.dir, f.v)
		}
	}
}

// FormatPipe prints a pipe in the canonical style.
func FormatPipe(pp *Pipe) string {
	var p printer
	if pp.Version > 0 {
		p.line("VERSION " + strconv.Itoa(pp.Version))
		p.end()
	}
	if pp.Description != "" {
		p.block("DESCRIPTION", pp.Description)
		p.end()
	}
	formatTokens(&p, pp.Tokens)
	if len(pp.Tags) > 0 {
		p.directive("TAGS", strings.Join(pp.Tags, ", "))
		p.end()
	}
	if pp.Cache > 0 {
		p.line("CACHE " + strconv.Itoa(pp.Cache))
		p.end()
	}
	for _, n := range pp.Nodes {
		formatNode(&p, n)
	}
	return p.String()
}

// formatNode prints NODE with its description, then the SQL, then the
// type-specific directives, as three sections (NODE and SQL share one when
// there is no description).
func formatNode(p *printer, n *Node) {
	p.bare("NODE", n.Name)
	if n.Description != "" {
		p.block("DESCRIPTION", n.Description)
		p.end()
	}
	if n.SQL != "" {
		p.block("SQL", n.SQL)
		p.end()
	}
	if n.Type != NodePlain {
		p.line("TYPE " + string(n.Type))
	}
	if n.Datasource != "" {
		p.bare("DATASOURCE", n.Datasource)
	}
	if n.DeploymentMethod != "" {
		p.bare("DEPLOYMENT_METHOD", n.DeploymentMethod)
	}
	if n.Engine != nil {
		formatEngine(p, *n.Engine)
	}
	if n.TargetDatasource != "" {
		p.bare("TARGET_DATASOURCE", n.TargetDatasource)
	}
	if n.CopySchedule != "" {
		p.directive("COPY_SCHEDULE", n.CopySchedule)
	}
	if n.CopyMode != "" {
		p.bare("COPY_MODE", n.CopyMode)
	}
	for _, s := range n.Export {
		p.directive(s.Key, s.Value)
	}
	p.end()
}

// FormatConnection prints a connection in the canonical style.
func FormatConnection(c *Connection) string {
	var p printer
	if c.Description != "" {
		p.block("DESCRIPTION", c.Description)
		p.end()
	}
	if c.Type != "" {
		p.line("TYPE " + c.Type)
		p.end()
	}
	formatSettings(&p, c.Settings)
	return p.String()
}

// Format prints a *Datasource, *Pipe or *Connection canonically; other
// values give "".
func Format(resource any) string {
	switch r := resource.(type) {
	case *Datasource:
		return FormatDatasource(r)
	case *Pipe:
		return FormatPipe(r)
	case *Connection:
		return FormatConnection(r)
	}
	return ""
}
