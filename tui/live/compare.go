package live

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/branch"
)

// ComparePreview runs the request's query on the target (side A) and on
// branch req.Against of its workspace (side B) at the same time, the same
// compiled SQL on both, read-only and bounded as Preview, and compares the
// results with branch.EqualResults, the comparison of perch branch compare.
func (b *Backend) ComparePreview(ctx context.Context, req tui.CompareRequest) (*tui.PreviewComparison, error) {
	p := b.loaded()
	if p == nil {
		return nil, errors.New("compare: the project is not loaded")
	}
	b.mu.Lock()
	nameA := b.selection.Branch
	b.mu.Unlock()
	if nameA == "" {
		nameA = workspace.MainBranch
	}
	if req.Against == nameA || req.Against == "" {
		return nil, fmt.Errorf("compare %s on %s with itself: choose another branch (main is the workspace)", target(req.PreviewRequest), nameA)
	}
	q, err := prepare(p, req.PreviewRequest, b.getenv)
	if err != nil {
		return nil, err
	}
	out := &tui.PreviewComparison{A: tui.CompareSide{Name: nameA}, B: tui.CompareSide{Name: req.Against}}
	var raw [2]*workspace.PreviewResult
	var wg sync.WaitGroup
	side := func(i int, s *tui.CompareSide, connect func(context.Context) (*workspace.Client, error), progress chan<- tui.PreviewProgress) {
		defer wg.Done()
		c, err := connect(ctx)
		if err != nil {
			s.Err = q.place(fmt.Errorf("%s: %w", s.Name, err))
			return
		}
		r, res, err := runOn(ctx, c, q.sql, progress)
		if err != nil {
			if i == 1 && ctx.Err() == nil {
				b.forgetSide(c) // the next comparison connects again
			}
			s.Err = q.place(err)
			return
		}
		raw[i], s.Result = r, res
	}
	wg.Add(2)
	go side(0, &out.A, b.conn, req.Progress)
	go side(1, &out.B, func(ctx context.Context) (*workspace.Client, error) { return b.sideConn(ctx, req.Against) }, req.ProgressB)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("compare %s: %w", target(req.PreviewRequest), err)
	}
	if raw[0] != nil && raw[1] != nil {
		out.Equal, out.Difference = branch.EqualResults(raw[0], raw[1])
	}
	return out, nil
}

// sideConn returns the client to branch name of the target's workspace
// (workspace.MainBranch: the workspace), the other side of comparisons:
// kept while the comparisons are with that branch, checked to be the
// branch perch made when opened.
func (b *Backend) sideConn(ctx context.Context, name string) (*workspace.Client, error) {
	b.mu.Lock()
	c, have, sel := b.side, b.sideName, b.selection
	b.mu.Unlock()
	if c != nil && have == name {
		return c, nil
	}
	bsel := sel
	bsel.Branch = name
	t, err := workspace.ResolveTarget(b.dir, bsel, b.getenv)
	if err != nil {
		return nil, err
	}
	if c, err = workspace.Open(ctx, t); err != nil {
		return nil, fmt.Errorf("connect to %s: %w", t, err)
	}
	if err := c.CheckBranch(ctx); err != nil {
		c.Close()
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.selection != sel { // the target moved meanwhile
		c.Close()
		return nil, fmt.Errorf("the target changed while connecting to %s: try again", t)
	}
	b.dropSide()
	b.side, b.sideName = c, name
	return c, nil
}

// forgetSide drops the client of the other side if it is still c.
func (b *Backend) forgetSide(c *workspace.Client) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.side == c {
		b.dropSide()
	}
}

// dropSide closes the client of the other side, if any (b.mu held).
func (b *Backend) dropSide() {
	if b.side != nil {
		b.side.Close()
	}
	b.side, b.sideName = nil, ""
}
