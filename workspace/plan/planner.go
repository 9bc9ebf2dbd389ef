package plan

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/lineage"
	"github.com/perchdata/perch/workspace/ddl"
)

// CompileFunc turns a pipe node into runnable SQL (datafiles/compile).
type CompileFunc func(p *datafiles.Project, pipe *datafiles.Pipe, node *datafiles.Node) (string, error)

// Options tunes the planner.
type Options struct {
	// Compile renders a materialized node's SQL; nil uses the node SQL as written.
	Compile CompileFunc
	// WatermarkMargin is how far in the future a watermark is set, in seconds (default 10).
	WatermarkMargin int
	// AllowApproximateBackfill lets the planner fall back to the event-time
	// watermark method where no exact method exists (a server without
	// queryID()): it misses rows that arrive late, and the plan says so.
	// Without it such a change is a plan error.
	AllowApproximateBackfill bool
	// Getenv answers the tb_secret() and tb_var() values of the nodes
	// ComputeWith compiles, as `perch compile` does (nil: none is set). A
	// materialized node reading one that is not set is a plan error: the
	// view would keep the placeholder its SQL renders instead.
	Getenv func(string) string
}

// Suffixes of the tables a rebuild creates next to t.
const (
	SuffixNew   = "__new"
	SuffixOld   = "__old"
	SuffixStage = "__stage"
)

// matView is a materialized view the local project defines.
type matView struct {
	name, target, query string
	pipe                *datafiles.Pipe
	sources             []string // tables it reads; sources[0] fires it
	// alter is DEPLOYMENT_METHOD alter: the new query for new rows only.
	alter bool
	pos   datafiles.Pos
}

type planner struct {
	local  *datafiles.Project
	remote *Remote
	opts   Options
	g      ddl.Generator
	plan   *Plan
	views  map[string]*matView
	// uncompiled names the materialized pipes whose node did not compile
	// (a plan error says why): the plan has no change of theirs, and their
	// live view is not dropped as if the project had removed it.
	uncompiled map[string]bool
	changes    map[string]*Change // by resource
	phase      map[string]int
	// folded names the tables a view change recreates from their local
	// definitions, their own change folded into it (planViewChange): the
	// view is typed against the local definition, not the live table.
	folded  map[string]bool
	lineage *lineage.Graph // of the local project, built on first use
	// liveSources maps a live view to the live table firing it (liveSource),
	// built on first use.
	liveSources map[string]string
}

// Build computes the plan taking remote to local.
func Build(local *datafiles.Project, remote *Remote, opts Options) (*Plan, error) {
	if opts.WatermarkMargin <= 0 {
		opts.WatermarkMargin = 10
	}
	local, remote = local.AsDeployed(), remoteDeployView(remote) // see deployed.go
	p := &planner{
		local: local, remote: remote, opts: opts,
		g: ddl.Generator{Database: remote.Database, Cluster: remote.Cluster, Caps: remote.Capabilities, Replication: remote.Replication},
		plan: &Plan{
			FormatVersion: FormatVersion, Database: remote.Database, Cluster: remote.Cluster,
			Capabilities: remote.Capabilities, Fingerprint: remote.EffectiveFingerprint(),
			ProjectRoot: local.Root, Files: local.Sources,
		},
		views: map[string]*matView{}, uncompiled: map[string]bool{}, changes: map[string]*Change{}, phase: map[string]int{}, folded: map[string]bool{},
	}
	if err := p.collectViews(); err != nil {
		return nil, err
	}
	p.planCleanup()
	p.planDatasources()
	p.planViews()
	p.planPipes()
	p.planDrops()
	p.checkFunctions()
	p.dropLoneCleanup()
	p.collectFlows()
	p.order()
	p.checkCluster()
	if r := p.remote.Journal; r != nil {
		p.plan.Warnings = append(p.plan.Warnings, r.Lines()...)
	}
	return p.plan, nil
}

func (p *planner) errorf(format string, args ...any) {
	p.plan.Errors = append(p.plan.Errors, fmt.Sprintf(format, args...))
}

func (p *planner) add(c *Change, phase int) {
	p.changes[c.Resource] = c
	p.phase[c.Resource] = phase
	p.plan.Changes = append(p.plan.Changes, c)
}

