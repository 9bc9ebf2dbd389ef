package datafiles

import (
	"strings"
	"testing"
	"time"
)

// TestPathologicalInputsAreLinear guards against quadratic parsing (found by
// fuzzing: many INCLUDE lines, very long SCHEMA blocks). It compares the time
// for an input against one eight times larger: linear work grows about 8x,
// quadratic about 64x. Only a large input that is both 24x slower and over
// 250ms fails, which leaves room for a busy machine.
func TestPathologicalInputsAreLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	inputs := map[string]func(n int) string{
		"many commas":   func(n int) string { return "SCHEMA >\n" + strings.Repeat("    `a` String,\n", n) },
		"many comments": func(n int) string { return "SCHEMA >\n" + strings.Repeat("    -- c\n", n) + "    `a` String\n" },
		"many nodes":    func(n int) string { return strings.Repeat("NODE a\nSQL >\n    SELECT 1\n", n) },
		"many includes": func(n int) string { return strings.Repeat("INCLUDE \"x.incl\"\n", n) },
		"long line":     func(n int) string { return "NODE a\nSQL >\n    " + strings.Repeat("'a' ", 10*n) + "\n" },
		"parentheses":   func(n int) string { return "SCHEMA >\n    " + strings.Repeat("(", 10*n) + "\n" },
		"quotes":        func(n int) string { return strings.Repeat("\"", 10*n) },
		"dollars":       func(n int) string { return "KAFKA_X " + strings.Repeat("$A", 10*n) + "\nSCHEMA >\n    `a` String\n" },
		"many tokens":   func(n int) string { return strings.Repeat("TOKEN a READ\n", n) + "SCHEMA >\n    `a` String\n" },
	}
	const n = 1000
	for name, gen := range inputs {
		for _, f := range []string{"f.datasource", "f.pipe"} {
			small, large := []byte(gen(n)), []byte(gen(8*n))
			ts, tl := fastest(t, f, small), fastest(t, f, large)
			if tl > 24*ts && tl > 250*time.Millisecond {
				t.Errorf("%s %s: %v for %d bytes but %v for %d bytes: not linear", name, f, ts, len(small), tl, len(large))
			}
		}
	}
}

// fastest returns the best of five parse times of src.
func fastest(t *testing.T, file string, src []byte) time.Duration {
	best := time.Duration(1 << 62)
	for i := 0; i < 5; i++ {
		start := time.Now()
		parseNoEnv(t, file, src)
		best = min(best, time.Since(start))
	}
	return best
}
