package apply

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestSleepStopsWithTheContext: a retry wait ends when the apply is
// cancelled, not when the wait is over.
func TestSleepStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan error, 1)
	go func() { done <- sleep(ctx, time.Hour) }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("sleep = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sleep ignored the cancelled context")
	}
	if err := sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatalf("sleep of a live context = %v", err)
	}
}
