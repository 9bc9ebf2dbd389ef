package stream

import (
	"fmt"
	"strings"
)

// Range is a half-open range of event ids [From, To).
type Range struct {
	From uint64 `json:"from"`
	To   uint64 `json:"to"`
}

// Len is the number of ids in the range.
func (r Range) Len() uint64 { return r.To - r.From }

// Tally is what a stream inserted: every id in [FirstID, NextID) belongs to
// exactly one batch, either confirmed (counted in Rows) or failed (listed in
// Failed: its insert returned an error, so its rows may or may not be stored).
type Tally struct {
	// Rows is the number of rows whose insert succeeded.
	Rows uint64 `json:"rows"`
	// Batches is the number of successful inserts.
	Batches uint64 `json:"batches"`
	// FirstID and NextID bound every id the stream used.
	FirstID uint64 `json:"first_id"`
	NextID  uint64 `json:"next_id"`
	// Failed lists the id ranges of failed inserts, in order.
	Failed []Range `json:"failed,omitempty"`
	// Retried lists the confirmed batches that needed a resend: a failed
	// attempt may have stored their rows too (Config.Retries).
	Retried []Range `json:"retried,omitempty"`
	// Resends counts the failed attempts that were sent again.
	Resends uint64 `json:"resends,omitempty"`
}

func (t Tally) clone() Tally {
	t.Failed = append([]Range(nil), t.Failed...)
	t.Retried = append([]Range(nil), t.Retried...)
	return t
}

// ExactPredicate is Predicate without the retried batches: each row it
// matches was inserted exactly once, so counting them must give Rows minus
// the rows of Retried, no more and no less.
func (t Tally) ExactPredicate(col string) string {
	var b strings.Builder
	b.WriteString(t.Predicate(col))
	for _, r := range t.Retried {
		fmt.Fprintf(&b, " AND NOT (%s >= %d AND %s < %d)", col, r.From, col, r.To)
	}
	return b.String()
}

// RetriedRows is the number of confirmed rows in retried batches.
func (t Tally) RetriedRows() uint64 {
	var n uint64
	for _, r := range t.Retried {
		n += r.Len()
	}
	return n
}

// Predicate is a SQL condition on column col (usually event_id) that is true
// exactly for the ids of confirmed rows; counting the rows of the events table
// that match it must give Rows, no more (duplicates) and no less (loss).
func (t Tally) Predicate(col string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s >= %d AND %s < %d", col, t.FirstID, col, t.NextID)
	for _, f := range t.Failed {
		fmt.Fprintf(&b, " AND NOT (%s >= %d AND %s < %d)", col, f.From, col, f.To)
	}
	return b.String()
}

// CheckSQL is a query returning two numbers for table: the rows with a
// confirmed id and how many distinct ids they hold. With no loss and no
// duplicate both equal Rows.
func (t Tally) CheckSQL(table string) string {
	return fmt.Sprintf("SELECT count() AS rows, uniqExact(event_id) AS ids FROM %s WHERE %s", table, t.Predicate("event_id"))
}

// String summarises the tally for people.
func (t Tally) String() string {
	s := fmt.Sprintf("%d events in %d batches (event_id in [%d, %d))", t.Rows, t.Batches, t.FirstID, t.NextID)
	if len(t.Failed) > 0 {
		var failed uint64
		for _, f := range t.Failed {
			failed += f.Len()
		}
		s += fmt.Sprintf(", %d failed batches (%d events not counted)", len(t.Failed), failed)
	}
	return s
}
