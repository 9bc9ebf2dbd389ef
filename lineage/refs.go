package lineage

import (
	"github.com/perchdata/perch/datafiles"
)

// Ref is one table reference found in the SQL of a pipe node.
type Ref struct {
	// Database is the qualifier (system in system.numbers); empty when the
	// reference is not qualified.
	Database string
	// Name is the table name, or the function name of a table function.
	Name string
	// Func marks a table function: numbers(10), url(...), s3(...).
	Func bool
	// In marks `x IN name`: the name may be a set or an alias rather than
	// a table, so it is dropped when it resolves to nothing.
	In bool
	// Line is the 1-based line of the reference inside the node's SQL, or 0
	// when unknown (the builder then looks the name up in the SQL text).
	Line int
}

// RefFinder extracts the table references of one node of a pipe, before
// references to other nodes and pipes are inlined. Build takes it as a
// dependency so that graphs can be built from hand-made projects in tests;
// DefaultRefs reads the node through datafiles/compile. Build calls it from
// several goroutines at once: it must be safe for concurrent use.
type RefFinder func(p *datafiles.Project, pipe *datafiles.Pipe, node *datafiles.Node) ([]Ref, error)
