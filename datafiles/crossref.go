package datafiles

import "fmt"

// crossReferences checks the names one resource gives to another: the data
// source a materialized or copy node writes to, and (in a Forward project)
// the connection a data source or sink uses.
func (p *Project) crossReferences() []Diagnostic {
	var out []Diagnostic
	errorf := func(pos Pos, sev Severity, format string, args ...any) {
		out = append(out, Diagnostic{Pos: pos, Severity: sev, Message: fmt.Sprintf(format, args...)})
	}
	for _, name := range p.PipeNames() {
		pipe := p.Pipes[name]
		for _, n := range pipe.Nodes {
			switch {
			case n.Type == NodeMaterialized && n.Datasource != "" && n.Engine == nil:
				if p.LookupDatasource(n.Datasource) == nil {
					errorf(n.Pos, Error, "materialized node %s writes to data source %s, which no .datasource file in the project defines", n.Name, n.Datasource)
				}
			case n.Type == NodeCopy && n.TargetDatasource != "":
				if p.LookupDatasource(n.TargetDatasource) == nil {
					errorf(n.Pos, Error, "copy node %s copies into data source %s, which no .datasource file in the project defines", n.Name, n.TargetDatasource)
				}
			}
			if p.Generation != GenerationForward {
				continue
			}
			for _, s := range n.Export {
				if s.Key == "EXPORT_CONNECTION_NAME" {
					if _, ok := p.Connections[s.Value]; !ok {
						errorf(s.Pos, Warning, "sink node %s uses connection %s, which no .connection file in the project defines", n.Name, s.Value)
					}
				}
			}
		}
	}
	if p.Generation != GenerationForward {
		return out
	}
	for _, name := range p.DatasourceNames() {
		d := p.Datasources[name]
		for _, list := range [][]Setting{d.Kafka, d.Import} {
			for _, s := range list {
				if s.Key == "KAFKA_CONNECTION_NAME" || s.Key == "IMPORT_CONNECTION_NAME" {
					if _, ok := p.Connections[s.Value]; !ok {
						errorf(s.Pos, Warning, "data source %s uses connection %s, which no .connection file in the project defines", d.Name, s.Value)
					}
				}
			}
		}
	}
	return out
}
