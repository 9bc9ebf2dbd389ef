package datafiles

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// ParseDatasource parses a .datasource file. The resource name is the file
// name without its extension; file is used in positions. $VAR references in
// single-line values are replaced from the environment, and INCLUDE paths
// are resolved on disk relative to the file's directory.
func ParseDatasource(file string, src []byte) (*Datasource, []Diagnostic) {
	c := newFileCtx(KindDatasource, osEnv)
	d := c.datasource(file, string(src))
	return d, c.diags
}

// resourceName is the file name without directory and extension.
func resourceName(file string) string {
	base := filepath.Base(file)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// knownEngines are the table engines of the format.
var knownEngines = []string{
	"MergeTree", "ReplacingMergeTree", "SummingMergeTree", "AggregatingMergeTree",
	"CollapsingMergeTree", "VersionedCollapsingMergeTree", "Join", "Null",
}

// canonicalEngine returns the engine name spelled as ClickHouse spells it
// (matching case-insensitively, dropping a trailing "()"), and whether it is
// one of the known engines.
func canonicalEngine(name string) (string, bool) {
	name = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(name), "()"))
	for _, e := range knownEngines {
		if strings.EqualFold(e, name) {
			return e, true
		}
	}
	return name, false
}

// onceTracker reports directives given twice. A file has few directives,
// so a list beats a map.
type onceTracker struct {
	dirs  []string
	lines []int
}

// seen records dir at pos and returns the line where it was given before,
// if it was.
func (o *onceTracker) seen(dir string, pos Pos) (prevLine int, dup bool) {
	for i, d := range o.dirs {
		if d == dir {
			prev := o.lines[i]
			o.lines[i] = pos.Line
			return prev, true
		}
	}
	if o.dirs == nil {
		o.dirs, o.lines = make([]string, 0, 8), make([]int, 0, 8)
	}
	o.dirs = append(o.dirs, dir)
	o.lines = append(o.lines, pos.Line)
	return 0, false
}

func (c *parseCtx) datasource(file, src string) *Datasource {
	d := &Datasource{Name: resourceName(file), File: file, Pos: Pos{file, 1, 1}}
	c.checkName(KindDatasource, d.Name, d.Pos)
	once := &onceTracker{}
	var schemaPos Pos
	var hasSchema bool
	d.DirectivePos = map[string]Pos{}
	for _, s := range c.statements(splitLines(file, src)) {
		d.DirectivePos[s.Dir] = s.Pos
		if prev, dup := once.seen(s.Dir, s.Pos); dup && !repeatable(s.Dir) {
			if s.Dir == "SCHEMA" {
				c.errorf(s.Pos, "SCHEMA given twice (first at line %d): a data source has one schema", prev)
				continue
			}
			c.warnf(s.Pos, "%s given twice (first at line %d); the last one wins", s.Dir, prev)
		}
		switch {
		case s.Dir == "DESCRIPTION":
			d.Description = c.text(s)
		case s.Dir == "TOKEN":
			if t, ok := c.token(s, "READ", "READ", "APPEND"); ok {
				d.Tokens = append(d.Tokens, t)
			}
		case s.Dir == "TAGS":
			d.Tags = splitList(c.value(s))
		case s.Dir == "SHARED_WITH":
			d.SharedWith = splitList(strings.ReplaceAll(c.text(s), "\n", ","))
			c.blockSafe(s.Pos, s.Dir, strings.Join(d.SharedWith, "\n"))
		case s.Dir == "SCHEMA":
			hasSchema, schemaPos = true, s.Pos
			if !s.IsBlock {
				c.errorf(s.Pos, "SCHEMA must be a block: write `SCHEMA >` and the columns indented below it")
				continue
			}
			d.Columns = c.parseSchema(s.Block)
		case s.Dir == "INDEXES" || s.Dir == "INDICES":
			if !s.IsBlock {
				c.errorf(s.Pos, "%s must be a block: write `INDEXES >` and one index per line below it", s.Dir)
				continue
			}
			d.Indexes = append(d.Indexes, c.parseIndexes(s.Block)...)
		case s.Dir == "ENGINE" || strings.HasPrefix(s.Dir, "ENGINE_"):
			c.engineDirective(&d.Engine, s)
		case s.Dir == "FORWARD_QUERY":
			c.mark(GenerationForward, "FORWARD_QUERY", s.Pos)
			d.ForwardQuery = dedent(s.Block).text
			if !s.IsBlock {
				d.ForwardQuery = c.text(s)
			}
		case s.Dir == "BACKFILL":
			c.mark(GenerationForward, "BACKFILL", s.Pos)
			d.Backfill = c.value(s)
		case s.Dir == "VERSION":
			d.Version = c.version(s)
		case strings.HasPrefix(s.Dir, "KAFKA_"):
			if classicKafkaKeys[s.Dir] {
				c.mark(GenerationClassic, s.Dir+" in a .datasource (credentials belong in a .connection file)", s.Pos)
			}
			d.Kafka = append(d.Kafka, Setting{Key: s.Dir, Value: c.value(s), Pos: s.Pos})
		case strings.HasPrefix(s.Dir, "IMPORT_"):
			if classicImportKeys[s.Dir] {
				c.mark(GenerationClassic, s.Dir, s.Pos)
			}
			d.Import = append(d.Import, Setting{Key: s.Dir, Value: c.value(s), Pos: s.Pos})
		}
	}
	if d.Engine.Name == "" {
		d.Engine.Name = "MergeTree"
		if d.Engine.Pos == (Pos{}) {
			d.Engine.Pos = d.Pos
		}
	}
	c.checkEngine(&d.Engine)
	if !hasSchema && len(d.Kafka) == 0 && len(d.Import) == 0 {
		c.errorf(d.Pos, "data source %s has no SCHEMA: add `SCHEMA >` with its columns", d.Name)
	}
	if hasSchema && len(d.Columns) == 0 {
		c.errorf(schemaPos, "data source %s: the SCHEMA has no columns", d.Name)
	}
	c.checkColumns(d)
	d.Includes = append([]string(nil), c.includes...)
	return d
}

