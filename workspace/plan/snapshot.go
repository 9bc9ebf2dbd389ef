package plan

import (
	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/journal"
)

// LockTable is the table whose existence is the apply lock; it is left out
// of fingerprints.
const LockTable = journal.LockTable

// FromSnapshot builds the planner's remote state from a workspace snapshot
// and the project of the last successful deployment (nil when none).
func FromSnapshot(s *workspace.Snapshot, cluster string, deployed *datafiles.Project) *Remote {
	r := NewRemote(s.Database, s.Capabilities)
	r.Cluster = cluster
	r.Deployed = deployed
	r.Functions = s.Functions
	delete(s.Objects, LockTable)
	r.Fingerprint = s.Fingerprint()
	for name, o := range s.Objects {
		if name == workspace.DeploymentsTable || (o.Internal && !isLeftoverName(name)) {
			continue
		}
		switch o.Kind {
		case workspace.KindTable:
			ds := s.Datasources[name]
			if ds == nil {
				ds = &datafiles.Datasource{Name: name}
			}
			r.Tables[name] = &Table{Datasource: ds, Rows: o.Rows, Bytes: o.Bytes, Partitions: int(o.Partitions), ReadBy: o.Dependents}
		case workspace.KindMaterializedView:
			r.Views[name] = &View{Name: name, Materialized: true, Target: o.To, Query: o.Query}
		case workspace.KindView:
			r.Views[name] = &View{Name: name, Query: o.Query}
		}
	}
	return r
}

func isLeftoverName(name string) bool {
	_, _, ok := isLeftover(name)
	return ok
}

// DeployedProject loads the datafiles recorded with a deployment (nil
// when there are none), with the environment as datafiles.Load does.
func DeployedProject(d *workspace.Deployment) (*datafiles.Project, error) {
	if d == nil || len(d.Files) == 0 {
		return nil, nil
	}
	return d.LoadFiles(datafiles.Load)
}

// ProjectFiles lists a project's datafiles for the deployment log.
func ProjectFiles(p *datafiles.Project) []workspace.DeployedFile {
	var out []workspace.DeployedFile
	for _, f := range p.Files {
		out = append(out, workspace.DeployedFile{Path: f, Text: p.Sources[f]})
	}
	return out
}

// Compile is the CompileFunc of datafiles/compile, rendering parameters
// that are not given from their defaults or typed placeholders.
func Compile(p *datafiles.Project, pipe *datafiles.Pipe, node *datafiles.Node) (string, error) {
	res, err := compile.Compile(p, pipe.Name, node.Name, compile.Options{})
	if err != nil {
		return "", err
	}
	return res.SQL, nil
}
