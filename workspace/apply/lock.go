package apply

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/perchdata/perch/workspace/ddl"
	"github.com/perchdata/perch/workspace/plan"
)

// LockTable is the table whose existence is the workspace lock: CREATE
// TABLE fails when it exists, so only one apply can create it.
const LockTable = plan.LockTable

func (x *executor) lock(ctx context.Context) error {
	q := "CREATE TABLE " + x.g.Table(LockTable) + " (deployment String, since DateTime) ENGINE = TinyLog"
	if err := x.c.Exec(ctx, q); err != nil {
		if strings.Contains(err.Error(), "already exists") {
			holder := x.lockHolder(ctx)
			return fmt.Errorf("apply: %w (%s); if that apply died, run DROP TABLE %s", ErrLocked, holder, x.g.Table(LockTable))
		}
		return fmt.Errorf("apply: take the lock: %w", err)
	}
	ins := "INSERT INTO " + x.g.Table(LockTable) + " SELECT " + ddl.String(x.id) + ", now()"
	if err := x.c.Exec(ctx, ins); err != nil {
		x.unlock(ctx)
		return fmt.Errorf("apply: take the lock: %w", err)
	}
	return nil
}

func (x *executor) lockHolder(ctx context.Context) string {
	rows, err := x.c.Conn().Query(ctx, "SELECT deployment, toString(since) FROM "+x.g.Table(LockTable)+" LIMIT 1")
	if err != nil {
		return "holder unknown"
	}
	defer rows.Close()
	var id, since string
	if rows.Next() && rows.Scan(&id, &since) == nil {
		return "held by deployment " + id + " since " + since
	}
	return "holder unknown"
}

func (x *executor) unlock(ctx context.Context) {
	_ = x.execRetry(ctx, x.g.DropTable(LockTable, true))
}

// checkFingerprint refuses when the live state differs from the plan's.
func (x *executor) checkFingerprint(ctx context.Context) error {
	s, err := x.c.Snapshot(ctx, x.c.Database())
	if err != nil {
		return fmt.Errorf("apply: read the workspace: %w", err)
	}
	delete(s.Objects, LockTable)
	if got := s.Fingerprint(); got != x.p.Fingerprint {
		return fmt.Errorf("apply: %w (planned against %s, now %s)", ErrStale, x.p.Fingerprint, got)
	}
	return nil
}

func sortedFiles(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
