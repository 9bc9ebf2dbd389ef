package main

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/ddl"
)

// deployProject makes the target hold the project before the demo streams
// into it. This is the demo's one deploy call.
//
// Until workspace/apply lands it only bootstraps: it creates the data sources
// that do not exist yet and the materialized views of single-node,
// untemplated materialized pipes, and leaves existing objects as they are
// (changing them is what `perch plan` / `perch apply` are for).
func deployProject(ctx context.Context, e *env, c *workspace.Client, p *datafiles.Project) error {
	existing, err := tableNames(ctx, c)
	if err != nil {
		return err
	}
	g := ddl.Generator{Database: c.Database(), Cluster: c.Cluster(), Caps: c.Capabilities()}
	var created []string
	for _, name := range p.DatasourceNames() {
		if existing[name] {
			continue
		}
		q, err := g.CreateTable(name, p.Datasources[name])
		if err != nil {
			return fmt.Errorf("deploy %s: %w", p.Datasources[name].File, err)
		}
		if err := c.Exec(ctx, q); err != nil {
			return fmt.Errorf("deploy %s: %w", p.Datasources[name].File, err)
		}
		created = append(created, name)
	}
	for _, name := range p.PipeNames() {
		pipe := p.Pipes[name]
		if pipe.Kind() != datafiles.PipeMaterialization || existing[name] {
			continue
		}
		var node *datafiles.Node
		for _, n := range pipe.Nodes {
			if n.Type == datafiles.NodeMaterialized {
				node = n
			}
		}
		if len(pipe.Nodes) != 1 || node == nil || node.SQL == "" || node.SQL[0] == '%' {
			return fmt.Errorf("deploy %s: only single-node, untemplated materialized pipes can be deployed by perch demo for now", pipe.File)
		}
		if err := c.Exec(ctx, g.CreateMaterializedView(name, node.Datasource, node.SQL)); err != nil {
			return fmt.Errorf("deploy %s: %w", pipe.File, err)
		}
		created = append(created, name)
	}
	if len(created) == 0 {
		fmt.Fprintf(e.stdout, "deploy: %s already holds the project's tables and views\n", c.Database())
	} else {
		fmt.Fprintf(e.stdout, "deploy: created %v in %s\n", created, c.Database())
	}
	return nil
}

// tableNames lists the tables and views of the client's database.
func tableNames(ctx context.Context, c *workspace.Client) (map[string]bool, error) {
	rows, err := c.Conn().Query(ctx, "SELECT name FROM system.tables WHERE database = "+ddl.String(c.Database()))
	if err != nil {
		return nil, fmt.Errorf("list tables of %s: %w", c.Database(), err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list tables of %s: %w", c.Database(), err)
		}
		out[n] = true
	}
	return out, rows.Err()
}