// checkName warns about a resource name (from the file name) that SQL
// cannot use unquoted.
func (c *parseCtx) checkName(k Kind, name string, pos Pos) {
	if !isIdentifier(name) {
		c.warnf(pos, "%s name %q (from the file name) is not a plain identifier; SQL and other files cannot refer to it unquoted: rename the file using letters, digits and _", describe(k), name)
	}
}

// repeatable directives may appear any number of times.
func repeatable(dir string) bool {
	switch dir {
	case "TOKEN", "INDEXES", "INDICES":
		return true
	}
	return false
}

// checkColumns reports duplicate column names.
func (c *parseCtx) checkColumns(d *Datasource) {
	seen := map[string]Pos{}
	for _, col := range d.Columns {
		if col.Name == "" {
			continue
		}
		if prev, ok := seen[col.Name]; ok {
			c.errorf(col.Pos, "column %s is defined twice (first at line %d)", col.Name, prev.Line)
			continue
		}
		seen[col.Name] = col.Pos
	}
}

// engineDirective applies ENGINE or an ENGINE_* directive to e.
func (c *parseCtx) engineDirective(e *Engine, s stmt) {
	v := c.value(s)
	if e.Pos == (Pos{}) {
		e.Pos = s.Pos
	}
	if s.Dir == "ENGINE" {
		name, known := canonicalEngine(v)
		switch {
		case known:
		case !isClickHouseEngine(name):
			pos := s.Pos
			if len(s.Args) > 0 {
				pos.Col = s.Args[0].Col
			}
			hint := ""
			if near := closestEngine(name); near != "" {
				hint = " (did you mean " + near + "?)"
			}
			c.errorf(pos, "ENGINE %q is not a ClickHouse table engine%s; the format's engines are %s", v, hint, strings.Join(knownEngines, ", "))
		default:
			c.warnf(s.Pos, "engine %q is not one perch knows (%s); it is passed through as written", v, strings.Join(knownEngines, ", "))
		}
		e.Name = name
		e.Pos = s.Pos
		return
	}
	field, ok := engineDirectives[s.Dir]
	if !ok {
		names := make([]string, 0, len(engineDirectives))
		for n := range engineDirectives {
			names = append(names, n)
		}
		c.errorf(s.Pos, "unknown engine directive %s; allowed: %s", s.Dir, strings.Join(sortedStrings(names), ", "))
		return
	}
	*field(e) = v
}