// collectViews compiles every materialized node of the project.
func (p *planner) collectViews() error {
	known := func(name string) bool { return p.local.Datasources[name] != nil }
	for _, name := range p.local.PipeNames() {
		pipe := p.local.Pipes[name]
		for _, n := range pipe.Nodes {
			if n.Type != datafiles.NodeMaterialized {
				continue
			}
			q, ok := p.nodeQuery(pipe, n)
			if !ok {
				p.uncompiled[pipe.Name] = true
				continue
			}
			mv := &matView{name: pipe.Name, target: n.Datasource, query: q, pipe: pipe, sources: queryTables(q, p.remote.Database, known),
				alter: n.DeploymentMethod == "alter", pos: n.Pos}
			if mv.pos.File == "" {
				mv.pos = pipe.Pos
			}
			if p.local.Datasources[mv.target] == nil {
				p.errorf("%s: materialized node %s.%s writes to unknown data source %q", n.Pos, pipe.Name, n.Name, mv.target)
				continue
			}
			if len(mv.sources) == 0 {
				p.errorf("%s: materialized node %s.%s reads no data source of the project", n.Pos, pipe.Name, n.Name)
				continue
			}
			p.views[mv.name] = mv
		}
	}
	return nil
}

// Leftover reports whether a live table is one a rebuild left behind
// (t__old, t__new, t__stage), with the table it belongs to.
func Leftover(name string) (base, suffix string, ok bool) { return isLeftover(name) }

// isLeftover reports whether a live table is one a rebuild left behind.
func isLeftover(name string) (base, suffix string, ok bool) {
	for _, s := range []string{SuffixOld, SuffixNew, SuffixStage} {
		if strings.HasSuffix(name, s) && len(name) > len(s) {
			return strings.TrimSuffix(name, s), s, true
		}
	}
	return "", "", false
}

func internal(name string) bool { return strings.HasPrefix(name, "_perch") }

// planCleanup drops the backups of the previous deploy and leftovers of a
// failed one. Dropping one is safe only when every row in it is proven to be
// in the live table (Remote.Backups: the apply journal's record, or a row
// by row comparison); otherwise the change destroys data and needs
// --allow-destructive, and the plan says why. Apply proves it again right
// before the drop.
func (p *planner) planCleanup() {
	for _, name := range sortedKeys(p.remote.Tables) {
		base, suffix, ok := isLeftover(name)
		if !ok || p.local.Datasources[name] != nil || internal(name) {
			continue
		}
		t := p.remote.Tables[name]
		reason := "backup kept by the previous deploy for revert; dropped at the next deploy"
		if suffix != SuffixOld {
			reason = "left behind by an interrupted rebuild of " + base
		}
		c := &Change{
			ID: "cleanup:" + name, Resource: name, Kind: KindBackup, Action: Delete, Method: MethodCleanup,
			Reasons: []string{reason}, Risk: Safe, EstRows: t.Rows, EstBytes: t.Bytes,
			Steps: []Step{{ID: "drop", Kind: StepDropBackup, Title: "prove every row of " + name + " is in " + base + ", then drop it",
				Table: name, Source: base, SQL: []string{p.g.DropTable(name, true)},
				Check: "the apply journal recorded its rows copied into " + base + " (or a row-by-row comparison finds them all)"}},
		}
		pr := p.remote.Backups[name]
		switch {
		case pr != nil && pr.Proven:
			c.Reasons = append(c.Reasons, "nothing is lost: "+pr.How)
		case pr != nil:
			c.Risk, c.Destructive = Destroys, true
			c.Reasons = append(c.Reasons, "DESTROYS DATA: "+pr.How)
			if pr.Missing > 0 {
				c.Notes = append(c.Notes, fmt.Sprintf("%d rows of %s are in no other table", pr.Missing, name))
			}
		default:
			c.Risk, c.Destructive = Destroys, true
			c.Reasons = append(c.Reasons, "DESTROYS DATA: no proof that its rows are in "+base)
		}
		p.add(c, 0)
	}
}

