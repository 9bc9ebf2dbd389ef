// Package compare is perch's one comparison of two definitions of a
// resource: a data source against a data source, a pipe against a pipe, a
// view's query against the live one. It returns typed field changes, each
// decided on sqltext's normalized forms, so that the server's rewriting of
// what it stores never shows as a change. Drift, the planner and the
// Explorer's status all read their differences from here.
package compare

import "fmt"

// Field names what differs.
type Field string

// The fields a change can be about.
const (
	ColumnAdded   Field = "column.added"   // in Local only
	ColumnDropped Field = "column.dropped" // in Remote only
	ColumnType    Field = "column.type"
	ColumnDefault Field = "column.default" // kind or expression
	ColumnCodec   Field = "column.codec"
	ColumnComment Field = "column.comment"
	ColumnOrder   Field = "column.order" // the shared columns are in another order

	Engine         Field = "engine" // engine family
	PartitionKey   Field = "engine.partition_key"
	SortingKey     Field = "engine.sorting_key"
	PrimaryKey     Field = "engine.primary_key"
	SamplingKey    Field = "engine.sampling_key"
	TTL            Field = "engine.ttl"
	Setting        Field = "engine.settings" // one setting; Column names it
	EngineVer      Field = "engine.ver"
	EngineDeleted  Field = "engine.is_deleted"
	EngineSign     Field = "engine.sign"
	EngineVersion  Field = "engine.version"
	SummingColumns Field = "engine.summing_columns"
	JoinSpec       Field = "engine.join"

	IndexAdded   Field = "index.added"
	IndexDropped Field = "index.dropped"
	IndexChanged Field = "index.changed"

	Query  Field = "query"  // a view's query
	Target Field = "target" // a materialized view's target; Column names the node for pipes

	Description  Field = "description"
	Tokens       Field = "tokens"
	Tags         Field = "tags"
	Cache        Field = "cache"
	Nodes        Field = "nodes"         // other node count
	NodeSQL      Field = "node.sql"      // Column names the node
	NodeType     Field = "node.type"     // Column names the node
	NodeSettings Field = "node.settings" // copy target, schedule or mode; Column names the node

	Kind       Field = "kind"       // the definitions are of different kinds, or one is missing
	Connection Field = "connection" // two connection definitions differ
)

// Change is one difference between two definitions. Local and Remote are
// the texts as written (for display); they compared different after
// normalization. An empty side is absent on that side.
type Change struct {
	Field Field `json:"field"`
	// Column is the column, index, setting or node the change is about, if any.
	Column string `json:"column,omitempty"`
	Local  string `json:"local"`
	Remote string `json:"remote"`
}

// String describes the change in one line.
func (c Change) String() string {
	if c.Column != "" {
		return fmt.Sprintf("%s %s: %q -> %q", c.Field, c.Column, c.Remote, c.Local)
	}
	return fmt.Sprintf("%s: %q -> %q", c.Field, c.Remote, c.Local)
}

// DriftString describes the change as drift: Local is what perch deployed,
// Remote what is live now.
func (c Change) DriftString() string {
	switch c.Field {
	case ColumnAdded:
		return fmt.Sprintf("column %s %s was dropped on the server", c.Column, c.Local)
	case ColumnDropped:
		return fmt.Sprintf("column %s %s was added on the server", c.Column, c.Remote)
	case IndexAdded:
		return fmt.Sprintf("index %s was dropped on the server", c.Column)
	case IndexDropped:
		return fmt.Sprintf("index %s (%s) was added on the server", c.Column, c.Remote)
	}
	name := string(c.Field)
	if c.Column != "" {
		name += " " + c.Column
	}
	return fmt.Sprintf("%s: deployed %q, live %q", name, c.Local, c.Remote)
}

// Has reports whether changes hold one about field.
func Has(changes []Change, field Field) bool {
	for _, c := range changes {
		if c.Field == field {
			return true
		}
	}
	return false
}
