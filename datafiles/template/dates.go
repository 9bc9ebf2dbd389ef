package template

import (
	"strings"
	"time"
)

var dateLayouts = []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05Z07:00", "2006-01-02"}

func parseDate(v Value) (time.Time, bool) {
	s, ok := textOf(v)
	if !ok {
		return time.Time{}, false
	}
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// dateDiff implements day_diff and date_diff_in_*: the absolute difference
// between two dates in whole units; default (else 0) when either is missing.
func dateDiff(unit time.Duration) func(r *renderer, c *callInfo) (Value, error) {
	return func(r *renderer, c *callInfo) (Value, error) {
		d0, d1 := c.arg(0, "d0"), c.arg(1, "d1")
		def, hasDef := c.kw("default")
		if !hasDef && c.name == "day_diff" && len(c.args) > 2 {
			def, hasDef = c.args[2], true
		}
		if isMissing(d0) || isMissing(d1) {
			if hasDef {
				return def, nil
			}
			return int64(0), nil
		}
		t0, ok0 := parseDate(d0)
		t1, ok1 := parseDate(d1)
		if !ok0 || !ok1 {
			if hasDef {
				return def, nil
			}
			if v, _ := c.kw("none_if_error"); truthy(v) {
				return nil, nil
			}
			return nil, c.errorf("invalid date %s or %s", repr(d0), repr(d1))
		}
		d := t1.Sub(t0)
		if d < 0 {
			d = -d
		}
		return int64(d / unit), nil
	}
}
