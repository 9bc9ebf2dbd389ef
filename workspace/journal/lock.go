package journal

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/engine"
)

// LockTable is the apply lock: CREATE TABLE fails when it exists, so only
// one process can create it. Its first row names the holder; the holder
// appends a heartbeat row every few seconds.
const LockTable = "_perch_apply_lock"

// ClickHouse error codes the lock tells apart.
const (
	codeUnknownIdentifier = 47 // a column the query names is missing
	codeUnknownTable      = 60
)

// DefaultLease is how long a holder on another machine may go without a
// heartbeat before its lock is taken over.
const DefaultLease = 30 * time.Second

// ErrLocked means another apply holds the workspace lock.
var ErrLocked = errors.New("another apply is running on this workspace")

// ErrLost means the lock was taken over: this apply must stop.
var ErrLost = errors.New("the apply lock was taken over by another process")

// LockedError says who holds the lock.
type LockedError struct {
	// Holder is nil when the lock table exists without a holder row yet.
	Holder *Holder
}

// Error says who holds the lock and when it may be taken over.
func (e *LockedError) Error() string {
	if e.Holder == nil {
		return ErrLocked.Error() + " (its holder is writing the lock right now)"
	}
	return ErrLocked.Error() + ": held by " + e.Holder.String() + "; it is taken over only once that process is gone"
}

// Unwrap makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Unwrap() error { return ErrLocked }

// Lock is a held apply lock.
type Lock struct {
	c      *workspace.Client
	holder Holder
	lease  time.Duration
}

// Holder is who holds this lock.
func (l *Lock) Holder() Holder { return l.holder }

func lockName(c *workspace.Client, name string) string {
	return workspace.QuoteIdent(c.Database()) + "." + workspace.QuoteIdent(name)
}

// holderRow is the SELECT of one lock row for self.
func holderRow(h Holder, kind string) string {
	q := workspace.QuoteString
	return fmt.Sprintf("SELECT %s AS kind, %s AS deployment, %s AS host, %s AS user, toUInt32(%d) AS pid, %s AS machine, toUInt64(%d) AS proc_start, toDateTime(%d) AS started, now() AS heartbeat",
		q(kind), q(h.Deployment), q(h.Host), q(h.User), h.PID, q(h.Machine), h.ProcStart, h.Started.Unix())
}

