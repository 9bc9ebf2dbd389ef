package live

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/datafiles/template"
	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
)

// PreviewLimit is the most rows a TUI preview returns.
const PreviewLimit = 200

// Preview compiles the node (with the edited SQL when given) and runs it
// read-only and bounded with workspace.Client.Preview, or reads a data
// source (SELECT * FROM it, or the edited query). Progress goes to
// req.Progress; a failure that points into the SQL is a *tui.PreviewError
// whose line is in the node's SQL as the editor shows it.
func (b *Backend) Preview(ctx context.Context, req tui.PreviewRequest) (*tui.PreviewResult, error) {
	p := b.loaded()
	if p == nil {
		return nil, errors.New("preview: the project is not loaded")
	}
	q, err := prepare(p, req, b.getenv)
	if err != nil {
		return nil, err
	}
	c, err := b.conn(ctx)
	if err != nil {
		return nil, q.place(fmt.Errorf("preview %s: %w", target(req), err))
	}
	_, out, err := runOn(ctx, c, q.sql, req.Progress)
	if err != nil {
		return nil, q.place(err)
	}
	return out, nil
}

// query is a preview request made ready to run: the SQL sent, and how a
// failure of it is placed in the SQL the editor shows.
type query struct {
	sql   string
	place func(error) error
}

// prepare compiles a node's request (its edited SQL when given), or makes
// a data source's query (SELECT * FROM it, or the edited query).
func prepare(p *datafiles.Project, req tui.PreviewRequest, getenv func(string) string) (*query, error) {
	if req.Datasource != "" && req.Pipe == "" {
		if p.Datasources[req.Datasource] == nil {
			return nil, fmt.Errorf("preview: no data source %s", req.Datasource)
		}
		sql := req.SQL
		if strings.TrimSpace(sql) == "" {
			sql = "SELECT * FROM " + workspace.QuoteIdent(req.Datasource)
		}
		return &query{sql: sql, place: func(err error) error {
			pe := &tui.PreviewError{Message: err.Error()}
			pe.Line, pe.Col = serverPos(err.Error(), sql)
			if pe.Line == 0 {
				pe.Line, pe.Col = identPos(err.Error(), sql)
			}
			return pe
		}}, nil
	}
	orig := p.Pipes[req.Pipe]
	if orig == nil || orig.Node(req.Node) == nil {
		return nil, fmt.Errorf("preview: no node %s.%s", req.Pipe, req.Node)
	}
	sql := req.SQL
	if sql == "" {
		sql = orig.Node(req.Node).SQL
	}
	ep, err := app.WithNodeSQL(p, req.Pipe, req.Node, sql)
	if err != nil {
		return nil, err
	}
	res, err := compile.Compile(ep, req.Pipe, req.Node, compile.Options{Mode: template.Given, Params: req.Params, Getenv: getenv})
	if err != nil {
		return nil, compileError(p, req, err)
	}
	return &query{sql: res.SQL, place: func(err error) error { return serverError(p, req, sql, res, err) }}, nil
}

// runOn runs sql on c as a bounded read-only preview, forwarding progress
// (never blocking on it); it returns the driver's result and the UI's.
func runOn(ctx context.Context, c *workspace.Client, sql string, progress chan<- tui.PreviewProgress) (*workspace.PreviewResult, *tui.PreviewResult, error) {
	opts := workspace.PreviewOptions{Limit: PreviewLimit}
	if progress != nil {
		opts.OnProgress = func(pr workspace.PreviewProgress) {
			select { // never block the driver on a slow UI
			case progress <- tui.PreviewProgress{RowsRead: pr.RowsRead, BytesRead: pr.BytesRead, Rows: pr.Rows, Elapsed: pr.Elapsed}:
			default:
			}
		}
	}
	out, err := c.Preview(ctx, sql, opts)
	if err != nil {
		return nil, nil, err
	}
	r := &tui.PreviewResult{Rows: out.Rows, RowsRead: out.RowsRead, BytesRead: out.BytesRead, Elapsed: out.Elapsed, Truncated: out.Truncated, SQL: out.SQL,
		Null: nulls(out.Values)}
	for i, col := range out.Columns {
		r.Columns = append(r.Columns, tui.Col{Name: col.Name, Type: aggregateType(col.Type, out.Rows, i)})
	}
	return out, r, nil
}

// nulls marks the NULL values of a result (nil when it has none).
func nulls(values [][]any) [][]bool {
	var out [][]bool
	for i, row := range values {
		for j, v := range row {
			if v != nil {
				continue
			}
			if out == nil {
				out = make([][]bool, len(values))
			}
			if out[i] == nil {
				out[i] = make([]bool, len(row))
			}
			out[i][j] = true
		}
	}
	return out
}

func target(req tui.PreviewRequest) string {
	if req.Pipe == "" {
		return req.Datasource
	}
	return req.Pipe + "." + req.Node
}

// aggregateType is a column's real type when the driver could not read
// aggregate states: workspace.Client.Preview then reads them as the text
// '<AggregateFunction(...)>', a String column; every value says the type.
func aggregateType(typ string, rows [][]string, col int) string {
	if typ != "String" || len(rows) == 0 {
		return typ
	}
	var inner string
	for _, r := range rows {
		v := r[col]
		if !strings.HasPrefix(v, "<AggregateFunction(") || !strings.HasSuffix(v, ">") || (inner != "" && v[1:len(v)-1] != inner) {
			return typ
		}
		inner = v[1 : len(v)-1]
	}
	return inner
}