// readersOf lists who reads a table: live views and local pipes.
func (p *planner) readersOf(table string) []string {
	seen := map[string]bool{}
	var out []string
	addr := func(n string) {
		if !seen[n] && n != table {
			seen[n] = true
			out = append(out, n)
		}
	}
	if t := p.remote.Tables[table]; t != nil {
		for _, v := range t.ReadBy {
			addr(v)
		}
	}
	for _, name := range sortedKeys(p.views) {
		for _, s := range p.views[name].sources {
			if s == table {
				addr(name)
			}
		}
	}
	for _, name := range p.pipesReading(table) {
		if p.views[name] == nil {
			addr(name)
		}
	}
	sort.Strings(out)
	return out
}

func (p *planner) planDatasources() {
	for _, name := range p.local.DatasourceNames() {
		ds := p.local.Datasources[name]
		live := p.remote.Tables[name]
		if live == nil {
			p.planCreateTable(ds)
			continue
		}
		d := DiffTable(ds, live.Datasource, p.remote.Database)
		if !d.Empty() {
			p.planTableChange(ds, live, d)
			continue
		}
		if dep := p.deployedDatasource(name); dep != nil {
			if parts := DatasourceMetaDiff(ds, dep); len(parts) > 0 {
				p.add(metadataChange(name, KindDatasource, parts), 4)
			}
		}
	}
}

func (p *planner) deployedDatasource(name string) *datafiles.Datasource {
	if p.remote.Deployed == nil {
		return nil
	}
	return p.remote.Deployed.Datasources[name]
}

func metadataChange(name string, kind ResourceKind, parts []string) *Change {
	return &Change{
		ID: "meta:" + name, Resource: name, Kind: kind, Action: Update, Method: MethodMetadata, Parts: parts,
		Reasons: []string{"only " + strings.Join(parts, ", ") + " changed: no DDL, recorded in the deployment log"},
		Risk:    Safe,
		Steps:   []Step{{ID: "record", Kind: StepMetadata, Title: "record " + strings.Join(parts, ", ") + " in the deployment log"}},
	}
}

// checkTTL makes a plan error of a TTL on a server without TTLs (before 19.6).
func (p *planner) checkTTL(ds *datafiles.Datasource) {
	if ds.Engine.TTL != "" && !p.remote.Capabilities.ModifyTTL {
		p.errorf("%s: %s: server %s has no table TTL (19.6+); remove ENGINE_TTL for this target", ds.Pos, ds.Name, p.remote.Capabilities.Version)
	}
}

func (p *planner) planCreateTable(ds *datafiles.Datasource) {
	p.checkTTL(ds)
	p.checkTypes(ds)
	sql, err := p.g.CreateTable(ds.Name, ds)
	if err != nil {
		p.errorf("%s: %v", ds.Pos, err)
		return
	}
	p.add(&Change{
		ID: "create:" + ds.Name, Resource: ds.Name, Kind: KindDatasource, Action: Create, Method: MethodCreate,
		Reasons: []string{"not in the workspace"}, Risk: Safe, Downstream: p.readersOf(ds.Name),
		Steps: []Step{{ID: "create", Kind: StepSQL, Title: "create table " + ds.Name, SQL: []string{sql},
			Undo: []string{p.g.DropTable(ds.Name, true)}}},
	}, 2)
}

// needsRebuild says whether a table diff can only be applied by a rebuild, and why.
func (p *planner) needsRebuild(local *datafiles.Datasource, d *TableDiff) []string {
	var why []string
	for _, k := range d.Keys {
		switch {
		case strings.HasPrefix(k, "engine"), k == "partition key", k == "sorting key", k == "primary key", k == "sampling key":
			why = append(why, k+" changed: the server cannot alter it")
		}
	}
	for _, c := range d.Columns {
		for _, w := range c.What {
			if strings.HasPrefix(w, "type") {
				why = append(why, "column "+c.Name+" "+w+": a type change rewrites the column")
			}
		}
	}
	return why
}

