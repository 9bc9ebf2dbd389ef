package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace"
)

// viewPushConverts reports whether the server converts a materialized
// view's output to its target's column types when it pushes a block
// (ClickHouse 19.13+, matching columns by name). Older servers refuse any
// type difference at insert time ("Type mismatch ... while pushing to view").
func viewPushConverts(v workspace.Version) bool {
	return v.Major == 0 || v.AtLeast(19, 13)
}

// dateTimeZone matches the time zone argument of DateTime('zone').
var dateTimeZone = regexp.MustCompile(`DateTime\('[^']*'\)`)

// sameStorage reports whether two types store values the same way: equal
// once normalized, a DateTime's time zone (display metadata) aside.
func sameStorage(a, b string) bool {
	na, nb := sqltext.NormalizeType(a), sqltext.NormalizeType(b)
	if na == nb {
		return true
	}
	return dateTimeZone.ReplaceAllString(na, "DateTime") == dateTimeZone.ReplaceAllString(nb, "DateTime")
}

// stripType removes LowCardinality(...) around a normalized type: it changes
// the storage, not the values.
func stripType(t string) string {
	t = sqltext.NormalizeType(t)
	for strings.HasPrefix(t, "LowCardinality(") && strings.HasSuffix(t, ")") {
		t = t[len("LowCardinality(") : len(t)-1]
	}
	return t
}

// intRange returns the signedness and width of an integer type.
func intRange(t string) (signed bool, bits int, ok bool) {
	switch {
	case strings.HasPrefix(t, "UInt"):
		n, err := strconv.Atoi(t[4:])
		return false, n, err == nil
	case strings.HasPrefix(t, "Int"):
		n, err := strconv.Atoi(t[3:])
		return true, n, err == nil
	}
	return false, 0, false
}

// lossless reports whether every value of type from converts to type to and
// back unchanged: the same type (LowCardinality aside), a wider integer, a
// wider float, an integer a float holds exactly, Date to DateTime,
// FixedString to String, or into Nullable.
func lossless(from, to string) bool {
	f, t := stripType(from), stripType(to)
	if sameStorage(f, t) {
		return true
	}
	if strings.HasPrefix(t, "Nullable(") {
		inner := t[len("Nullable(") : len(t)-1]
		if strings.HasPrefix(f, "Nullable(") {
			f = f[len("Nullable(") : len(f)-1]
		}
		return lossless(f, inner)
	}
	if strings.HasPrefix(f, "Nullable(") {
		return false
	}
	if fs, fb, ok := intRange(f); ok {
		if ts, tb, ok := intRange(t); ok {
			switch {
			case fs == ts:
				return tb >= fb
			case !fs && ts:
				return tb > fb
			}
			return false
		}
		switch t {
		case "Float64":
			return fb <= 32
		case "Float32":
			return fb <= 16
		}
		return false
	}
	switch {
	case f == "Float32" && t == "Float64", f == "Date" && t == "DateTime":
		return true
	case strings.HasPrefix(f, "FixedString(") && t == "String":
		return true
	}
	return false
}

// isAggregateState reports whether a type holds aggregate states, which no
// CAST converts.
func isAggregateState(t string) bool {
	t = stripType(t)
	return strings.HasPrefix(t, "AggregateFunction(") || strings.HasPrefix(t, "SimpleAggregateFunction(")
}

// pushable says whether a view output column of type out can be pushed into
// a target column of type target without failing or losing values; lossy
// means the insert succeeds but values may change.
func pushable(out, target string, converts bool) (ok, lossy bool, why string) {
	if sameStorage(out, target) {
		return true, false, ""
	}
	switch {
	case isAggregateState(out) || isAggregateState(target):
		return false, false, "aggregate states of one type cannot be stored as another, so every insert would fail"
	case !converts:
		return false, false, "this server requires the exact type when a view pushes a block, so every insert would fail"
	case !lossless(out, target):
		return false, true, fmt.Sprintf("converting %s to %s can change values", out, target)
	}
	return true, false, ""
}

// mismatch is one output column of a view its target cannot take as is.
type mismatch struct {
	column, out, target, why string
	// lossy: the insert succeeds but values may change (else it fails).
	lossy bool
}

// key identifies a mismatch across states (same column, same types).
func (m mismatch) key() string { return m.column + "\x00" + m.out + "\x00" + m.target }

// String says what the view outputs and why the target cannot take it.
func (m mismatch) String() string {
	if m.target == "" {
		return fmt.Sprintf("it outputs column %s (%s), which the target does not have", m.column, m.out)
	}
	return fmt.Sprintf("it outputs %s as %s into a column of type %s: %s", m.column, m.out, m.target, m.why)
}

// compareOutput lists the output columns (name, type) the target columns
// cannot take.
func compareOutput(out [][2]string, target map[string]string, converts bool) []mismatch {
	var ms []mismatch
	for _, c := range out {
		tt, ok := target[c[0]]
		if !ok {
			ms = append(ms, mismatch{column: c[0], out: c[1], why: "no such column in the target"})
			continue
		}
		if ok, lossy, why := pushable(c[1], tt, converts); !ok {
			ms = append(ms, mismatch{column: c[0], out: c[1], target: tt, why: why, lossy: lossy})
		}
	}
	return ms
}
