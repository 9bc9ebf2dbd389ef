package app

import (
	"sort"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
)

// State is a resource's state: the local project against the remote
// workspace (the live object, or for what has no live object the last
// deployment), refined by drift.
type State string

// The states of a resource.
const (
	// InSync: the local definition is what the remote holds.
	InSync State = "in sync"
	// New: in the project only; the plan creates it.
	New State = "new"
	// Changed: the local definition differs from the remote one.
	Changed State = "changed"
	// Removed: deployed (or live), gone from the project; the plan deletes it.
	Removed State = "deleted locally"
	// Missing: deployed, but the live object is gone from the server.
	Missing State = "deleted remotely"
	// Drifted: the live object was changed on the server since the last deployment.
	Drifted State = "drifted"
	// Unmanaged: on the server, but perch never deployed it.
	Unmanaged State = "unmanaged"
)

// ResourceStatus is the state of one resource, with both definitions.
type ResourceStatus struct {
	Name string
	// Kind is datasource, or the pipe's kind (endpoint, materialization, copy, sink, pipe).
	Kind  string
	State State
	// File is the resource's datafile: the local one, else the deployed one.
	File string
	// LocalText is the local datafile as written; empty when not in the project.
	LocalText string
	// RemoteText is the remote definition as a datafile: the deployed file as
	// written when the live object matches it (it keeps what the server does
	// not store: JSONPATHs, descriptions, a view's earlier nodes), else the
	// live object formatted; empty when the remote has none.
	RemoteText string
	// Notes explain the state (what drifted, and how).
	Notes []string
}

// Statuses classifies every resource of the project, the live workspace
// and the last deployment, sorted by name.
func Statuses(local *datafiles.Project, r *Remote) []ResourceStatus {
	driftOf := map[string]workspace.DriftStatus{}
	notes := map[string][]string{}
	for _, it := range r.Drift.Items {
		driftOf[it.Name] = it.Status
		for _, ch := range it.Changes {
			notes[it.Name] = append(notes[it.Name], "drift: "+ch.String())
		}
		if it.Error != "" {
			notes[it.Name] = append(notes[it.Name], "drift not checked: "+it.Error)
		}
	}
	var out []ResourceStatus
	for _, n := range resourceNames(local, r) {
		live := resource(r.Snapshot.Datasources, r.Snapshot.Pipes, n)
		var dep, loc any
		if r.Deployed != nil {
			dep = resource(r.Deployed.Datasources, r.Deployed.Pipes, n)
		}
		if local != nil {
			loc = resource(local.Datasources, local.Pipes, n)
		}
		// When the live object matches the last deployment, the deployed
		// datafile is the remote definition.
		if dep != nil && driftOf[n] == workspace.InSync {
			live = dep
		}
		remote := live
		if remote == nil {
			remote = dep
		}
		st := ResourceStatus{Name: n, Kind: kindOf(loc, remote), Notes: notes[n]}
		if loc != nil {
			st.File = fileOf(loc)
			st.LocalText = local.Sources[st.File]
		}
		if remote != nil {
			st.RemoteText = datafiles.Format(remote)
			if remote == dep {
				if st.File == "" {
					st.File = fileOf(dep)
				}
				if src := r.Deployed.Sources[fileOf(dep)]; src != "" {
					st.RemoteText = src // the deployed file itself, comments included
				}
			}
		}
		st.State = classify(loc, remote, driftOf[n], r.Snapshot.Database, remote != nil && remote == dep)
		out = append(out, st)
	}
	return out
}

// classify decides the state of one resource from its local and remote
// definitions (nil when absent) and its drift; deployed says remote is the
// deployed datafile.
func classify(loc, remote any, drift workspace.DriftStatus, database string, deployed bool) State {
	switch {
	case loc == nil && drift == workspace.Unmanaged:
		return Unmanaged
	case loc == nil:
		return Removed // deployed, gone from the project: the plan deletes it
	case drift == workspace.Missing:
		return Missing
	case drift == workspace.Drifted:
		return Drifted
	case remote == nil:
		return New
	case same(loc, remote, database, deployed):
		return InSync
	}
	return Changed
}

// resourceNames lists every data source and pipe name of the three sides, sorted.
func resourceNames(local *datafiles.Project, r *Remote) []string {
	seen := map[string]bool{}
	add := func(ds map[string]*datafiles.Datasource, ps map[string]*datafiles.Pipe) {
		for n := range ds {
			seen[n] = true
		}
		for n := range ps {
			seen[n] = true
		}
	}
	add(r.Snapshot.Datasources, r.Snapshot.Pipes)
	if r.Deployed != nil {
		add(r.Deployed.Datasources, r.Deployed.Pipes)
	}
	if local != nil {
		add(local.Datasources, local.Pipes)
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// resource returns the data source or pipe called name as an any that is
// nil when there is neither (never a typed nil).
func resource(ds map[string]*datafiles.Datasource, ps map[string]*datafiles.Pipe, name string) any {
	if d, ok := ds[name]; ok && d != nil {
		return d
	}
	if p, ok := ps[name]; ok && p != nil {
		return p
	}
	return nil
}

// kindOf names the kind of the local model, else of the remote one.
func kindOf(loc, remote any) string {
	m := loc
	if m == nil {
		m = remote
	}
	switch x := m.(type) {
	case *datafiles.Datasource:
		return "datasource"
	case *datafiles.Pipe:
		return string(x.Kind())
	}
	return ""
}

// fileOf is the datafile path of a data source or pipe model.
func fileOf(model any) string {
	switch m := model.(type) {
	case *datafiles.Datasource:
		return m.File
	case *datafiles.Pipe:
		return m.File
	}
	return ""
}
