package lineage

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/template"
)

// Options tunes Build.
type Options struct {
	// Refs extracts the table references of a node; nil means DefaultRefs.
	Refs RefFinder
	// Database is the database the project lives in. References qualified
	// with it resolve like unqualified ones (a remote snapshot writes
	// `db.events`); references to any other database are external.
	Database string
}

// Build returns the lineage graph of a project. It never fails: references
// that resolve to nothing are collected in Unresolved (with file and line),
// node SQL whose references cannot be read is reported in Diagnostics.
// The same builder serves a project converted from a remote snapshot.
func Build(p *datafiles.Project, opts Options) *Graph {
	if opts.Refs == nil {
		opts.Refs = DefaultRefs
	}
	b := &builder{p: p, opts: opts, g: &Graph{}, byName: map[string]*Node{}}
	b.resources()
	for _, name := range p.DatasourceNames() {
		b.connectors(p.Datasources[name])
	}
	b.refs = extractAll(p, opts.Refs, p.PipeNames())
	for _, name := range p.PipeNames() {
		b.pipe(p.Pipes[name])
	}
	b.g.finish()
	return b.g
}

type builder struct {
	p      *datafiles.Project
	opts   Options
	g      *Graph
	byName map[string]*Node
	refs   map[*datafiles.Node]extracted
}

// resources adds a node per data source, pipe and connection file. A name
// used twice keeps its first owner (data sources, then pipes, then
// connections) and is reported.
func (b *builder) resources() {
	for _, name := range b.p.DatasourceNames() {
		ds := b.p.Datasources[name]
		b.add(&Node{Name: name, Kind: KindDatasource, File: ds.File, Line: line(ds.Pos)}, ds.Pos)
	}
	for _, name := range b.p.PipeNames() {
		pipe := b.p.Pipes[name]
		b.add(&Node{Name: name, Kind: b.pipeKind(pipe), File: pipe.File, Line: line(pipe.Pos)}, pipe.Pos)
	}
	// Classic: a materialized node with ENGINE directives creates its target.
	for _, name := range b.p.PipeNames() {
		pipe := b.p.Pipes[name]
		for _, n := range pipe.Nodes {
			if n.Type == datafiles.NodeMaterialized && n.Engine != nil && n.Datasource != "" && b.byName[n.Datasource] == nil {
				b.add(&Node{Name: n.Datasource, Kind: KindDatasource, File: pipe.File, Line: line(n.Pos)}, n.Pos)
			}
		}
	}
	for _, name := range b.p.ConnectionNames() {
		c := b.p.Connections[name]
		b.add(&Node{Name: name, Kind: KindConnection, File: c.File, Line: line(c.Pos)}, c.Pos)
	}
}

func (b *builder) add(n *Node, pos datafiles.Pos) *Node {
	if prev, ok := b.byName[n.Name]; ok {
		if prev.Kind != n.Kind {
			b.diag(pos, datafiles.Error, fmt.Sprintf("%s %q has the name of %s %s", n.Kind, n.Name, prev.Kind, prev.File))
		}
		return prev
	}
	b.byName[n.Name] = n
	b.g.Nodes = append(b.g.Nodes, n)
	return n
}

// ensure returns the node with the given name, adding it with the given kind
// (and no file) when the project does not have it.
func (b *builder) ensure(name string, kind Kind) *Node {
	if n, ok := b.byName[name]; ok {
		return n
	}
	return b.add(&Node{Name: name, Kind: kind, Line: 1}, datafiles.Pos{})
}

func (b *builder) edge(from, to string, kind EdgeKind) {
	b.g.Edges = append(b.g.Edges, Edge{From: from, To: to, Kind: kind})
}

func (b *builder) diag(pos datafiles.Pos, sev datafiles.Severity, msg string) {
	b.g.Diagnostics = append(b.g.Diagnostics, datafiles.Diagnostic{Pos: pos, Severity: sev, Message: msg})
}

func (b *builder) unresolved(file string, ln int, name, pipe, step, reason string) {
	b.g.Unresolved = append(b.g.Unresolved, Unresolved{File: file, Line: ln, Name: name, Pipe: pipe, Step: step, Reason: reason})
}

