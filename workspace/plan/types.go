package plan

import (
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace"
)

// typeSince lists column types by the server version that introduced them,
// so a type the server cannot create is a plan error, not an apply failure.
var typeSince = []struct {
	prefix       string
	major, minor int
}{
	{"SimpleAggregateFunction(", 19, 8},
	{"IPv4", 19, 3},
	{"IPv6", 19, 3},
	{"DateTime64", 20, 1},
	{"Map(", 21, 1},
	{"Int128", 21, 3},
	{"Int256", 21, 3},
	{"UInt128", 21, 3},
	{"UInt256", 21, 3},
	{"Date32", 21, 9},
	{"Bool", 21, 12},
	{"Object(", 22, 3},
	{"JSON", 22, 3},
}

// unsupportedType returns the first part of typ the server cannot create,
// with the version that brought it, or "".
func unsupportedType(typ string, v workspace.Version) string {
	t := sqltext.NormalizeType(typ)
	for _, ts := range typeSince {
		if v.AtLeast(ts.major, ts.minor) {
			continue
		}
		for i := 0; i < len(t); i++ {
			if (i == 0 || !sqltext.IsWordByte(t[i-1])) && strings.HasPrefix(t[i:], ts.prefix) {
				end := i + len(ts.prefix)
				if strings.HasSuffix(ts.prefix, "(") || end == len(t) || !sqltext.IsWordByte(t[end]) {
					return fmt.Sprintf("%s (%d.%d+)", strings.TrimSuffix(ts.prefix, "("), ts.major, ts.minor)
				}
			}
		}
	}
	return ""
}

// checkTypes makes a plan error of every column whose type the server cannot create.
func (p *planner) checkTypes(ds *datafiles.Datasource) {
	v := p.remote.Capabilities.Version
	if v.Major == 0 {
		return // unknown server: nothing to check against
	}
	for _, c := range ds.Columns {
		if u := unsupportedType(c.Type, v); u != "" {
			p.errorf("%s: %s.%s: server %s has no type %s", c.Pos, ds.Name, c.Name, v, u)
		}
	}
}
