package plan

import (
	"fmt"
	"sort"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
)

// compileNotes compiles nodes for the planner like Compile, and keeps what
// the user must know about the SQL it deployed: secrets and variables that
// were not set (their placeholder is in the SQL; apply needs the value) and
// templates that rendered in another mode than with defaults.
type compileNotes struct {
	byPipe map[string][]string
}

func newCompileNotes() *compileNotes { return &compileNotes{byPipe: map[string][]string{}} }

// compile is a CompileFunc.
func (n *compileNotes) compile(p *datafiles.Project, pipe *datafiles.Pipe, node *datafiles.Node) (string, error) {
	res, err := compile.Compile(p, pipe.Name, node.Name, compile.Options{})
	if err != nil {
		return "", err
	}
	for _, s := range res.MissingSecrets {
		n.add(pipe.Name, fmt.Sprintf("%s.%s reads secret %s, which is not set: the SQL shown uses a placeholder; set %s before applying", pipe.Name, node.Name, s, s))
	}
	for _, v := range res.MissingVars {
		n.add(pipe.Name, fmt.Sprintf("%s.%s reads variable %s, which is not set: the SQL shown uses a placeholder; set %s before applying", pipe.Name, node.Name, v, v))
	}
	for _, fb := range res.Fallbacks {
		n.add(pipe.Name, fmt.Sprintf("%s renders with %s: with defaults its template fails (%s)", fb.Node, fb.Mode, fb.Err))
	}
	return res.SQL, nil
}

func (n *compileNotes) add(pipe, note string) {
	for _, x := range n.byPipe[pipe] {
		if x == note {
			return
		}
	}
	n.byPipe[pipe] = append(n.byPipe[pipe], note)
}

// annotate adds the notes to the changes of the pipes they concern.
func (n *compileNotes) annotate(pl *Plan) {
	for _, c := range pl.Changes {
		notes := n.byPipe[c.Resource]
		sort.Strings(notes)
		c.Notes = append(c.Notes, notes...)
	}
}
