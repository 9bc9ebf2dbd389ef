package plan

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/ddl"
	"github.com/perchdata/perch/workspace/engine"
)

// tableDef is a table's definition in a checked state: a datafile model, or
// the structure of an existing table (like).
type tableDef struct {
	ds   *datafiles.Datasource
	like string
}

// scratch creates Null-engine copies of tables and views for a check, under
// names perch owns (_perch_scratch_*), and drops them all afterwards. Null
// tables store nothing: a check never touches user data.
type scratch struct {
	c      *workspace.Client
	g      ddl.Generator
	prefix string
	made   []string
}

func newScratch(c *workspace.Client) *scratch {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return &scratch{c: c, g: ddl.Generator{Database: c.Database(), Caps: c.Capabilities()}, prefix: "_perch_scratch_" + hex.EncodeToString(b[:]) + "_"}
}

// table creates a Null copy of def named after name and returns its name.
func (s *scratch) table(ctx context.Context, name string, def tableDef) (string, error) {
	n := s.prefix + name
	var q string
	if def.ds != nil {
		ds := *def.ds
		ds.Engine = datafiles.Engine{Name: "Null"}
		ds.Indexes = nil
		var err error
		if q, err = s.g.CreateTable(n, &ds); err != nil {
			return "", err
		}
	} else {
		q = "CREATE TABLE " + s.g.Table(n) + " AS " + s.g.Table(def.like) + " ENGINE = Null"
	}
	if err := s.exec(ctx, q); err != nil {
		return "", err
	}
	s.made = append(s.made, n)
	return n, nil
}

// view creates a materialized view writing into a scratch table.
func (s *scratch) view(ctx context.Context, name, target, query string) error {
	n := s.prefix + name + "_mv"
	if err := s.exec(ctx, s.g.CreateMaterializedView(n, target, query)); err != nil {
		return err
	}
	s.made = append(s.made, n)
	return nil
}

func (s *scratch) exec(ctx context.Context, q string) error {
	if !s.c.Capabilities().LowCardinality {
		ctx = lowCardinalityContext(ctx)
	}
	return s.c.Exec(ctx, q)
}

// drop removes every object made, views first.
func (s *scratch) drop(ctx context.Context) {
	for i := len(s.made) - 1; i >= 0; i-- {
		_ = s.c.Exec(ctx, s.g.DropTable(s.made[i], true))
	}
	s.made = nil
}

// rewriteTables replaces the references to the tables of repl (unqualified,
// or qualified with database) by the replacement names, using the parser's
// positions of each reference.
func rewriteTables(sql, database string, repl map[string]string) (string, error) {
	refs, err := compile.TableRefs(sql)
	if err != nil {
		return "", err
	}
	lines := []int{0}
	for i := 0; i < len(sql); i++ {
		if sql[i] == '\n' {
			lines = append(lines, i+1)
		}
	}
	type span struct {
		from, to int
		name     string
	}
	var spans []span
	for _, r := range refs.Tables {
		to, ok := repl[r.Name]
		if !ok || r.Func || (r.Database != "" && r.Database != database) || r.Line < 1 || r.Line > len(lines) {
			continue
		}
		start := lines[r.Line-1] + r.Col - 1
		from, end, ok := identSpan(sql, start, r.Database, r.Name)
		if !ok {
			return "", fmt.Errorf("rewrite %s: cannot find the reference at line %d, column %d", r.Name, r.Line, r.Col)
		}
		spans = append(spans, span{from, end, to})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from < spans[j].from })
	out := sql
	for i := len(spans) - 1; i >= 0; i-- {
		s := spans[i]
		out = out[:s.from] + workspace.QuoteIdent(database) + "." + workspace.QuoteIdent(s.name) + out[s.to:]
	}
	return out, nil
}

// identSpan returns the byte span of `[db.]name` (each part optionally
// backquoted) starting at start.
func identSpan(sql string, start int, db, name string) (from, to int, ok bool) {
	if start < 0 || start >= len(sql) {
		return 0, 0, false
	}
	i := start
	part := func(want string) bool {
		switch {
		case strings.HasPrefix(sql[i:], "`"+want+"`"):
			i += len(want) + 2
		case strings.HasPrefix(sql[i:], `"`+want+`"`):
			i += len(want) + 2
		case strings.HasPrefix(sql[i:], want):
			i += len(want)
		default:
			return false
		}
		return true
	}
	if db != "" {
		if !part(db) || i >= len(sql) || sql[i] != '.' {
			return 0, 0, false
		}
		i++
	}
	if !part(name) {
		return 0, 0, false
	}
	return start, i, true
}

// queryColumns types a query's output on the server (DESCRIBE of the query
// as a subquery: nothing is read).
func queryColumns(ctx context.Context, c *workspace.Client, query string) ([][2]string, error) {
	if !c.Capabilities().LowCardinality {
		ctx = lowCardinalityContext(ctx)
	}
	rows, err := c.Conn().Query(ctx, "DESCRIBE TABLE ("+strings.TrimRight(strings.TrimSpace(query), ";")+")")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	n := len(rows.Columns())
	for rows.Next() {
		vals := make([]string, n)
		dest := make([]any, n)
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, [2]string{vals[0], vals[1]})
	}
	return out, rows.Err()
}

