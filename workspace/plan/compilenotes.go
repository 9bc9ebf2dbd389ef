package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
)

// compileNotes compiles nodes for the planner like Compile, with the
// secrets and variables getenv answers (as `perch compile` reads them), and
// keeps what the user must know about the SQL it deployed: secrets and
// variables of other nodes that were not set (their placeholder is in the
// SQL; apply needs the value) and templates that rendered in another mode
// than with defaults. A materialized node reading a secret or variable that
// is not set does not compile: its view would deploy the placeholder.
type compileNotes struct {
	getenv func(string) string
	byPipe map[string][]string
}

func newCompileNotes(getenv func(string) string) *compileNotes {
	return &compileNotes{getenv: getenv, byPipe: map[string][]string{}}
}

// UnsetValuesError is the plan error of a materialized node that reads
// tb_secret() or tb_var() values that are not set.
type UnsetValuesError struct {
	// Pos is where the node's SQL starts.
	Pos  datafiles.Pos
	Node compile.NodeRef
	// Secrets and Vars name the values that are not set.
	Secrets, Vars []string
}

// Error names the node, where it is, the values and what to set.
func (e *UnsetValuesError) Error() string {
	var what []string
	for _, s := range e.Secrets {
		what = append(what, "secret "+s)
	}
	for _, v := range e.Vars {
		what = append(what, "variable "+v)
	}
	names := append(append([]string(nil), e.Secrets...), e.Vars...)
	verb, env := "is", "env var"
	if len(names) > 1 {
		verb, env = "are", "env vars"
	}
	return fmt.Sprintf("%s: materialized node %s reads %s, which %s not set: set %s %s (perch compile reads it the same way); "+
		"perch does not deploy the view with a placeholder in its place",
		e.Pos, e.Node, strings.Join(what, ", "), verb, env, strings.Join(names, ", "))
}

// compile is a CompileFunc.
func (n *compileNotes) compile(p *datafiles.Project, pipe *datafiles.Pipe, node *datafiles.Node) (string, error) {
	res, err := compile.Compile(p, pipe.Name, node.Name, compile.Options{Getenv: n.getenv})
	if err != nil {
		return "", err
	}
	if node.Type == datafiles.NodeMaterialized && len(res.MissingSecrets)+len(res.MissingVars) > 0 {
		pos := node.SQLPos
		if pos.File == "" {
			pos = node.Pos
		}
		return "", &UnsetValuesError{Pos: pos, Node: compile.NodeRef{Pipe: pipe.Name, Node: node.Name},
			Secrets: res.MissingSecrets, Vars: res.MissingVars}
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
