package workspace

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/workspace/compare"
)

// FieldChange is one difference between two definitions of a resource
// (compare.Change): for drift, Local is what perch deployed and Remote what
// is live.
type FieldChange = compare.Change

// DiffDatasource compares the server-side definition of two data sources
// (compare.Datasources).
func DiffDatasource(local, remote *datafiles.Datasource, database string) []FieldChange {
	return compare.Datasources(local, remote, database)
}

// DiffPipe compares a view's compiled query and target with a live view
// (compare.View).
func DiffPipe(localSQL, localTarget string, remote *datafiles.Pipe, database string) []FieldChange {
	return compare.View(localSQL, localTarget, remote, database)
}

// DriftStatus is how a resource compares with what perch last deployed.
type DriftStatus string

// The drift statuses.
const (
	// InSync: live and deployed definitions are the same.
	InSync DriftStatus = "in_sync"
	// Drifted: the live object was changed by hand since the deployment.
	Drifted DriftStatus = "drifted"
	// Missing: deployed, but the live object is gone.
	Missing DriftStatus = "missing"
	// Unmanaged: live, but perch never deployed it.
	Unmanaged DriftStatus = "unmanaged"
)

// DriftItem is the drift of one resource.
type DriftItem struct {
	Name string `json:"name"`
	// Kind is "datasource", "pipe" or "dictionary".
	Kind    string        `json:"kind"`
	Status  DriftStatus   `json:"status"`
	Changes []FieldChange `json:"changes,omitempty"`
	// Error explains a deployed definition that could not be compared.
	Error string `json:"error,omitempty"`
}

// DriftReport compares the live database with the last successful deployment.
type DriftReport struct {
	// Deployment is the id compared against; empty when perch never deployed here.
	Deployment string      `json:"deployment,omitempty"`
	Items      []DriftItem `json:"items"`
}

// Count returns how many items have status s.
func (r *DriftReport) Count(s DriftStatus) int {
	n := 0
	for _, it := range r.Items {
		if it.Status == s {
			n++
		}
	}
	return n
}

// Summary is a one-line count of each status, e.g. "3 in sync, 1 drifted".
func (r *DriftReport) Summary() string {
	var parts []string
	for _, s := range []DriftStatus{InSync, Drifted, Missing, Unmanaged} {
		if n := r.Count(s); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ReplaceAll(string(s), "_", " ")))
		}
	}
	if len(parts) == 0 {
		return "no resources"
	}
	return strings.Join(parts, ", ")
}

// Drift compares the live snapshot with the latest successful deployment
// (nothing deployed: every live resource is unmanaged).
func (c *Client) Drift(ctx context.Context, snap *Snapshot) (*DriftReport, error) {
	d, err := c.Latest(ctx)
	if err != nil {
		return nil, fmt.Errorf("drift: %w", err)
	}
	return ComputeDrift(d, snap)
}

// ComputeDrift compares the datafiles of deployment d (nil: none) with the
// live snapshot: each deployed data source with its table, each deployed
// materialized pipe (compiled) with its view, and lists live resources
// perch did not deploy as unmanaged.
func ComputeDrift(d *Deployment, snap *Snapshot) (*DriftReport, error) {
	r := &DriftReport{}
	managed := map[string]bool{}
	if d != nil {
		r.Deployment = d.ID
		proj, err := d.Project()
		if err != nil {
			return nil, fmt.Errorf("drift against deployment %s: %w", d.ID, err)
		}
		proj = proj.AsDeployed() // the names and columns the deploy created
		for _, name := range proj.DatasourceNames() {
			managed[name] = true
			r.Items = append(r.Items, datasourceDrift(name, proj.Datasources[name], snap))
		}
		for _, name := range proj.PipeNames() {
			pipe := proj.Pipes[name]
			node := materializedNode(pipe)
			if node == nil {
				continue // endpoints and copies have no DDL to drift
			}
			managed[name] = true
			r.Items = append(r.Items, pipeDrift(proj, pipe, node, snap))
		}
	}
	for _, o := range snap.Resources() {
		if !managed[o.Name] {
			r.Items = append(r.Items, DriftItem{Name: o.Name, Kind: resourceKind(o.Kind), Status: Unmanaged})
		}
	}
	sort.Slice(r.Items, func(i, j int) bool { return r.Items[i].Name < r.Items[j].Name })
	return r, nil
}

func datasourceDrift(name string, deployed *datafiles.Datasource, snap *Snapshot) DriftItem {
	it := DriftItem{Name: name, Kind: "datasource", Status: InSync}
	live := snap.Datasources[name]
	if live == nil {
		it.Status = Missing
		return it
	}
	if ch := DiffDatasource(deployed, live, snap.Database); len(ch) > 0 {
		it.Status, it.Changes = Drifted, ch
	}
	return it
}

func pipeDrift(proj *datafiles.Project, pipe *datafiles.Pipe, node *datafiles.Node, snap *Snapshot) DriftItem {
	it := DriftItem{Name: pipe.Name, Kind: "pipe", Status: InSync}
	live := snap.Pipes[pipe.Name]
	if live == nil {
		it.Status = Missing
		return it
	}
	res, err := compile.Compile(proj, pipe.Name, node.Name, compile.Options{})
	if err != nil {
		it.Error = err.Error()
		return it
	}
	if ch := DiffPipe(res.SQL, node.Datasource, live, snap.Database); len(ch) > 0 {
		it.Status, it.Changes = Drifted, ch
	}
	return it
}

// materializedNode is the pipe's materialized node, or nil.
func materializedNode(p *datafiles.Pipe) *datafiles.Node {
	for _, n := range p.Nodes {
		if n.Type == datafiles.NodeMaterialized {
			return n
		}
	}
	return nil
}

// Project loads the deployment's datafiles as a project (written to a
// temporary folder, so INCLUDE files resolve as they did at deploy time),
// without the environment, and with no root folder.
func (d *Deployment) Project() (*datafiles.Project, error) {
	proj, err := d.LoadFiles(func(dir string) (*datafiles.Project, error) { return datafiles.LoadWith(dir, datafiles.LoadOptions{}) })
	if err != nil {
		return nil, err
	}
	proj.Root = ""
	return proj, nil
}

// LoadFiles writes the deployment's datafiles to a temporary folder and
// loads them with load. A file whose path leaves the folder is an error.
func (d *Deployment) LoadFiles(load func(dir string) (*datafiles.Project, error)) (*datafiles.Project, error) {
	dir, err := os.MkdirTemp("", "perch-deployment-")
	if err != nil {
		return nil, fmt.Errorf("load deployment %s: %w", d.ID, err)
	}
	defer os.RemoveAll(dir)
	for _, f := range d.Files {
		clean := filepath.Clean(filepath.FromSlash(f.Path))
		if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("load deployment %s: file path %q leaves the project", d.ID, f.Path)
		}
		p := filepath.Join(dir, clean)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, fmt.Errorf("load deployment %s: %w", d.ID, err)
		}
		if err := os.WriteFile(p, []byte(f.Text), 0o644); err != nil {
			return nil, fmt.Errorf("load deployment %s: %w", d.ID, err)
		}
	}
	proj, err := load(dir)
	if err != nil {
		return nil, fmt.Errorf("load deployment %s: %w", d.ID, err)
	}
	return proj, nil
}

// resourceKind names the datafile kind of a live object.
func resourceKind(k ObjectKind) string {
	switch k {
	case KindTable:
		return "datasource"
	case KindDictionary:
		return "dictionary"
	}
	return "pipe"
}