func (p *planner) planTableChange(ds *datafiles.Datasource, live *Table, d *TableDiff) {
	c := &Change{
		ID: "change:" + ds.Name, Resource: ds.Name, Kind: KindDatasource, Parts: d.Parts(),
		Downstream: p.readersOf(ds.Name), EstRows: live.Rows, EstBytes: live.Bytes,
	}
	if dep := p.deployedDatasource(ds.Name); dep != nil && DiffTable(dep, live.Datasource, p.remote.Database).Empty() == false {
		c.Drifted = true
		c.Notes = append(c.Notes, "drifted: the live table differs from what perch last deployed")
	}
	p.checkDroppedColumns(ds.Name, d)
	if why := p.needsRebuild(ds, d); len(why) > 0 {
		p.checkTTL(ds)
		p.checkTypes(ds)
		c.Action, c.Method, c.Risk, c.Reasons = Replace, MethodRebuild, Rewrites, why
		p.rebuildSteps(c, ds, live)
		for _, cc := range d.Columns {
			switch {
			case cc.Local == nil:
				c.Risk, c.Destructive = Destroys, true
				c.Reasons = append(c.Reasons, "column "+cc.Name+" dropped: its data is destroyed (kept only in the backup until the next deploy)")
			case cc.Live != nil && ds.ForwardQuery == "" && convertible(cc.Live.Type, cc.Local.Type) && !lossless(cc.Live.Type, cc.Local.Type):
				c.Risk, c.Destructive = Destroys, true
				c.Reasons = append(c.Reasons, fmt.Sprintf("column %s %s -> %s: the conversion can change values", cc.Name, cc.Live.Type, cc.Local.Type))
			}
		}
	} else {
		c.Action, c.Method, c.Risk = Update, MethodAlter, Safe
		c.EstRows, c.EstBytes = 0, 0
		p.alterSteps(c, ds, d)
	}
	p.add(c, 2)
}

// checkDroppedColumns makes a plan error of a pipe still reading a dropped
// column: a pipe that reads the table (by its compiled references) and names
// the column in one of its nodes.
func (p *planner) checkDroppedColumns(table string, d *TableDiff) {
	for _, cc := range d.Columns {
		if cc.Local != nil {
			continue
		}
		for _, name := range p.pipesReading(table) {
			pipe := p.local.Pipes[name]
			if pipe == nil {
				continue
			}
			for _, n := range pipe.Nodes {
				if mentions(n.SQL, cc.Name) {
					p.errorf("%s: %s.%s reads column %s of %s, which this plan drops", n.Pos, pipe.Name, n.Name, cc.Name, table)
				}
			}
		}
	}
}

func (p *planner) alterSteps(c *Change, ds *datafiles.Datasource, d *TableDiff) {
	g := p.g
	var reasons []string
	add := func(id, title, sql string, undo ...string) {
		c.Steps = append(c.Steps, Step{ID: id, Kind: StepSQL, Title: title, SQL: []string{sql}, Undo: undo})
	}
	for _, cc := range d.Columns {
		switch {
		case cc.Live == nil:
			after := ""
			for i := range ds.Columns {
				if ds.Columns[i].Name == cc.Name && i > 0 {
					after = ds.Columns[i-1].Name
				}
			}
			add("add-"+cc.Name, "add column "+cc.Name, g.AddColumn(ds.Name, *cc.Local, after), g.DropColumn(ds.Name, cc.Name))
			reasons = append(reasons, "column "+cc.Name+" added: metadata only, old parts read the default")
		case cc.Local == nil:
			add("drop-"+cc.Name, "drop column "+cc.Name, g.DropColumn(ds.Name, cc.Name))
			reasons = append(reasons, "column "+cc.Name+" dropped: its data is destroyed")
			c.Risk, c.Destructive = Destroys, true
		default:
			add("modify-"+cc.Name, "modify column "+cc.Name+" ("+strings.Join(cc.What, ", ")+")",
				g.ModifyColumn(ds.Name, *cc.Local), g.ModifyColumn(ds.Name, *cc.Live))
			reasons = append(reasons, "column "+cc.Name+" "+strings.Join(cc.What, ", ")+" changed: metadata only")
		}
	}
	for _, ix := range d.IndexesDropped {
		add("drop-index-"+ix.Name, "drop index "+ix.Name, g.DropIndex(ds.Name, ix.Name), g.AddIndex(ds.Name, ix))
		reasons = append(reasons, "index "+ix.Name+" dropped")
	}
	for _, ix := range d.IndexesAdded {
		add("add-index-"+ix.Name, "add index "+ix.Name, g.AddIndex(ds.Name, ix), g.DropIndex(ds.Name, ix.Name))
		reasons = append(reasons, "index "+ix.Name+" added: applies to new parts")
	}
	for _, k := range d.Keys {
		switch k {
		case "settings":
			if d.SettingsChanged != "" {
				add("settings", "modify settings", g.ModifySettings(ds.Name, d.SettingsChanged))
				reasons = append(reasons, "settings changed: metadata only")
			} else {
				c.Notes = append(c.Notes, "a setting was removed locally; the server keeps its value")
			}
		case "ttl":
			sql, err := g.ModifyTTL(ds.Name, ds.Engine.TTL)
			if err != nil {
				p.errorf("%s: %v", ds.Pos, err)
				continue
			}
			add("ttl", "modify ttl", sql+" SETTINGS materialize_ttl_after_modify = 0")
			reasons = append(reasons, "ttl changed: applied to new parts without rewriting old ones")
		}
	}
	c.Reasons = reasons
}