// connectors adds the edges from the connections that feed a data source:
// KAFKA_CONNECTION_NAME / IMPORT_CONNECTION_NAME name one; a Classic inline
// Kafka or import service without a name becomes a connection named after
// its servers or service.
func (b *builder) connectors(ds *datafiles.Datasource) {
	for _, src := range connectionsOf(ds) {
		b.ensure(src, KindConnection)
		b.edge(src, ds.Name, EdgeFeeds)
	}
}

func connectionsOf(ds *datafiles.Datasource) []string {
	var out []string
	if name := setting(ds.Kafka, "KAFKA_CONNECTION_NAME"); name != "" {
		out = append(out, name)
	} else if servers := setting(ds.Kafka, "KAFKA_BOOTSTRAP_SERVERS"); servers != "" {
		out = append(out, "kafka://"+servers)
	}
	if name := setting(ds.Import, "IMPORT_CONNECTION_NAME"); name != "" {
		out = append(out, name)
	} else if svc := setting(ds.Import, "IMPORT_SERVICE"); svc != "" {
		out = append(out, strings.ToLower(svc)+"://")
	}
	return out
}

func setting(ss []datafiles.Setting, key string) string {
	for _, s := range ss {
		if strings.EqualFold(s.Key, key) {
			return strings.TrimSpace(s.Value)
		}
	}
	return ""
}

// pipe adds the edges of every node of a pipe: what it reads, what it writes.
func (b *builder) pipe(pipe *datafiles.Pipe) {
	self := b.byName[pipe.Name]
	if self == nil || self.File != pipe.File {
		return // the name belongs to another resource; reported in resources
	}
	steps := make(map[string]int, len(pipe.Nodes))
	for i, n := range pipe.Nodes {
		steps[n.Name] = i
	}
	for i, n := range pipe.Nodes {
		st := Step{Name: n.Name, Type: n.Type}
		ex := b.refs[n]
		if ex.err != nil {
			b.diag(n.SQLPos, datafiles.Error, fmt.Sprintf("pipe %s node %s: table references: %v", pipe.Name, n.Name, ex.err))
		}
		for _, s := range ex.secrets {
			b.diag(n.SQLPos, datafiles.Warning, fmt.Sprintf("pipe %s node %s reads secret %s, which is not set: drawn with a placeholder", pipe.Name, n.Name, s))
		}
		for _, v := range ex.vars {
			b.diag(n.SQLPos, datafiles.Warning, fmt.Sprintf("pipe %s node %s reads variable %s, which is not set: drawn with a placeholder", pipe.Name, n.Name, v))
		}
		for _, r := range ex.refs {
			b.ref(pipe, n, i, steps, r, &st)
		}
		b.writes(pipe, n)
		self.Steps = append(self.Steps, st)
	}
}

// ref resolves one table reference of node n (the i-th of its pipe).
func (b *builder) ref(pipe *datafiles.Pipe, n *datafiles.Node, i int, steps map[string]int, r Ref, st *Step) {
	switch {
	case r.Func:
		b.reads(externalName(r), KindExternal, pipe.Name, st)
		return
	case r.Database != "" && r.Database != b.opts.Database:
		b.reads(externalName(r), KindExternal, pipe.Name, st)
		return
	}
	if r.Name == template.PlaceholderIdent {
		return // table(x) with no value in placeholder mode
	}
	if j, ok := steps[r.Name]; ok && j < i {
		st.Uses = appendOnce(st.Uses, r.Name)
		return
	}
	name := b.resourceName(r.Name)
	if target, ok := b.byName[name]; ok && target.Kind != KindConnection && target.Kind != KindExternal {
		if name == pipe.Name {
			b.unresolved(pipe.File, b.refLine(n, r), r.Name, pipe.Name, n.Name, "a pipe cannot read itself")
			return
		}
		b.reads(name, target.Kind, pipe.Name, st)
		return
	}
	if q := b.quarantine(r.Name); q != "" {
		b.reads(q, KindDatasource, pipe.Name, st)
		return
	}
	if r.In {
		return // `x IN name` naming a set or an alias, not a table
	}
	reason := "no data source, pipe or earlier node has this name"
	if _, ok := steps[r.Name]; ok {
		reason = "node " + r.Name + " comes later in the pipe"
	}
	b.unresolved(pipe.File, b.refLine(n, r), r.Name, pipe.Name, n.Name, reason)
}

