package datafiles

import (
	"strings"
)

// The project as Tinybird deploys it.
//
// The planner compares tables by the names the server knows, and creates
// what a deploy needs; drift compares the same. AsDeployed turns a project
// into that form:
//   - a Classic `VERSION n` data source or pipe is deployed as name__vN
//     (its files still say name; Project.Aliases keeps that name readable
//     from SQL, and compile writes name__vN);
//   - a Kafka data source carries Tinybird's meta columns (__value,
//     __topic, __partition, __offset, __timestamp, __key, and __headers
//     with KAFKA_STORE_HEADERS), which partition keys and nodes use;
//   - the quarantine table NAME_quarantine of a data source, which Tinybird
//     creates beside every data source, is created (with Tinybird's shape,
//     see QuarantineDatasource) when some node mentions it, in any branch.

// AsDeployed returns the project as deployed: p itself when nothing
// changes, else a copy sharing what it does not change (p is never
// modified).
func (p *Project) AsDeployed() *Project {
	if p == nil {
		return nil
	}
	quarantines := readQuarantines(p)
	if !needsDeployView(p) && len(quarantines) == 0 {
		return p
	}
	q := *p
	q.Datasources = make(map[string]*Datasource, len(p.Datasources)+len(quarantines))
	q.Pipes = make(map[string]*Pipe, len(p.Pipes))
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
			c.Columns = append(append([]Column(nil), ds.Columns...), meta...)
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
		c.Nodes = make([]*Node, len(pp.Nodes))
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
func needsDeployView(p *Project) bool {
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
func deployedTable(p *Project, name string) string {
	if ds := p.LookupDatasource(name); ds != nil {
		return ds.DeployedName()
	}
	return name
}

// readQuarantines returns the quarantine tables the nodes of p mention
// (in any branch of a template), as Tinybird shapes them, in data source
// order.
func readQuarantines(p *Project) []*Datasource {
	read := map[string]bool{}
	for _, name := range p.PipeNames() {
		for _, n := range p.Pipes[name].Nodes {
			for _, w := range quarantineWords(n.SQL) {
				if ds := p.QuarantineOf(w); ds != nil {
					read[ds.Name] = true
				}
			}
		}
	}
	var out []*Datasource
	for _, name := range p.DatasourceNames() {
		if read[name] {
			out = append(out, QuarantineDatasource(p.Datasources[name]))
		}
	}
	return out
}

// quarantineWords returns the identifiers of SQL text that end in
// _quarantine (bare or backquoted).
func quarantineWords(sql string) []string {
	var out []string
	for i := 0; i < len(sql); {
		j := strings.Index(sql[i:], QuarantineSuffix)
		if j < 0 {
			break
		}
		end := i + j + len(QuarantineSuffix)
		start := i + j
		for start > 0 && isIdentByte(sql[start-1]) {
			start--
		}
		if (end == len(sql) || !isIdentByte(sql[end])) && start < i+j {
			out = append(out, sql[start:end])
		}
		i = end
	}
	return out
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
