package stream

import (
	"testing"
	"time"
)

func TestScheduleKeepsTheRate(t *testing.T) {
	t0 := time.Unix(1000, 0)
	tests := []struct {
		name     string
		rate     float64
		interval time.Duration
		ticks    []time.Duration // offsets from t0
		want     []uint64
	}{
		{"on time", 100, time.Second, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}, []uint64{100, 100, 100}},
		{"fractional rate carries over", 2.5, time.Second, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second}, []uint64{2, 3, 2, 3}},
		{"late tick catches up", 100, time.Second, []time.Duration{time.Second, 3 * time.Second, 4 * time.Second}, []uint64{100, 200, 100}},
		{"long stall forgives the excess", 100, time.Second, []time.Duration{time.Second, 20 * time.Second, 21 * time.Second}, []uint64{100, 400, 100}},
		{"early tick owes nothing", 100, time.Second, []time.Duration{0, 5 * time.Millisecond}, []uint64{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSchedule(tt.rate, tt.interval, t0)
			for i, off := range tt.ticks {
				if got := s.due(t0.Add(off)); got != tt.want[i] {
					t.Fatalf("tick %d (+%v): due %d, want %d", i, off, got, tt.want[i])
				}
			}
		})
	}
}

func TestTallyPredicate(t *testing.T) {
	tl := Tally{Rows: 30, FirstID: 100, NextID: 150, Failed: []Range{{110, 120}, {140, 150}}}
	want := "event_id >= 100 AND event_id < 150 AND NOT (event_id >= 110 AND event_id < 120) AND NOT (event_id >= 140 AND event_id < 150)"
	if got := tl.Predicate("event_id"); got != want {
		t.Fatalf("predicate = %s\nwant        %s", got, want)
	}
	if got := tl.String(); got != "30 events in 0 batches (event_id in [100, 150)), 2 failed batches (20 events not counted)" {
		t.Fatalf("String = %s", got)
	}
}

func BenchmarkInsertSQL(b *testing.B) {
	cfg, err := Config{}.withDefaults(time.Now())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = InsertSQL(cfg, uint64(i)*200, 200)
	}
}
