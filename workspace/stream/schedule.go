package stream

import (
	"math"
	"time"
)

// schedule turns a rate into batch sizes: at each tick the batch is the number
// of rows the rate owes since the start, so the long-run average holds even
// when ticks are late or inserts slow. A backlog larger than maxBacklog
// batches is forgiven rather than inserted in one burst.
type schedule struct {
	rate      float64
	start     time.Time
	scheduled uint64 // rows handed out so far, counted from start
	maxBatch  uint64
}

// maxBacklog is how many nominal batches one catch-up batch may hold.
const maxBacklog = 4

func newSchedule(rowsPerSecond float64, interval time.Duration, start time.Time) *schedule {
	nominal := rowsPerSecond * interval.Seconds()
	return &schedule{
		rate:     rowsPerSecond,
		start:    start,
		maxBatch: uint64(math.Ceil(nominal * maxBacklog)),
	}
}

// due returns how many rows to insert at now.
func (s *schedule) due(now time.Time) uint64 {
	elapsed := now.Sub(s.start).Seconds()
	if elapsed <= 0 {
		return 0
	}
	owed := uint64(math.Floor(s.rate * elapsed))
	if owed <= s.scheduled {
		return 0
	}
	n := owed - s.scheduled
	if n > s.maxBatch {
		// Fell behind (slow inserts, a paused process): drop the excess debt.
		n = s.maxBatch
		s.scheduled = owed - n
	}
	s.scheduled += n
	return n
}