// conversion builds the SELECT list that turns live rows into local rows,
// and the columns it fills.
func (p *planner) conversion(ds *datafiles.Datasource, live *datafiles.Datasource) (cols []string, sel string, err error) {
	var exprs []string
	for _, col := range ds.Columns {
		k := strings.ToUpper(col.DefaultKind)
		if col.Default != "" && (k == "MATERIALIZED" || k == "ALIAS") {
			continue
		}
		cols = append(cols, col.Name)
	}
	if fq := strings.TrimSpace(ds.ForwardQuery); fq != "" {
		list := strings.TrimSpace(fq)
		if len(list) > 6 && strings.EqualFold(list[:6], "SELECT") {
			list = strings.TrimSpace(list[6:])
		}
		quoted := make([]string, len(cols))
		for i, c := range cols {
			quoted[i] = ddl.Ident(c)
		}
		return cols, "SELECT " + strings.Join(quoted, ", ") + " FROM (SELECT " + list + " FROM {source} WHERE {parts})", nil
	}
	var kept []string
	for _, name := range cols {
		lc := ds.Column(name)
		rc := live.Column(name)
		if rc == nil {
			continue // new column: takes its default
		}
		kept = append(kept, name)
		if sqltext.NormalizeType(lc.Type) == sqltext.NormalizeType(rc.Type) {
			exprs = append(exprs, ddl.Ident(name))
			continue
		}
		if !convertible(rc.Type, lc.Type) {
			return nil, "", fmt.Errorf("column %s: no conversion from %s to %s; add a FORWARD_QUERY", name, rc.Type, lc.Type)
		}
		exprs = append(exprs, "CAST("+ddl.Ident(name)+" AS "+lc.Type+") AS "+ddl.Ident(name))
	}
	return kept, "SELECT " + strings.Join(exprs, ", ") + " FROM {source} WHERE {parts}", nil
}

// convertible reports whether CAST can turn one type into another: composite
// types only into the same composite kind, aggregate states never.
func convertible(from, to string) bool {
	kind := func(t string) string {
		t = sqltext.NormalizeType(t)
		for {
			switch {
			case strings.HasPrefix(t, "Nullable("):
				t = t[len("Nullable(") : len(t)-1]
			case strings.HasPrefix(t, "LowCardinality("):
				t = t[len("LowCardinality(") : len(t)-1]
			default:
				if i := strings.IndexByte(t, '('); i >= 0 {
					return t[:i]
				}
				return t
			}
		}
	}
	kf, kt := kind(from), kind(to)
	composite := map[string]bool{"Array": true, "Tuple": true, "Map": true, "Nested": true, "AggregateFunction": true, "SimpleAggregateFunction": true}
	if kf == "AggregateFunction" || kt == "AggregateFunction" {
		return sqltext.NormalizeType(from) == sqltext.NormalizeType(to)
	}
	if composite[kf] || composite[kt] {
		return kf == kt
	}
	return true
}

