package lineage

import (
	"errors"

	"github.com/perchdata/perch/datafiles"
)

// DefaultRefs extracts table references through datafiles/compile.
func DefaultRefs(p *datafiles.Project, pipe *datafiles.Pipe, node *datafiles.Node) ([]Ref, error) {
	return nil, errors.New("TODO(lineage): wire datafiles/compile.TableRefs once it lands")
}