// liveColumns returns the column types of a live table.
func liveColumns(ctx context.Context, c *workspace.Client, table string) (map[string]string, error) {
	q := "SELECT name, type FROM system.columns WHERE database = " + ddl.String(c.Database()) + " AND table = " + ddl.String(table) +
		" AND default_kind NOT IN ('MATERIALIZED', 'ALIAS')"
	rows, err := c.Conn().Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, t string
		if err := rows.Scan(&n, &t); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", table, err)
		}
		out[n] = t
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("columns of %s: no such table", table)
	}
	return out, rows.Err()
}

// modelColumns returns the insertable column types of a data source model.
func modelColumns(ds *datafiles.Datasource) map[string]string {
	out := map[string]string{}
	for _, col := range ds.Columns {
		k := strings.ToUpper(col.DefaultKind)
		if col.Default != "" && (k == "MATERIALIZED" || k == "ALIAS") {
			continue
		}
		out[col.Name] = col.Type
	}
	return out
}

// flowState is one materialized view in one state of the workspace: the
// tables of state have the definitions given, the others are live.
type flowState struct {
	view, query, source, target string
	state                       map[string]tableDef
}

// check types the view's query in the state and compares its output with
// the target's columns; with push, it also creates scratch copies of the
// source, the target and the view and pushes one synthetic row through
// them. It returns the mismatches found.
func (f flowState) check(ctx context.Context, c *workspace.Client, push bool) ([]mismatch, error) {
	sc := newScratch(c)
	defer sc.drop(context.WithoutCancel(ctx))
	repl := map[string]string{}
	for name, def := range f.state {
		if name == f.target && name != f.source {
			continue
		}
		n, err := sc.table(ctx, name, def)
		if err != nil {
			return nil, fmt.Errorf("scratch copy of %s: %w", name, err)
		}
		repl[name] = n
	}
	if push {
		if _, ok := repl[f.source]; !ok {
			n, err := sc.table(ctx, f.source, tableDef{like: f.source})
			if err != nil {
				return nil, fmt.Errorf("scratch copy of %s: %w", f.source, err)
			}
			repl[f.source] = n
		}
	}
	q, err := rewriteTables(f.query, c.Database(), repl)
	if err != nil {
		return nil, err
	}
	out, err := queryColumns(ctx, c, q)
	if err != nil {
		return nil, fmt.Errorf("type the query of %s: %w", f.view, err)
	}
	var target map[string]string
	if def, ok := f.state[f.target]; ok && def.ds != nil {
		target = modelColumns(def.ds)
	} else {
		t := f.target
		if ok {
			t = def.like
		}
		if target, err = liveColumns(ctx, c, t); err != nil {
			return nil, err
		}
	}
	ms := compareOutput(out, target, viewPushConverts(c.Capabilities().Version))
	if len(ms) > 0 || !push {
		return ms, nil
	}
	tdef, ok := f.state[f.target]
	if !ok {
		tdef = tableDef{like: f.target}
	}
	dst, err := sc.table(ctx, f.target+"_target", tdef)
	if err != nil {
		return nil, fmt.Errorf("scratch copy of %s: %w", f.target, err)
	}
	if err := sc.view(ctx, f.view, dst, q); err != nil {
		return nil, fmt.Errorf("scratch copy of view %s: %w", f.view, err)
	}
	if err := pushRow(ctx, c, sc, repl[f.source]); err != nil {
		return nil, fmt.Errorf("an insert into %s does not flow through %s: %w", f.source, f.view, err)
	}
	return nil, nil
}

// pushRow inserts one synthetic row into a scratch table: every column of a
// type with an obvious zero gets it, the others take their defaults.
func pushRow(ctx context.Context, c *workspace.Client, sc *scratch, table string) error {
	q := "SELECT name, type FROM system.columns WHERE database = " + ddl.String(c.Database()) + " AND table = " + ddl.String(table) +
		" AND default_kind NOT IN ('MATERIALIZED', 'ALIAS')"
	rows, err := c.Conn().Query(ctx, q)
	if err != nil {
		return fmt.Errorf("columns of %s: %w", table, err)
	}
	var cols, vals []string
	for rows.Next() {
		var n, t string
		if err := rows.Scan(&n, &t); err != nil {
			rows.Close()
			return err
		}
		if v := zeroLiteral(t); v != "" {
			cols = append(cols, n)
			vals = append(vals, "CAST("+v+" AS "+t+")")
		}
	}
	rows.Close()
	if len(cols) == 0 {
		return fmt.Errorf("no column of %s takes a synthetic value", table)
	}
	return sc.exec(ctx, sc.g.InsertSelect(table, cols, "SELECT "+strings.Join(vals, ", ")))
}

// zeroLiteral is a literal CAST can turn into type t, or "" when t has none.
func zeroLiteral(t string) string {
	t = stripType(t)
	switch {
	case strings.HasPrefix(t, "Nullable("):
		return "NULL"
	case strings.HasPrefix(t, "Array("):
		return "[]"
	case strings.HasPrefix(t, "String"), strings.HasPrefix(t, "FixedString("):
		return "''"
	case strings.HasPrefix(t, "UInt"), strings.HasPrefix(t, "Int"), strings.HasPrefix(t, "Float"),
		strings.HasPrefix(t, "Decimal"), t == "Date", strings.HasPrefix(t, "DateTime"):
		return "0"
	}
	return ""
}

// lowCardinalityContext allows LowCardinality columns on servers that keep
// them behind a setting (18.16).
func lowCardinalityContext(ctx context.Context) context.Context {
	return engine.WithSettings(ctx, engine.Settings{"allow_experimental_low_cardinality_type": 1})
}
