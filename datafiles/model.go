// Package datafiles reads, validates and writes Tinybird-style datafile projects:
// .datasource tables, .pipe chains of SQL nodes, .incl includes and .connection
// files. It depends on nothing else in perch.
package datafiles

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a datafile: a path relative to the project root and a
// 1-based line and column.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

// String formats the position as file:line:col.
func (p Pos) String() string {
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Severity says whether a diagnostic blocks loading (Error) or only advises (Warning).
type Severity int

const (
	// Error is a problem that makes the resource unusable as written.
	Error Severity = iota
	// Warning is a problem that perch can work around (deprecated keywords, style).
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem found in a project, with its position.
type Diagnostic struct {
	Pos      Pos      `json:"pos"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

// String formats the diagnostic as file:line:col: level: message.
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s: %s", d.Pos, d.Severity, d.Message)
}

// Kind is the kind of a datafile, from its extension.
type Kind string

// The kinds of datafile perch reads.
const (
	KindDatasource Kind = "datasource"
	KindPipe       Kind = "pipe"
	KindConnection Kind = "connection"
	KindInclude    Kind = "incl"
)

// KindOf returns the kind of a datafile from its file name, and false when the
// extension is not one perch reads.
func KindOf(path string) (Kind, bool) {
	switch {
	case strings.HasSuffix(path, ".datasource"):
		return KindDatasource, true
	case strings.HasSuffix(path, ".pipe"):
		return KindPipe, true
	case strings.HasSuffix(path, ".connection"):
		return KindConnection, true
	case strings.HasSuffix(path, ".incl"):
		return KindInclude, true
	}
	return "", false
}

// Setting is a directive kept as a key and a value (connector, sink and other
// settings whose meaning perch passes through).
type Setting struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Pos   Pos    `json:"pos"`
}

// Token is an access token declared by a resource: `TOKEN name READ|APPEND`.
type Token struct {
	Name  string `json:"name"`
	Scope string `json:"scope"`
}

// Column is one column of a data source schema.
type Column struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	JSONPath    string `json:"jsonpath,omitempty"`
	DefaultKind string `json:"default_kind,omitempty"` // DEFAULT, MATERIALIZED or ALIAS
	Default     string `json:"default,omitempty"`
	Codec       string `json:"codec,omitempty"` // the CODEC arguments, e.g. ZSTD(1)
	Comment     string `json:"comment,omitempty"`
	Pos         Pos    `json:"pos"`
}

// Index is a data-skipping index of a data source.
type Index struct {
	Name        string `json:"name"`
	Expr        string `json:"expr"`
	Type        string `json:"type"`
	Granularity int    `json:"granularity,omitempty"`
	Pos         Pos    `json:"pos"`
}

// Engine is the table engine of a data source with every engine directive.
// Empty strings mean "not given".
type Engine struct {
	Name           string `json:"name"` // MergeTree when not given
	PartitionKey   string `json:"partition_key,omitempty"`
	SortingKey     string `json:"sorting_key,omitempty"`
	PrimaryKey     string `json:"primary_key,omitempty"`
	SamplingKey    string `json:"sampling_key,omitempty"`
	TTL            string `json:"ttl,omitempty"`
	Settings       string `json:"settings,omitempty"` // k=v, k=v
	Ver            string `json:"ver,omitempty"`
	IsDeleted      string `json:"is_deleted,omitempty"`
	Sign           string `json:"sign,omitempty"`
	Version        string `json:"version,omitempty"`
	SummingColumns string `json:"summing_columns,omitempty"`
	JoinStrictness string `json:"join_strictness,omitempty"`
	JoinType       string `json:"join_type,omitempty"`
	KeyColumns     string `json:"key_columns,omitempty"`
	Pos            Pos    `json:"pos"`
}

// Datasource is a table: a .datasource file.
type Datasource struct {
	Name         string    `json:"name"`
	File         string    `json:"file"`
	Description  string    `json:"description,omitempty"`
	Tokens       []Token   `json:"tokens,omitempty"`
	Tags         []string  `json:"tags,omitempty"`
	SharedWith   []string  `json:"shared_with,omitempty"`
	Columns      []Column  `json:"columns"`
	Indexes      []Index   `json:"indexes,omitempty"`
	Engine       Engine    `json:"engine"`
	ForwardQuery string    `json:"forward_query,omitempty"`
	Backfill     string    `json:"backfill,omitempty"`
	Version      int       `json:"version,omitempty"` // classic VERSION n; 0 when absent
	Kafka        []Setting `json:"kafka,omitempty"`   // KAFKA_* directives
	Import       []Setting `json:"import,omitempty"`  // IMPORT_* directives
	Includes     []string  `json:"includes,omitempty"`
	// DirectivePos maps each directive given (upper case, e.g. "ENGINE_TTL")
	// to the position of its last occurrence.
	DirectivePos map[string]Pos `json:"-"`
	Pos          Pos            `json:"pos"`
}

// Column returns the column with the given name, or nil.
func (d *Datasource) Column(name string) *Column {
	for i := range d.Columns {
		if d.Columns[i].Name == name {
			return &d.Columns[i]
		}
	}
	return nil
}

// NodeType is the TYPE of a pipe node, lower case; empty for a plain node.
type NodeType string

// The node types of the format.
const (
	NodePlain        NodeType = ""
	NodeEndpoint     NodeType = "endpoint"
	NodeMaterialized NodeType = "materialized"
	NodeCopy         NodeType = "copy"
	NodeSink         NodeType = "sink"
)

// Node is one SQL node of a pipe.
type Node struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	SQL         string   `json:"sql"`
	Type        NodeType `json:"type,omitempty"`
	// Datasource is the target of a materialized node.
	Datasource       string `json:"datasource,omitempty"`
	DeploymentMethod string `json:"deployment_method,omitempty"`
	// TargetDatasource, CopySchedule and CopyMode describe a copy node.
	TargetDatasource string `json:"target_datasource,omitempty"`
	CopySchedule     string `json:"copy_schedule,omitempty"`
	CopyMode         string `json:"copy_mode,omitempty"`
	// Export holds the EXPORT_* directives of a sink node.
	Export []Setting `json:"export,omitempty"`
	// DirectivePos maps each directive given (upper case, e.g. "ENGINE_TTL")
	// to the position of its last occurrence.
	DirectivePos map[string]Pos `json:"-"`
	Pos          Pos            `json:"pos"`
	// SQLPos is the position of the first character of the SQL body.
	SQLPos Pos `json:"sql_pos"`
	// SQLLines maps each line of SQL (0-based) to its 1-based line in the file,
	// since blank and # lines are dropped from bodies.
	SQLLines []int `json:"-"`
	// SQLIndent is the number of columns removed from each SQL line by dedent.
	SQLIndent int `json:"-"`
	// SQLFirstIndent is the number of columns removed from the first SQL
	// line (it differs from SQLIndent for a template, whose % line is
	// trimmed on its own).
	SQLFirstIndent int `json:"-"`
	// Engine holds ENGINE / ENGINE_* directives written on a materialized
	// node (Classic: the target table created from the pipe); nil when none.
	Engine *Engine `json:"engine,omitempty"`
}

// FilePos maps a 1-based line and column inside the node's SQL to a position
// in the datafile.
func (n *Node) FilePos(line, col int) Pos {
	p := n.SQLPos
	if line >= 1 && line <= len(n.SQLLines) {
		p.Line = n.SQLLines[line-1]
		p.Col = col + n.SQLIndent
		if line == 1 {
			p.Col = col + n.SQLFirstIndent
		}
	}
	return p
}

// Pipe is a .pipe file: an ordered chain of nodes.
type Pipe struct {
	Name        string   `json:"name"`
	File        string   `json:"file"`
	Description string   `json:"description,omitempty"`
	Tokens      []Token  `json:"tokens,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Version     int      `json:"version,omitempty"`
	Cache       int      `json:"cache,omitempty"` // CACHE seconds for endpoints
	Nodes       []*Node  `json:"nodes"`
	Includes    []string `json:"includes,omitempty"`
	// DirectivePos maps each directive given (upper case, e.g. "ENGINE_TTL")
	// to the position of its last occurrence.
	DirectivePos map[string]Pos `json:"-"`
	Pos          Pos            `json:"pos"`
}

// Node returns the node with the given name, or nil.
func (p *Pipe) Node(name string) *Node {
	for _, n := range p.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// Output is the node that stands for the pipe when another pipe reads it and
// that an endpoint publishes: the node of TYPE endpoint, else the last node.
func (p *Pipe) Output() *Node {
	for _, n := range p.Nodes {
		if n.Type == NodeEndpoint {
			return n
		}
	}
	if len(p.Nodes) == 0 {
		return nil
	}
	return p.Nodes[len(p.Nodes)-1]
}

// PipeKind classifies a pipe by the typed node it holds.
type PipeKind string

// The kinds of pipe.
const (
	PipePlain           PipeKind = "pipe"
	PipeEndpoint        PipeKind = "endpoint"
	PipeMaterialization PipeKind = "materialization"
	PipeCopy            PipeKind = "copy"
	PipeSink            PipeKind = "sink"
)

// Kind returns what the pipe is, from the type of its nodes.
func (p *Pipe) Kind() PipeKind {
	for _, n := range p.Nodes {
		switch n.Type {
		case NodeMaterialized:
			return PipeMaterialization
		case NodeCopy:
			return PipeCopy
		case NodeSink:
			return PipeSink
		case NodeEndpoint:
			return PipeEndpoint
		}
	}
	return PipePlain
}

// Connection is a .connection file (Forward): a Kafka, S3 or GCS connection.
type Connection struct {
	Name     string    `json:"name"`
	File     string    `json:"file"`
	Type     string    `json:"type"`
	Settings []Setting `json:"settings"`
	// DirectivePos maps each directive given (upper case, e.g. "ENGINE_TTL")
	// to the position of its last occurrence.
	DirectivePos map[string]Pos `json:"-"`
	// Description is the connection's DESCRIPTION, if any.
	Description string `json:"description,omitempty"`
	Pos         Pos    `json:"pos"`
}

// Project is a loaded folder of datafiles.
type Project struct {
	// Root is the folder the project was loaded from.
	Root        string                 `json:"root"`
	Datasources map[string]*Datasource `json:"datasources"`
	Pipes       map[string]*Pipe       `json:"pipes"`
	Connections map[string]*Connection `json:"connections"`
	// Files lists every datafile read, relative to Root, sorted.
	Files []string `json:"files"`
	// Sources holds the text of every datafile read, by relative path.
	Sources map[string]string `json:"-"`
	// Includers maps an .incl file to the files that include it (directly or not).
	Includers   map[string][]string `json:"includers,omitempty"`
	Diagnostics []Diagnostic        `json:"diagnostics"`
	// Fixtures maps a data source name to its fixture data file
	// (fixtures/<name>.ndjson or .csv in any folder), relative to Root.
	Fixtures map[string]string `json:"fixtures,omitempty"`
	// DataTests maps a pipe name to its data test file (tests/<name>.yaml
	// or .yml in any folder), relative to Root.
	DataTests map[string]string `json:"data_tests,omitempty"`
	// Generation is the format generation the project is written in,
	// decided from the generation-specific keywords its files use.
	Generation Generation `json:"generation"`
	// Aliases maps other names SQL may use for a data source or pipe to the
	// name it is known by here (a project renamed for deployment keeps the
	// names its files use); LookupDatasource and LookupPipe read it.
	Aliases map[string]string `json:"-"`
}

// NewProject returns an empty project rooted at root.
func NewProject(root string) *Project {
	return &Project{
		Root:        root,
		Datasources: map[string]*Datasource{},
		Pipes:       map[string]*Pipe{},
		Connections: map[string]*Connection{},
		Sources:     map[string]string{},
		Includers:   map[string][]string{},
		Fixtures:    map[string]string{},
		DataTests:   map[string]string{},
	}
}

// DatasourceNames returns the data source names in sorted order.
func (p *Project) DatasourceNames() []string { return sortedKeys(p.Datasources) }

// PipeNames returns the pipe names in sorted order.
func (p *Project) PipeNames() []string { return sortedKeys(p.Pipes) }

// ConnectionNames returns the connection names in sorted order.
func (p *Project) ConnectionNames() []string { return sortedKeys(p.Connections) }

// Errors returns the diagnostics of severity Error.
func (p *Project) Errors() []Diagnostic { return p.filter(Error) }

// Warnings returns the diagnostics of severity Warning.
func (p *Project) Warnings() []Diagnostic { return p.filter(Warning) }

func (p *Project) filter(s Severity) []Diagnostic {
	var out []Diagnostic
	for _, d := range p.Diagnostics {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
