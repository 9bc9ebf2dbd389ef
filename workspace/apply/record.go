package apply

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/plan"
)

// outcome is the deployment log entry of an apply that ended: exactly
// what ran (recorded) and who ran it, success or failure.
func (x *executor) outcome(res *Result, runErr error) (*workspace.Deployment, error) {
	p, files := recorded(x.p, x.newFiles(), x.prev, res)
	planJSON, err := p.MarshalStable()
	if err != nil {
		return nil, fmt.Errorf("apply: record deployment: %w", err)
	}
	d := &workspace.Deployment{
		ID: x.id, Time: recordTime(time.Now(), x.prev), Author: x.opts.Author, GitCommit: x.opts.GitCommit, GitBranch: x.opts.GitBranch, Message: x.opts.Message,
		Files: files, Plan: string(planJSON), Outcome: workspace.OutcomeSuccess, PerchVersion: x.opts.PerchVersion,
	}
	if runErr != nil {
		d.Outcome = workspace.OutcomeFailed
		d.Error = runErr.Error()
	}
	return d, nil
}

// planned is the deployment as it starts (the whole plan, every file), kept
// in the apply journal so that a later command can record it as interrupted.
func (x *executor) planned() workspace.Deployment {
	planJSON, _ := x.p.MarshalStable()
	return workspace.Deployment{
		ID: x.id, Author: x.opts.Author, GitCommit: x.opts.GitCommit, GitBranch: x.opts.GitBranch, Message: x.opts.Message,
		Files: x.newFiles(), Plan: string(planJSON), PerchVersion: x.opts.PerchVersion,
	}
}

// record writes a deployment to the log, retrying over a broken connection.
func (x *executor) record(ctx context.Context, d *workspace.Deployment) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = x.c.Record(ctx, d); err == nil {
			return nil
		}
		if serr := sleep(ctx, 200*time.Millisecond); serr != nil {
			break
		}
	}
	return fmt.Errorf("apply: record deployment: %w", err)
}

// recordTime is when a deployment is recorded: now, but always a second
// after the previous successful deployment (the log keeps seconds), so that
// of two applies in one second the later one is the latest. The apply lock
// makes this a total order.
func recordTime(now time.Time, prev *workspace.Deployment) time.Time {
	now = now.UTC().Truncate(time.Second)
	if prev != nil && !now.After(prev.Time) {
		return prev.Time.Add(time.Second)
	}
	return now
}

// newFiles are the datafiles the plan deploys: Options.Files, else the plan's.
func (x *executor) newFiles() []workspace.DeployedFile {
	if x.opts.Files != nil {
		return x.opts.Files
	}
	var files []workspace.DeployedFile
	for _, path := range sortedFiles(x.p.Files) {
		files = append(files, workspace.DeployedFile{Path: path, Text: x.p.Files[path]})
	}
	return files
}

// recorded returns what the deployment of an apply records: the plan with
// only the changes that ran (those applied, and the one that failed), and
// the datafiles now deployed. A datafile of a resource the plan changes
// keeps its previously deployed text (or stays absent) unless that change
// was applied; every other file is recorded as planned. prev is the last
// successful deployment before this one (nil: none).
func recorded(p *plan.Plan, next []workspace.DeployedFile, prev *workspace.Deployment, res *Result) (*plan.Plan, []workspace.DeployedFile) {
	ran := map[string]bool{}
	for _, id := range res.Applied {
		ran[id] = true
	}
	out := *p
	out.Changes = nil
	changed := map[string]bool{} // resources with a change in the plan
	applied := map[string]bool{} // ... whose change was applied
	for _, ch := range p.Changes {
		changed[ch.Resource] = true
		if ran[ch.ID] {
			applied[ch.Resource] = true
		}
		if ran[ch.ID] || ch.ID == res.Failed {
			out.Changes = append(out.Changes, ch)
		}
	}
	if len(res.Applied) == len(p.Changes) {
		return &out, next
	}
	// keep says whether the file of a resource is recorded in its new version.
	keep := func(file string) bool {
		name, ok := resourceOf(file)
		return !ok || !changed[name] || applied[name]
	}
	var files []workspace.DeployedFile
	seen := map[string]bool{}
	for _, f := range next {
		if keep(f.Path) {
			files = append(files, f)
			seen[f.Path] = true
		}
	}
	if prev != nil {
		for _, f := range prev.Files {
			if !keep(f.Path) && !seen[f.Path] {
				files = append(files, f)
				seen[f.Path] = true
			}
		}
	}
	return &out, files
}

// resourceOf is the resource a datafile defines (its name is the file
// name), and false for a file that defines none (an .incl).
func resourceOf(file string) (string, bool) {
	kind, ok := datafiles.KindOf(file)
	if !ok || kind == datafiles.KindInclude {
		return "", false
	}
	base := path.Base(file)
	return strings.TrimSuffix(base, path.Ext(base)), true
}