func (b *builder) reads(from string, kind Kind, to string, st *Step) {
	b.ensure(from, kind)
	b.edge(from, to, EdgeReads)
	st.Reads = appendOnce(st.Reads, from)
}

// writes adds the edges of typed nodes: materialized and copy nodes to their
// target, sink nodes to their connection.
func (b *builder) writes(pipe *datafiles.Pipe, n *datafiles.Node) {
	var target string
	var kind EdgeKind
	switch n.Type {
	case datafiles.NodeMaterialized:
		target, kind = n.Datasource, EdgeMaterializes
	case datafiles.NodeCopy:
		target, kind = n.TargetDatasource, EdgeCopies
	case datafiles.NodeSink:
		if c := setting(n.Export, "EXPORT_CONNECTION_NAME"); c != "" {
			b.ensure(c, KindConnection)
			b.edge(pipe.Name, c, EdgeExports)
		}
		return
	default:
		return
	}
	if target == "" {
		return // the loader reports the missing directive
	}
	target = b.resourceName(target)
	if t, ok := b.byName[target]; !ok || t.Kind != KindDatasource {
		b.unresolved(pipe.File, line(n.Pos), target, pipe.Name, n.Name, "the target data source does not exist")
		return
	}
	b.edge(pipe.Name, target, kind)
}

// resourceName is the graph node a name in SQL stands for: itself, or the
// data source or pipe it names another way (Classic name__vN).
func (b *builder) resourceName(name string) string {
	if _, ok := b.byName[name]; ok {
		return name
	}
	if ds := b.p.LookupDatasource(name); ds != nil {
		return ds.Name
	}
	if pp := b.p.LookupPipe(name); pp != nil {
		return pp.Name
	}
	return name
}

// quarantine returns the graph node of the quarantine table a name reads
// (NAME_quarantine, which Tinybird keeps beside every data source), adding
// it with an edge from its data source, or "" when the name is none.
func (b *builder) quarantine(name string) string {
	ds := b.p.QuarantineOf(name)
	if ds == nil {
		return ""
	}
	q := ds.Name + datafiles.QuarantineSuffix
	if _, ok := b.byName[q]; !ok {
		b.add(&Node{Name: q, Kind: KindDatasource, File: ds.File, Line: line(ds.Pos)}, ds.Pos)
		b.edge(ds.Name, q, EdgeFeeds)
	}
	return q
}

// refLine is the line in the file of a reference: its own line when the
// finder knows it, else the first SQL line naming it, else the SQL start.
func (b *builder) refLine(n *datafiles.Node, r Ref) int {
	if r.Line > 0 && r.Line <= len(n.SQLLines) {
		return n.FilePos(r.Line, 1).Line
	}
	word := regexp.MustCompile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(r.Name) + `($|[^A-Za-z0-9_])`)
	for k, l := range strings.Split(n.SQL, "\n") {
		if word.MatchString(l) {
			return n.FilePos(k+1, 1).Line
		}
	}
	if n.SQLPos.Line > 0 {
		return n.SQLPos.Line
	}
	return line(n.Pos)
}

func externalName(r Ref) string {
	if r.Func {
		if r.Database != "" {
			return r.Database + "." + r.Name + "()"
		}
		return r.Name + "()"
	}
	return r.Database + "." + r.Name
}

// pipeKind is the kind of a pipe from its typed node. A Classic project
// published the last node of a pipe with no typed node: such a pipe is an
// endpoint there.
func (b *builder) pipeKind(p *datafiles.Pipe) Kind {
	switch p.Kind() {
	case datafiles.PipePlain:
		if b.p.Generation == datafiles.GenerationClassic {
			return KindEndpoint
		}
	case datafiles.PipeEndpoint:
		return KindEndpoint
	case datafiles.PipeMaterialization:
		return KindMaterialization
	case datafiles.PipeCopy:
		return KindCopy
	case datafiles.PipeSink:
		return KindSink
	}
	return KindPipe
}

func line(p datafiles.Pos) int {
	if p.Line < 1 {
		return 1
	}
	return p.Line
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