// Acquire takes the workspace lock for self. A lock whose holder is
// provably gone (Holder.Gone) is taken over; otherwise the error is a
// *LockedError naming the holder. lease <= 0 means DefaultLease.
func Acquire(ctx context.Context, c *workspace.Client, self Holder, lease time.Duration) (*Lock, error) {
	if lease <= 0 {
		lease = DefaultLease
	}
	l := &Lock{c: c, holder: self, lease: lease}
	for attempt := 0; attempt < 5; attempt++ {
		err := c.Exec(ctx, "CREATE TABLE "+lockName(c, LockTable)+" ENGINE = MergeTree() ORDER BY tuple() AS "+holderRow(self, "holder"))
		if err == nil {
			return l, nil
		}
		if !strings.Contains(err.Error(), "already exists") {
			return nil, fmt.Errorf("take the apply lock: %w", err)
		}
		h, found, err := ReadHolder(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("take the apply lock: %w", err)
		}
		if !found {
			continue // released meanwhile
		}
		if h == nil {
			old, err := lockAge(ctx, c)
			if err != nil {
				return nil, fmt.Errorf("take the apply lock: %w", err)
			}
			if old <= lease {
				return nil, &LockedError{}
			}
		} else if gone, _ := h.Gone(lease); !gone {
			return nil, &LockedError{Holder: h}
		}
		if err := l.takeOver(ctx, h); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("take the apply lock: %w (it changed hands during every attempt)", ErrLocked)
}

// takeOver removes the lock of a holder judged gone: the lock table is
// renamed away (atomic: of two processes taking over, one wins), checked to
// be the one judged, and dropped. A lock that changed hands meanwhile is
// put back.
func (l *Lock) takeOver(ctx context.Context, judged *Holder) error {
	aside := LockTable + "_stale_" + safeSuffix(l.holder.Deployment)
	if err := l.c.Exec(ctx, "RENAME TABLE "+lockName(l.c, LockTable)+" TO "+lockName(l.c, aside)); err != nil {
		if strings.Contains(err.Error(), "doesn't exist") || strings.Contains(err.Error(), "does not exist") {
			return nil // someone else removed it: try again
		}
		return fmt.Errorf("take over the apply lock: %w", err)
	}
	h, _, err := readHolder(ctx, l.c, aside)
	if err != nil {
		return fmt.Errorf("take over the apply lock: %w", err)
	}
	if (judged == nil) != (h == nil) || (h != nil && (h.Deployment != judged.Deployment || h.Heartbeat.After(judged.Heartbeat))) {
		// Not the lock judged gone: give it back.
		if err := l.c.Exec(ctx, "RENAME TABLE "+lockName(l.c, aside)+" TO "+lockName(l.c, LockTable)); err != nil {
			return fmt.Errorf("take over the apply lock: the lock changed hands and could not be put back (%s): %w", aside, err)
		}
		return &LockedError{Holder: h}
	}
	return l.c.Exec(ctx, "DROP TABLE IF EXISTS "+lockName(l.c, aside))
}

// Heartbeat records that the holder is alive. It returns ErrLost when the
// lock is no longer this holder's.
func (l *Lock) Heartbeat(ctx context.Context) error {
	h, found, err := ReadHolder(ctx, l.c)
	if err != nil {
		return err
	}
	if !found || h == nil || h.Deployment != l.holder.Deployment {
		return ErrLost
	}
	return l.c.Exec(ctx, "INSERT INTO "+lockName(l.c, LockTable)+" "+holderRow(l.holder, "beat"))
}

// Release drops the lock if it is still this holder's, and never another's:
// the table is renamed away first and put back if it is not this holder's.
func (l *Lock) Release(ctx context.Context) error {
	h, found, err := ReadHolder(ctx, l.c)
	if err != nil {
		return fmt.Errorf("release the apply lock: %w", err)
	}
	if !found || h == nil || h.Deployment != l.holder.Deployment {
		return nil
	}
	aside := LockTable + "_released_" + safeSuffix(l.holder.Deployment)
	if err := l.c.Exec(ctx, "RENAME TABLE "+lockName(l.c, LockTable)+" TO "+lockName(l.c, aside)); err != nil {
		return fmt.Errorf("release the apply lock: %w", err)
	}
	if h, _, err := readHolder(ctx, l.c, aside); err == nil && (h == nil || h.Deployment != l.holder.Deployment) {
		if err := l.c.Exec(ctx, "RENAME TABLE "+lockName(l.c, aside)+" TO "+lockName(l.c, LockTable)); err != nil {
			return fmt.Errorf("release the apply lock: another holder's lock could not be put back (%s): %w", aside, err)
		}
		return nil
	}
	return l.c.Exec(ctx, "DROP TABLE IF EXISTS "+lockName(l.c, aside))
}

// ReadHolder returns the holder of the workspace lock. found is false when
// there is no lock; h is nil when the lock exists without a holder row.
func ReadHolder(ctx context.Context, c *workspace.Client) (h *Holder, found bool, err error) {
	return readHolder(ctx, c, LockTable)
}

func readHolder(ctx context.Context, c *workspace.Client, table string) (*Holder, bool, error) {
	ok, err := exists(ctx, c, table)
	if err != nil || !ok {
		return nil, false, err
	}
	t := lockName(c, table)
	q := "SELECT deployment, host, user, pid, machine, proc_start, toUnixTimestamp(started), toUnixTimestamp(beat), toInt64(now()) - toInt64(beat) FROM (SELECT deployment, host, user, pid, machine, proc_start, started FROM " + t +
		" WHERE kind = 'holder' LIMIT 1) AS h ANY LEFT JOIN (SELECT deployment, max(heartbeat) AS beat FROM " + t + " GROUP BY deployment) AS b USING deployment"
	rows, err := c.Conn().Query(ctx, q)
	if err != nil {
		// Codes as well as messages: 26.x words them differently
		// ("Unknown expression identifier" where 18.16 says "Missing columns").
		switch msg, code := err.Error(), engine.ErrorCode(err); {
		case code == codeUnknownTable || strings.Contains(msg, "doesn't exist"):
			return nil, false, nil
		case code == codeUnknownIdentifier || strings.Contains(msg, "Missing columns"), strings.Contains(msg, "no column"), strings.Contains(msg, "Unknown identifier"):
			return nil, true, nil // a lock of an older perch: no holder recorded
		}
		return nil, true, fmt.Errorf("read the apply lock: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, true, rows.Err()
	}
	var (
		hd              Holder
		pid             uint32
		started, beat   uint32
		age             int64
		procStartTicks  uint64
		machineID, user string
	)
	if err := rows.Scan(&hd.Deployment, &hd.Host, &user, &pid, &machineID, &procStartTicks, &started, &beat, &age); err != nil {
		return nil, true, fmt.Errorf("read the apply lock: %w", err)
	}
	hd.User, hd.PID, hd.Machine, hd.ProcStart = user, int(pid), machineID, procStartTicks
	hd.Started, hd.Heartbeat = time.Unix(int64(started), 0).UTC(), time.Unix(int64(beat), 0).UTC()
	hd.Age = time.Duration(age) * time.Second
	return &hd, true, nil
}

// lockAge is how long ago the lock table was created, by the server's clock.
func lockAge(ctx context.Context, c *workspace.Client) (time.Duration, error) {
	var age int64
	q := "SELECT toInt64(now()) - toInt64(metadata_modification_time) FROM system.tables WHERE database = " +
		workspace.QuoteString(c.Database()) + " AND name = " + workspace.QuoteString(LockTable)
	if err := c.Conn().QueryRow(ctx, q).Scan(&age); err != nil {
		return 0, fmt.Errorf("age of the apply lock: %w", err)
	}
	return time.Duration(age) * time.Second, nil
}

// safeSuffix keeps letters, digits and _ of s, for a table name.
func safeSuffix(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
