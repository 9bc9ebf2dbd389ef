package datafiles

import (
	"strconv"
	"strings"
)

// ParsePipe parses a .pipe file. The resource name is the file name without
// its extension; file is used in positions. $VAR references in single-line
// values are replaced from the environment, and INCLUDE paths are resolved
// on disk relative to the file's directory.
func ParsePipe(file string, src []byte) (*Pipe, []Diagnostic) {
	c := newFileCtx(KindPipe, osEnv)
	p := c.pipe(file, string(src))
	return p, c.diags
}

// nodeTypes are the values TYPE takes, lower case.
var nodeTypes = map[string]NodeType{
	"endpoint": NodeEndpoint, "materialized": NodeMaterialized, "copy": NodeCopy, "sink": NodeSink,
}

// nodeOnly directives belong to a node and need a NODE before them.
func nodeOnly(dir string) bool {
	switch dir {
	case "SQL", "TYPE", "DATASOURCE", "DEPLOYMENT_METHOD", "TARGET_DATASOURCE", "COPY_SCHEDULE", "COPY_MODE", "MODE":
		return true
	}
	return strings.HasPrefix(dir, "EXPORT_") || dir == "ENGINE" || strings.HasPrefix(dir, "ENGINE_")
}

func (c *parseCtx) pipe(file, src string) *Pipe {
	p := &Pipe{Name: resourceName(file), File: file, Pos: Pos{file, 1, 1}}
	c.checkName(KindPipe, p.Name, p.Pos)
	fileOnce := &onceTracker{}
	var node *Node
	nodeOnce := &onceTracker{}
	nodes := map[string]Pos{}
	p.DirectivePos = map[string]Pos{}
	for _, s := range c.statements(splitLines(file, src)) {
		if node == nil && nodeOnly(s.Dir) {
			c.errorf(s.Pos, "%s before the first NODE: start a node with `NODE name` first", s.Dir)
			continue
		}
		switch {
		case s.Dir == "NODE":
		case node == nil || s.Dir == "TOKEN" || s.Dir == "TAGS" || s.Dir == "VERSION" || s.Dir == "CACHE":
			p.DirectivePos[s.Dir] = s.Pos
		default:
			node.DirectivePos[s.Dir] = s.Pos
		}
		once := fileOnce
		if node != nil && s.Dir != "TOKEN" && s.Dir != "TAGS" && s.Dir != "VERSION" && s.Dir != "CACHE" {
			once = nodeOnce
		}
		if s.Dir != "NODE" && s.Dir != "TOKEN" {
			if prev, dup := once.seen(s.Dir, s.Pos); dup {
				if s.Dir == "SQL" {
					c.errorf(s.Pos, "node %s has a second SQL block (first at line %d): start a new node with `NODE name`", node.Name, prev)
					continue
				}
				c.warnf(s.Pos, "%s given twice (first at line %d); the last one wins", s.Dir, prev)
			}
		}
		switch {
		case s.Dir == "NODE":
			name := c.value(s)
			node = &Node{Name: name, Pos: s.Pos, DirectivePos: map[string]Pos{"NODE": s.Pos}}
			nodeOnce = &onceTracker{}
			switch {
			case name == "":
				c.errorf(s.Pos, "NODE needs a name: NODE my_node")
			case !isIdentifier(name):
				c.errorf(s.Pos, "node name %q is not a valid name: use letters, digits and _", name)
			}
			if prev, ok := nodes[name]; ok && name != "" {
				c.errorf(s.Pos, "node %s is defined twice in this pipe (first at line %d)", name, prev.Line)
			}
			nodes[name] = s.Pos
			p.Nodes = append(p.Nodes, node)
		case s.Dir == "DESCRIPTION":
			if node == nil {
				p.Description = c.text(s)
			} else {
				node.Description = c.text(s)
			}
		case s.Dir == "TOKEN":
			if t, ok := c.token(s, "READ", "READ"); ok {
				p.Tokens = append(p.Tokens, t)
			}
		case s.Dir == "TAGS":
			p.Tags = splitList(c.value(s))
		case s.Dir == "VERSION":
			p.Version = c.version(s)
		case s.Dir == "CACHE":
			v := c.value(s)
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				c.errorf(s.Pos, "CACHE %q is not a number of seconds", v)
				continue
			}
			p.Cache = n
		case s.Dir == "SQL":
			c.nodeSQL(node, s)
		case s.Dir == "TYPE":
			v := c.value(s)
			t, ok := nodeTypes[strings.ToLower(v)]
			if !ok {
				c.errorf(s.Pos, "node %s: unknown TYPE %q; allowed: endpoint, materialized, copy, sink", node.Name, v)
				continue
			}
			node.Type = t
		case s.Dir == "DATASOURCE":
			node.Datasource = c.value(s)
		case s.Dir == "DEPLOYMENT_METHOD":
			c.mark(GenerationForward, "DEPLOYMENT_METHOD", s.Pos)
			node.DeploymentMethod = strings.ToLower(c.value(s))
			if node.DeploymentMethod != "alter" {
				c.errorf(s.Pos, "node %s: DEPLOYMENT_METHOD %q is not known; the only method is alter", node.Name, node.DeploymentMethod)
			}
		case s.Dir == "TARGET_DATASOURCE":
			node.TargetDatasource = c.value(s)
		case s.Dir == "COPY_SCHEDULE":
			node.CopySchedule = c.value(s)
		case s.Dir == "COPY_MODE" || s.Dir == "MODE":
			node.CopyMode = strings.ToLower(c.value(s))
			if node.CopyMode != "append" && node.CopyMode != "replace" {
				c.errorf(s.Pos, "node %s: %s %q is not known; use append or replace", node.Name, s.Dir, node.CopyMode)
			}
		case strings.HasPrefix(s.Dir, "EXPORT_"):
			node.Export = append(node.Export, Setting{Key: s.Dir, Value: c.value(s), Pos: s.Pos})
		case s.Dir == "ENGINE" || strings.HasPrefix(s.Dir, "ENGINE_"):
			if node.Engine == nil {
				node.Engine = &Engine{}
				c.mark(GenerationClassic, "ENGINE on a materialized node", s.Pos)
			}
			c.engineDirective(node.Engine, s)
		}
	}
	for _, n := range p.Nodes {
		c.checkNode(n)
	}
	c.checkTypedNodes(p)
	if len(p.Nodes) == 0 {
		c.errorf(p.Pos, "pipe %s has no nodes: add `NODE name` and a `SQL >` block", p.Name)
	}
	p.Includes = append([]string(nil), c.includes...)
	return p
}

