package plan

import (
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
)

// The project as Tinybird deploys it.
//
// The planner compares tables by the names the server knows, and creates
// what a deploy needs. deployView turns a project into that form:
//   - a Classic `VERSION n` data source or pipe is deployed as name__vN
//     (its files still say name; Project.Aliases keeps that name readable
//     from SQL, and compile writes name__vN);
//   - a Kafka data source carries Tinybird's meta columns (__value,
//     __topic, __partition, __offset, __timestamp, __key, and __headers
//     with KAFKA_STORE_HEADERS), which partition keys and nodes use;
//   - the quarantine table NAME_quarantine of a data source, which Tinybird
//     creates beside every data source, is created (with Tinybird's shape,
//     see datafiles.QuarantineDatasource) when some node reads it.

// deployView returns the project as deployed: p itself when nothing
// changes, else a copy (p is never modified).
func deployView(p *datafiles.Project) *datafiles.Project {
	if p == nil {
		return nil
	}
	quarantines := readQuarantines(p)
	if !needsDeployView(p) && len(quarantines) == 0 {
		return p
	}
	q := *p
	q.Datasources = make(map[string]*datafiles.Datasource, len(p.Datasources)+len(quarantines))
	q.Pipes = make(map[string]*datafiles.Pipe, len(p.Pipes))
	q.Aliases = map[string]string{}
	for k, v := range p.Aliases {
		q.Aliases[k] = v
	}
	for _, name := range p.DatasourceNames() {
		ds := p.Datasources[name]
		c := *ds
		if ds.Version > 0 {
			c.Name, c.Version = ds.DeployedName(), 0
			q.Aliases[ds.Name] = c.Name
		}
		if meta := ds.KafkaMetadataColumns(); len(meta) > 0 {
			c.Columns = append(append([]datafiles.Column(nil), ds.Columns...), meta...)
		}
		q.Datasources[c.Name] = &c
	}
	for _, qt := range quarantines {
		if q.Datasources[qt.Name] == nil {
			q.Datasources[qt.Name] = qt
		}
	}
	for _, name := range p.PipeNames() {
		pp := p.Pipes[name]
		c := *pp
		if pp.Version > 0 {
			c.Name, c.Version = pp.DeployedName(), 0
			q.Aliases[pp.Name] = c.Name
		}
		c.Nodes = make([]*datafiles.Node, len(pp.Nodes))
		for i, n := range pp.Nodes {
			cn := *n
			cn.Datasource = deployedTable(p, n.Datasource)
			cn.TargetDatasource = deployedTable(p, n.TargetDatasource)
			c.Nodes[i] = &cn
		}
		q.Pipes[c.Name] = &c
	}
	return &q
}

// needsDeployView reports whether a project has versioned resources or
// Kafka data sources.
func needsDeployView(p *datafiles.Project) bool {
	for _, ds := range p.Datasources {
		if ds.Version > 0 || len(ds.KafkaMetadataColumns()) > 0 {
			return true
		}
	}
	for _, pp := range p.Pipes {
		if pp.Version > 0 {
			return true
		}
	}
	return false
}

// deployedTable is the deployed name of the data source a node names.
func deployedTable(p *datafiles.Project, name string) string {
	if ds := p.LookupDatasource(name); ds != nil {
		return ds.DeployedName()
	}
	return name
}

// readQuarantines returns the quarantine tables the nodes of p read, as
// Tinybird shapes them, in data source order.
func readQuarantines(p *datafiles.Project) []*datafiles.Datasource {
	read := map[string]bool{}
	for _, name := range p.PipeNames() {
		for _, n := range p.Pipes[name].Nodes {
			if !strings.Contains(n.SQL, datafiles.QuarantineSuffix) {
				continue
			}
			refs, err := compile.NodeRefs(n)
			if err != nil {
				continue // the compile of the node reports it
			}
			for _, r := range refs.Tables {
				if ds := p.QuarantineOf(r.Name); ds != nil && r.Database == "" && !r.Func {
					read[ds.Name] = true
				}
			}
		}
	}
	var out []*datafiles.Datasource
	for _, name := range p.DatasourceNames() {
		if read[name] {
			out = append(out, datafiles.QuarantineDatasource(p.Datasources[name]))
		}
	}
	return out
}

// remoteDeployView is remote with its deployed project in deployed form,
// so that metadata diffs compare like with like.
func remoteDeployView(r *Remote) *Remote {
	if r == nil || r.Deployed == nil {
		return r
	}
	dv := deployView(r.Deployed)
	if dv == r.Deployed {
		return r
	}
	c := *r
	c.Deployed = dv
	return &c
}
