package lineage

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// flowchart is a Mermaid flowchart parsed back: what WriteMermaid emits is
// checked against the grammar subset it uses.
type flowchart struct {
	direction string
	nodes     map[string]mmdNode // by id
	edges     []mmdEdge
	classDefs map[string]bool
	classes   map[string][]string // class -> ids
}

type mmdNode struct{ label, shape string }

type mmdEdge struct{ from, to, arrow, label string }

var (
	mmdIdent = `[A-Za-z_][A-Za-z0-9_]*`
	// Longest openers first so "[(" is not read as "[".
	mmdShapes = []struct{ open, close, name string }{
		{"[(", ")]", "cylinder"}, {"([", "])", "stadium"}, {"[[", "]]", "subroutine"},
		{"[/", "/]", "parallelogram"}, {"[\\", "\\]", "parallelogram-alt"}, {"{{", "}}", "hexagon"},
		{"((", "))", "circle"}, {"[", "]", "rectangle"},
	}
	mmdEdgeRe  = regexp.MustCompile(`^(` + mmdIdent + `) (-->|-\.->)(?:\|([^|]*)\|)? (` + mmdIdent + `)$`)
	mmdDefRe   = regexp.MustCompile(`^classDef (` + mmdIdent + `) (\S.*)$`)
	mmdClassRe = regexp.MustCompile(`^class (` + mmdIdent + `(?:,` + mmdIdent + `)*) (` + mmdIdent + `)$`)
	mmdNodeRe  = regexp.MustCompile(`^(` + mmdIdent + `)(.*)$`)
)

// parseFlowchart parses the subset of Mermaid flowchart syntax perch writes
// and rejects anything else.
func parseFlowchart(src string) (*flowchart, error) {
	f := &flowchart{nodes: map[string]mmdNode{}, classDefs: map[string]bool{}, classes: map[string][]string{}}
	lines := strings.Split(strings.TrimRight(src, "\n"), "\n")
	if len(lines) == 0 || !regexp.MustCompile(`^flowchart (LR|RL|TB|TD|BT)$`).MatchString(lines[0]) {
		return nil, fmt.Errorf("line 1: want a flowchart header, got %q", lines[0])
	}
	f.direction = strings.Fields(lines[0])[1]
	for i, raw := range lines[1:] {
		ln := i + 2
		line := strings.TrimSpace(raw)
		if !strings.HasPrefix(raw, "  ") {
			return nil, fmt.Errorf("line %d: statements are indented", ln)
		}
		switch {
		case mmdEdgeRe.MatchString(line):
			m := mmdEdgeRe.FindStringSubmatch(line)
			f.edges = append(f.edges, mmdEdge{from: m[1], arrow: m[2], label: m[3], to: m[4]})
		case mmdDefRe.MatchString(line):
			f.classDefs[mmdDefRe.FindStringSubmatch(line)[1]] = true
		case mmdClassRe.MatchString(line):
			m := mmdClassRe.FindStringSubmatch(line)
			if !f.classDefs[m[2]] {
				return nil, fmt.Errorf("line %d: class %s used before classDef", ln, m[2])
			}
			f.classes[m[2]] = append(f.classes[m[2]], strings.Split(m[1], ",")...)
		case mmdNodeRe.MatchString(line):
			m := mmdNodeRe.FindStringSubmatch(line)
			id, rest := m[1], m[2]
			n, err := parseShape(rest)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", ln, err)
			}
			if _, dup := f.nodes[id]; dup {
				return nil, fmt.Errorf("line %d: node %s declared twice", ln, id)
			}
			if id == "end" || strings.HasPrefix(id, "end") && len(id) == 3 {
				return nil, fmt.Errorf("line %d: %q is reserved", ln, id)
			}
			f.nodes[id] = n
		default:
			return nil, fmt.Errorf("line %d: cannot parse %q", ln, line)
		}
	}
	for _, e := range f.edges {
		for _, id := range []string{e.from, e.to} {
			if _, ok := f.nodes[id]; !ok {
				return nil, fmt.Errorf("edge %s->%s: node %s not declared", e.from, e.to, id)
			}
		}
	}
	for c, ids := range f.classes {
		for _, id := range ids {
			if _, ok := f.nodes[id]; !ok {
				return nil, fmt.Errorf("class %s: node %s not declared", c, id)
			}
		}
	}
	return f, nil
}