// nodeSQL sets the SQL of a node and where each of its lines came from.
func (c *parseCtx) nodeSQL(node *Node, s stmt) {
	if !s.IsBlock {
		node.SQLPos = s.Pos
		if len(s.Args) == 0 {
			return
		}
		node.SQL = strings.TrimSpace(c.value(s))
		c.blockSafe(s.Pos, s.Dir, node.SQL)
		node.SQLPos = Pos{s.Pos.File, s.Pos.Line, s.Args[0].Col}
		node.SQLLines = []int{s.Pos.Line}
		node.SQLIndent = s.Args[0].Col - 1
		node.SQLFirstIndent = node.SQLIndent
		return
	}
	b := dedent(s.Block)
	node.SQL = b.text
	node.SQLLines = b.lines
	node.SQLIndent = b.indent
	node.SQLFirstIndent = b.firstIndent
	node.SQLPos = s.Pos
	if len(b.lines) > 0 {
		node.SQLPos = Pos{b.file, b.lines[0], b.firstIndent + 1}
	}
}

// checkNode reports what a node lacks for its type.
func (c *parseCtx) checkNode(n *Node) {
	if strings.TrimSpace(n.SQL) == "" {
		c.errorf(n.Pos, "node %s has no SQL: add a `SQL >` block with its query indented below it", n.Name)
	}
	switch n.Type {
	case NodeMaterialized:
		if n.Datasource == "" {
			c.errorf(n.Pos, "materialized node %s has no DATASOURCE: add `DATASOURCE target_name` naming the data source it writes to", n.Name)
		}
	case NodeCopy:
		if n.TargetDatasource == "" {
			c.errorf(n.Pos, "copy node %s has no TARGET_DATASOURCE: add `TARGET_DATASOURCE target_name` naming the data source it copies into", n.Name)
		}
	}
	if n.Type != NodeMaterialized {
		if n.Datasource != "" {
			c.warnf(n.Pos, "node %s has DATASOURCE but is not TYPE materialized; DATASOURCE is ignored", n.Name)
		}
		if n.Engine != nil {
			c.warnf(n.Pos, "node %s has ENGINE directives but is not TYPE materialized; they are ignored", n.Name)
		}
	}
	if n.Type != NodeCopy && (n.TargetDatasource != "" || n.CopySchedule != "" || n.CopyMode != "") {
		c.warnf(n.Pos, "node %s has copy directives but is not TYPE copy; they are ignored", n.Name)
	}
	if n.Type != NodeSink && len(n.Export) > 0 {
		c.warnf(n.Pos, "node %s has EXPORT_* directives but is not TYPE sink; they are ignored", n.Name)
	}
	if n.Engine != nil && n.Engine.Name == "" {
		n.Engine.Name = "MergeTree"
	}
	if n.Engine != nil {
		c.checkEngine(n.Engine)
	}
}

// checkTypedNodes reports a pipe that publishes more than one typed node.
func (c *parseCtx) checkTypedNodes(p *Pipe) {
	var first *Node
	for _, n := range p.Nodes {
		if n.Type == NodePlain {
			continue
		}
		if first == nil {
			first = n
			continue
		}
		c.errorf(n.Pos, "pipe %s has a second typed node %s (TYPE %s); node %s (line %d) is already TYPE %s: a pipe has at most one endpoint, materialized, copy or sink node",
			p.Name, n.Name, n.Type, first.Name, first.Pos.Line, first.Type)
	}
}
