package datafiles

import (
	"strings"
	"testing"
	"time"
)

// TestPathologicalInputsAreLinear guards against quadratic parsing (found by
// fuzzing: many INCLUDE lines, very long SCHEMA blocks).
func TestPathologicalInputsAreLinear(t *testing.T) {
	inputs := map[string]string{
		"many commas":   "SCHEMA >\n" + strings.Repeat("    `a` String,\n", 20000),
		"many comments": "SCHEMA >\n" + strings.Repeat("    -- c\n", 20000) + "    `a` String\n",
		"many nodes":    strings.Repeat("NODE a\nSQL >\n    SELECT 1\n", 5000),
		"many includes": strings.Repeat("INCLUDE \"x.incl\"\n", 5000),
		"long line":     "NODE a\nSQL >\n    " + strings.Repeat("'a' ", 100000) + "\n",
		"many quotes":   "SCHEMA >\n    " + strings.Repeat("(", 50000) + "\n",
		"unbalanced":    strings.Repeat("\"", 100000),
		"dollar":        "KAFKA_X " + strings.Repeat("$A", 50000) + "\nSCHEMA >\n    `a` String\n",
		"many tokens":   strings.Repeat("TOKEN a READ\n", 20000) + "SCHEMA >\n    `a` String\n",
	}
	for name, src := range inputs {
		for _, f := range []string{"f.datasource", "f.pipe"} {
			start := time.Now()
			parseNoEnv(t, f, []byte(src))
			if d := time.Since(start); d > time.Second {
				t.Errorf("%s %s: %v", name, f, d)
			}
		}
	}
}