func (p *planner) rebuildSteps(c *Change, ds *datafiles.Datasource, live *Table) {
	g := p.g
	t := ds.Name
	tNew, tOld, tStage := t+SuffixNew, t+SuffixOld, t+SuffixStage
	cols, sel, err := p.conversion(ds, live.Datasource)
	if err != nil {
		p.errorf("%s: rebuild %s: %v", ds.Pos, t, err)
		return
	}
	// lg writes what runs on the connected host alone: on a cluster the
	// tail's stage is a local table there (see Step.CreateStage).
	lg, createStage := g, ""
	create, err := g.CreateTable(tNew, ds)
	if p.remote.Cluster != "" {
		lg = ddl.Generator{Database: g.Database, Caps: g.Caps}
		create, err = g.CreateTableWithPath(tNew, tNew+"_"+replicaPathSuffix(p.remote.EffectiveFingerprint(), t), ds)
		if err == nil {
			createStage, err = lg.CreateTable(tStage, ds)
		}
	}
	if err != nil {
		p.errorf("%s: %v", ds.Pos, err)
		return
	}
	insert := insertTemplate(cols, sel)
	views := []string{}
	if lt := p.remote.Tables[t]; lt != nil {
		views = append(views, lt.ReadBy...)
	}
	var writers []string
	for _, name := range sortedKeys(p.views) {
		if p.views[name].target == t {
			writers = append(writers, name)
		}
	}
	for _, cc := range p.diffCache(ds, live) {
		if cc.Live != nil && cc.Local != nil && sqltext.NormalizeType(cc.Live.Type) != sqltext.NormalizeType(cc.Local.Type) && len(writers) > 0 {
			c.Notes = append(c.Notes, "column "+cc.Name+" changes type and "+strings.Join(writers, ", ")+" write into "+t+": their queries must produce "+cc.Local.Type+" (18.16 refuses a type mismatch at insert time)")
		}
	}
	c.Notes = append(c.Notes,
		"no row is lost: rows reach the new table by exact part name (merges stopped), inserts in flight at the swap are waited for and their parts attached afterwards without firing views again",
		"readers of "+t+" see the old table until the swap; rows of the last in-flight inserts appear moments after it",
		"the old table is kept as "+tOld+" until the next deploy, for revert")
	if pr := p.remote.Backups[tOld]; p.remote.Tables[tOld] != nil && (pr == nil || !pr.Proven) {
		c.Risk, c.Destructive = Destroys, true
		why := "no proof that its rows are in " + t
		if pr != nil {
			why = pr.How
		}
		c.Reasons = append(c.Reasons, "the swap replaces the backup "+tOld+", which DESTROYS DATA: "+why)
	}
	c.Notes = append(c.Notes,
		"merges on "+t+" are stopped while its rows are copied: perch watches its part count and rolls back before the server would refuse inserts (parts_to_throw_insert); if perch dies, the next perch command restarts them",
		"if perch dies mid-apply, the next perch command finds the apply journal; `perch apply` rolls the change back before the swap, or finishes it after")
	track, matched, untrack, ok := p.swapTrackSteps(ds, live, insert)
	if !ok {
		return
	}
	if track != nil {
		c.Notes = append(c.Notes, swapTrackNote(t, p.remote.Capabilities.Version.String()))
	}
	c.Steps = []Step{
		{ID: "prepare", Kind: StepSQL, Title: "create " + tNew + " with the new definition",
			SQL:  []string{g.DropTable(tNew, true), g.DropTable(tStage, true), create},
			Undo: []string{g.DropTable(tNew, true)}, Creates: []string{tNew}},
		{ID: "stop-merges", Kind: StepSQL, Title: "stop merges on " + t + " so its part names are a stable set of rows",
			SQL: []string{g.StopMerges(t)}, Undo: []string{g.StartMerges(t)}, StopsMerges: t},
		{ID: "backfill", Kind: StepCopyParts, Title: "copy the rows of " + t + " into " + tNew + ", one partition at a time",
			Source: t, Dest: tNew, Select: insert, SQL: []string{strings.NewReplacer("{dest}", g.Table(tNew), "{source}", g.Table(t)).Replace(insert)},
			Check: "each chunk adds exactly the rows of its parts to " + tNew, Undo: []string{g.DropTable(tNew, true)}},
		{ID: "drop-old-backup", Kind: StepDropBackup, Title: "drop the backup of the previous deploy, if any, once its rows are proven to be in " + t,
			Table: tOld, Source: t, SQL: []string{g.DropTable(tOld, true)}},
		{ID: "check-flow-new", Kind: StepCheckFlow, Title: "check that inserts will flow through every view reading or writing " + t + " once " + tNew + " replaces it",
			Table: t, Dest: tNew, Views: views,
			Check: "each view's query, typed against " + tNew + ", produces its target's columns and types; one synthetic row passes through scratch Null copies"},
	}
	c.Steps = append(c.Steps, track...)
	c.Steps = append(c.Steps,
		Step{ID: "swap", Kind: StepSwap, Title: "swap " + tNew + " into place; keep the old table as " + tOld,
			Table: t, Dest: tNew, Backup: tOld, SQL: g.Swap(t, tNew, tOld), Commit: true,
			Check: "exactly one of " + t + "/" + tNew + " is gone and " + t + " and " + tOld + " exist"},
		Step{ID: "drain", Kind: StepDrain, Title: "wait for inserts in flight at the swap to finish",
			Check: "no INSERT that started before the swap is still running"})
	c.Steps = append(c.Steps, matched...)
	c.Steps = append(c.Steps,
		Step{ID: "tail", Kind: StepCopyTail, Title: "copy rows that reached " + tOld + " after the last copy (attached without firing views)",
			Table: t, Backup: tOld, Stage: tStage, Select: insert, CreateStage: createStage,
			SQL: []string{cmp.Or(createStage, g.CreateTableAs(tStage, t)), strings.NewReplacer("{dest}", g.Table(tStage), "{source}", g.Table(tOld)).Replace(insert),
				lg.AttachPartitionFrom(t, "{partition}", tStage), lg.DropTable(tStage, true)}},
		Step{ID: "check-rows", Kind: StepCheckRows, Title: "compare row counts", Table: t, Backup: tOld,
			SQL:   []string{"SELECT count() FROM " + g.Table(tOld)},
			Check: "rows of " + tOld + " == rows copied into " + t})
	if untrack != nil {
		c.Steps = append(c.Steps, *untrack)
	}
	c.Steps = append(c.Steps,
		Step{ID: "check-views", Kind: StepCheckDeps, Title: "check the views reading " + t + " are still attached", Table: t, Views: views,
			SQL:   []string{"SELECT dependencies_table FROM system.tables WHERE database = " + ddl.String(p.remote.Database) + " AND name = " + ddl.String(t)},
			Check: "system.tables lists every view that read " + t + " before the swap"},
		Step{ID: "check-flow", Kind: StepCheckFlow, Title: "check that an insert into " + t + " flows through every view", Table: t, Views: views,
			Check: "as before the swap, against the live tables; the apply is not done until it passes"})
}

