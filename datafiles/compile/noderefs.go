package compile

import (
	"fmt"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/template"
)

// NodeRefs returns the table references of one node as written, before
// references to other nodes and pipes are inlined: the node is rendered in
// placeholder mode and its SQL read with TableRefs. Lines are lines of the
// node's rendered SQL. Lineage uses it.
func NodeRefs(node *datafiles.Node) (Refs, error) {
	sql := node.SQL
	if template.IsTemplate(sql) {
		tpl, err := template.Parse(sql)
		if err != nil {
			return Refs{}, fmt.Errorf("node %s: %w", node.Name, err)
		}
		res, err := tpl.Render(template.RenderOptions{Mode: template.Placeholders})
		if err != nil {
			return Refs{}, fmt.Errorf("node %s: %w", node.Name, err)
		}
		sql = res.SQL
	}
	refs, err := TableRefs(sql)
	if err != nil {
		return Refs{}, fmt.Errorf("node %s: %w", node.Name, err)
	}
	return refs, nil
}