func parseShape(s string) (mmdNode, error) {
	for _, sh := range mmdShapes {
		if strings.HasPrefix(s, sh.open+`"`) && strings.HasSuffix(s, `"`+sh.close) {
			label := s[len(sh.open)+1 : len(s)-len(sh.close)-1]
			if strings.ContainsAny(label, `"`) {
				return mmdNode{}, fmt.Errorf("unescaped quote in label %q", label)
			}
			return mmdNode{label: label, shape: sh.name}, nil
		}
	}
	return mmdNode{}, fmt.Errorf("unknown node shape %q", s)
}

func TestMermaidParsesBack(t *testing.T) {
	shapeOf := map[Kind]string{
		KindDatasource: "cylinder", KindPipe: "rectangle", KindEndpoint: "stadium", KindMaterialization: "subroutine",
		KindCopy: "parallelogram", KindSink: "parallelogram-alt", KindConnection: "hexagon", KindExternal: "circle",
	}
	for name, g := range map[string]*Graph{"flappy": Build(flappy(), Options{Refs: scanRefs}), "compare": compared(t)} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteMermaid(&b, g); err != nil {
				t.Fatal(err)
			}
			f, err := parseFlowchart(b.String())
			if err != nil {
				t.Fatalf("%v\n%s", err, b.String())
			}
			if f.direction != "LR" {
				t.Errorf("direction %s", f.direction)
			}
			ids := MermaidIDs(g)
			if len(f.nodes) != len(g.Nodes) {
				t.Errorf("%d nodes parsed, graph has %d", len(f.nodes), len(g.Nodes))
			}
			for _, n := range g.Nodes {
				got, ok := f.nodes[ids[n.Name]]
				if !ok {
					t.Errorf("node %s (%s) missing", n.Name, ids[n.Name])
					continue
				}
				if got.shape != shapeOf[n.Kind] {
					t.Errorf("node %s: shape %s, want %s", n.Name, got.shape, shapeOf[n.Kind])
				}
				if !strings.HasPrefix(got.label, n.Name) {
					t.Errorf("node %s: label %q", n.Name, got.label)
				}
				if !contains(f.classes[string(n.Kind)], ids[n.Name]) {
					t.Errorf("node %s not in class %s", n.Name, n.Kind)
				}
			}
			var want, got []string
			for _, e := range g.Edges {
				arrow := "-->"
				if e.Side != Both {
					arrow = "-.->"
				}
				want = append(want, ids[e.From]+" "+arrow+" "+ids[e.To])
			}
			for _, e := range f.edges {
				got = append(got, e.from+" "+e.arrow+" "+e.to)
				if e.label != "" && !regexp.MustCompile(`^(reads|materializes|copies|feeds|exports)?( ?(local|remote) only)?$`).MatchString(e.label) {
					t.Errorf("edge label %q", e.label)
				}
			}
			sort.Strings(want)
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("edges\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestMermaidParserRejectsBadInput(t *testing.T) {
	bad := []string{
		"graph LR\n  a[\"x\"]\n",
		"flowchart LR\n  a[\"x\"]\n  a --> b\n",
		"flowchart LR\n  a<\"x\">\n",
		"flowchart LR\n  end[\"x\"]\n",
		"flowchart LR\n  a[\"x\"]\n  class a nope\n",
	}
	for _, src := range bad {
		if _, err := parseFlowchart(src); err == nil {
			t.Errorf("accepted %q", src)
		}
	}
}

func TestMermaidIDsAreSafe(t *testing.T) {
	g, err := NewGraph([]*Node{
		{Name: "end", Kind: KindPipe}, {Name: "a.b", Kind: KindExternal}, {Name: "a_b", Kind: KindExternal},
		{Name: "x()", Kind: KindExternal}, {Name: `we"ird|name`, Kind: KindPipe},
	}, []Edge{{From: "a.b", To: "end", Kind: EdgeReads}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteMermaid(&b, g); err != nil {
		t.Fatal(err)
	}
	if _, err := parseFlowchart(b.String()); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	ids := MermaidIDs(g)
	if ids["a.b"] == ids["a_b"] {
		t.Errorf("ids collide: %v", ids)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