// replicaPathSuffix makes a rebuild's new table's ZooKeeper path unique to
// the live state it was planned from: after the swap the live table keeps
// the path it was created with, so a fixed `t__new` path would be taken by
// the next rebuild.
func replicaPathSuffix(fingerprint, table string) string {
	sum := sha256.Sum256([]byte(fingerprint + "\x00" + table))
	return hex.EncodeToString(sum[:4])
}

// insertTemplate is INSERT INTO {dest} (cols) sel, with {dest} and {source}
// filled per chunk by apply.
func insertTemplate(cols []string, sel string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = ddl.Ident(c)
	}
	return "INSERT INTO {dest} (" + strings.Join(q, ", ") + ")\n" + sel
}

// dropLoneCleanup keeps backups when nothing else changes: a backup is kept
// until the next deploy, and a plan of only cleanups is not a deploy.
func (p *planner) dropLoneCleanup() {
	for _, c := range p.plan.Changes {
		if c.Method != MethodCleanup {
			return
		}
	}
	p.plan.Changes = nil
}

// diffCache returns the column changes between a local data source and its live table.
func (p *planner) diffCache(ds *datafiles.Datasource, live *Table) []ColumnChange {
	return DiffTable(ds, live.Datasource, p.remote.Database).Columns
}

// nodeQuery is the SQL a node deploys: compiled with Options.Compile when
// set, else as written. A compile error is a plan error, and ok is false.
func (p *planner) nodeQuery(pipe *datafiles.Pipe, n *datafiles.Node) (q string, ok bool) {
	if p.opts.Compile == nil {
		return n.SQL, true
	}
	q, err := p.opts.Compile(p.local, pipe, n)
	var unset *UnsetValuesError
	switch {
	case errors.As(err, &unset):
		p.errorf("%v", unset)
		return "", false
	case err != nil:
		p.errorf("%s: compile %s.%s: %v", n.Pos, pipe.Name, n.Name, err)
		return "", false
	}
	return q, true
}