// engineOnly lists the engine directives that belong to one engine.
var engineOnly = map[string][]string{
	"ReplacingMergeTree":           {"ENGINE_VER", "ENGINE_IS_DELETED"},
	"CollapsingMergeTree":          {"ENGINE_SIGN"},
	"VersionedCollapsingMergeTree": {"ENGINE_SIGN", "ENGINE_VERSION"},
	"SummingMergeTree":             {"ENGINE_COLUMNS"},
	"Join":                         {"ENGINE_JOIN_STRICTNESS", "ENGINE_JOIN_TYPE", "ENGINE_KEY_COLUMNS"},
}

// checkEngine reports required engine directives that are missing and
// engine-specific ones given to another engine.
func (c *parseCtx) checkEngine(e *Engine) {
	switch e.Name {
	case "CollapsingMergeTree", "VersionedCollapsingMergeTree":
		if e.Sign == "" {
			c.errorf(e.Pos, "%s needs ENGINE_SIGN (the Int8 column holding 1 or -1)", e.Name)
		}
		if e.Name == "VersionedCollapsingMergeTree" && e.Version == "" {
			c.errorf(e.Pos, "VersionedCollapsingMergeTree needs ENGINE_VERSION")
		}
	case "Join":
		if e.JoinStrictness == "" || e.JoinType == "" || e.KeyColumns == "" {
			c.errorf(e.Pos, "the Join engine needs ENGINE_JOIN_STRICTNESS, ENGINE_JOIN_TYPE and ENGINE_KEY_COLUMNS")
		}
	}
	set := map[string]string{
		"ENGINE_VER": e.Ver, "ENGINE_IS_DELETED": e.IsDeleted, "ENGINE_SIGN": e.Sign,
		"ENGINE_VERSION": e.Version, "ENGINE_COLUMNS": e.SummingColumns,
		"ENGINE_JOIN_STRICTNESS": e.JoinStrictness, "ENGINE_JOIN_TYPE": e.JoinType, "ENGINE_KEY_COLUMNS": e.KeyColumns,
	}
	for _, dir := range sortedStrings(keysOf(set)) {
		if set[dir] == "" {
			continue
		}
		allowed := false
		var owners []string
		for engine, dirs := range engineOnly {
			for _, d := range dirs {
				if d == dir {
					owners = append(owners, engine)
					if engine == e.Name {
						allowed = true
					}
				}
			}
		}
		if !allowed {
			c.warnf(e.Pos, "%s applies only to %s, not to %s; it is ignored", dir, strings.Join(sortedStrings(owners), " or "), e.Name)
		}
	}
}

// token reads `TOKEN name [scope]`.
func (c *parseCtx) token(s stmt, defScope string, scopes ...string) (Token, bool) {
	if len(s.Args) == 0 || len(s.Args) > 2 {
		c.errorf(s.Pos, "TOKEN wants a name and a scope: TOKEN \"name\" %s", strings.Join(scopes, "|"))
		return Token{}, false
	}
	t := Token{Name: expandVars(s.Args[0].Text, c.env), Scope: defScope}
	if len(s.Args) == 2 {
		t.Scope = strings.ToUpper(s.Args[1].Text)
	}
	known := t.Scope == "CREATE"
	for _, sc := range scopes {
		known = known || t.Scope == sc
	}
	if !known {
		c.warnf(Pos{s.Pos.File, s.Pos.Line, s.Args[len(s.Args)-1].Col}, "TOKEN scope %q is not one of %s", t.Scope, strings.Join(scopes, ", "))
	}
	return t, true
}

// version reads `VERSION n` (Classic).
func (c *parseCtx) version(s stmt) int {
	c.mark(GenerationClassic, "VERSION", s.Pos)
	v := c.value(s)
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		c.errorf(s.Pos, "VERSION %q is not a non-negative integer", v)
		return 0
	}
	return n
}

// splitList splits "a, b,c" into trimmed non-empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	sortStrings(out)
	return out
}

// describe names a kind of resource for messages.
func describe(k Kind) string {
	switch k {
	case KindDatasource:
		return "data source"
	case KindPipe:
		return "pipe"
	case KindConnection:
		return "connection"
	}
	return fmt.Sprintf("%s file", k)
}