// Params lists the parameters of a node whose SQL is sql.
func (b *Backend) Params(ctx context.Context, pipe, node, sql string) ([]tui.Param, error) {
	p := b.loaded()
	if p == nil {
		return nil, errors.New("params: the project is not loaded")
	}
	ep, err := app.WithNodeSQL(p, pipe, node, sql)
	if err != nil {
		return nil, err
	}
	ps, err := compile.Params(ep, pipe, node)
	if err != nil {
		return nil, fmt.Errorf("params of %s.%s: %w", pipe, node, err)
	}
	return convertParams(ps), nil
}

// convertParams turns the compiler's parameters into the UI's.
func convertParams(ps []template.Param) []tui.Param {
	out := make([]tui.Param, 0, len(ps))
	for _, pr := range ps {
		out = append(out, tui.Param{Name: pr.Name, Type: pr.Type, Default: unquote(pr.DefaultSQL), Description: pr.Description, Required: pr.Required})
	}
	return out
}

// compileError places a compile error: in the previewed node, its position
// is already in the edited SQL; in another node, it is turned from the file
// into that node's SQL.
func compileError(p *datafiles.Project, req tui.PreviewRequest, err error) error {
	var ce *compile.Error
	if !errors.As(err, &ce) {
		return &tui.PreviewError{Message: err.Error()}
	}
	pe := &tui.PreviewError{Message: ce.Msg}
	if ce.Node.Pipe == req.Pipe && ce.Node.Node == req.Node || ce.Node == (compile.NodeRef{}) {
		pe.Line, pe.Col = ce.Pos.Line, ce.Pos.Col
		return pe
	}
	pe.Node = ce.Node.String()
	pe.Line, pe.Col = nodeLine(p, ce.Node, ce.Pos)
	return pe
}

// nodeLine turns a datafile position into a line and column of a node's
// SQL (0, 0 when it is not in it).
func nodeLine(p *datafiles.Project, ref compile.NodeRef, pos datafiles.Pos) (int, int) {
	pp := p.Pipes[ref.Pipe]
	if pp == nil || pp.Node(ref.Node) == nil {
		return 0, 0
	}
	n := pp.Node(ref.Node)
	for i, l := range n.SQLLines {
		if l == pos.Line {
			indent := n.SQLIndent
			if i == 0 {
				indent = n.SQLFirstIndent
			}
			return i + 1, max(1, pos.Col-indent)
		}
	}
	return 0, 0
}

// identRe finds the name a message is about: 'contry', `contry`, or
// "identifier: contry".
var identRe = regexp.MustCompile("(?:'|`)([A-Za-z_][A-Za-z0-9_.]*)(?:'|`)|[Ii]dentifier:? ([A-Za-z_][A-Za-z0-9_]*)")

// serverError places the server's error in the previewed SQL: its position
// in the compiled query is mapped back through the compiler's source map
// (to the edited SQL, or to a node it reads); without a position, the name
// it complains about is looked for in the edited SQL. The whole message is
// kept.
func serverError(p *datafiles.Project, req tui.PreviewRequest, sql string, res *compile.Result, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, workspace.ErrPreviewCancelled) {
		return err
	}
	pe := &tui.PreviewError{Message: err.Error()}
	if off, ok := workspace.ErrorOffset(err.Error(), res.SQL); ok {
		if ref, pos, ok := res.Locate(off); ok && pos.Line > 0 {
			if ref.Pipe == req.Pipe && ref.Node == req.Node {
				pe.Line, pe.Col = pos.Line, pos.Col
			} else {
				pe.Node = ref.String()
				pe.Line, pe.Col = nodeLine(p, ref, pos)
			}
			return pe
		}
	}
	pe.Line, pe.Col = identPos(err.Error(), sql)
	return pe
}

// serverPos is the line and column of a server error in sql itself (a
// query sent as written).
func serverPos(msg, sql string) (int, int) {
	off, ok := workspace.ErrorOffset(msg, sql)
	if !ok {
		return 0, 0
	}
	return offsetPos(sql, off)
}

// offsetPos is the 1-based line and column of byte off in s.
func offsetPos(s string, off int) (int, int) {
	off = min(max(0, off), len(s))
	line := 1 + strings.Count(s[:off], "\n")
	return line, off - strings.LastIndex(s[:off], "\n")
}

// identPos finds the name a message complains about in sql, as a whole
// word, and returns its line and column (0, 0 when it is not there).
func identPos(msg, sql string) (int, int) {
	for _, m := range identRe.FindAllStringSubmatch(msg, -1) {
		name := m[1] + m[2]
		re, err := regexp.Compile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(name) + `($|[^A-Za-z0-9_])`)
		if err != nil {
			continue
		}
		if loc := re.FindStringIndex(sql); loc != nil {
			start := loc[0]
			if start < len(sql) && !strings.HasPrefix(sql[start:], name) {
				start++
			}
			return offsetPos(sql, start)
		}
	}
	return 0, 0
}
