package apply

import (
	"context"
	"time"
)

// sleep waits for d, or until ctx is done: then it returns ctx.Err() at
// once, so a cancelled apply never sits out a retry wait.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
