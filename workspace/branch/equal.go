package branch

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/perchdata/perch/workspace"
)

// floatTolerance is the relative difference under which two floats of a
// result are equal: sums over rows read in another order differ in their
// last bits.
const floatTolerance = 1e-9

// EqualResults reports whether two results hold the same columns (by name)
// and the same rows as multisets: rows are sorted before comparing, since a
// different sorting key may return ties, or a query without ORDER BY its
// rows, in another order. Float columns compare within floatTolerance.
// When they differ, diff says how: the count of rows that differ and the
// first difference.
func EqualResults(a, b *workspace.PreviewResult) (equal bool, diff string) {
	if len(a.Columns) != len(b.Columns) {
		return false, fmt.Sprintf("%d columns vs %d", len(a.Columns), len(b.Columns))
	}
	floats := make([]bool, len(a.Columns))
	for i, c := range a.Columns {
		if c.Name != b.Columns[i].Name {
			return false, fmt.Sprintf("column %d is %s vs %s", i+1, c.Name, b.Columns[i].Name)
		}
		floats[i] = isFloat(c.Type) && isFloat(b.Columns[i].Type)
	}
	if len(a.Rows) != len(b.Rows) {
		return false, fmt.Sprintf("%d rows vs %d", len(a.Rows), len(b.Rows))
	}
	ra, rb := sortedRows(a.Rows, floats), sortedRows(b.Rows, floats)
	differ, first := 0, ""
	for i := range ra {
		for j := range ra[i] {
			if !equalCell(ra[i][j], rb[i][j], floats[j]) {
				if differ == 0 {
					first = fmt.Sprintf("%s %s vs %s%s", a.Columns[j].Name, ra[i][j], rb[i][j], relative(ra[i][j], rb[i][j]))
				}
				differ++
				break
			}
		}
	}
	if differ == 0 {
		return true, ""
	}
	return false, fmt.Sprintf("%d of %d rows differ; first: %s", differ, len(ra), first)
}

// relative is " (0.17%)", the relative difference of two numbers, or "".
func relative(a, b string) string {
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA != nil || errB != nil || x == y {
		return ""
	}
	return fmt.Sprintf(" (%.2g%%)", 100*math.Abs(x-y)/math.Max(math.Abs(x), math.Abs(y)))
}

// isFloat reports Float32/Float64 columns (Nullable ones too).
func isFloat(typ string) bool {
	t := strings.TrimSuffix(strings.TrimPrefix(typ, "Nullable("), ")")
	return t == "Float32" || t == "Float64"
}

// sortedRows sorts a copy of rows by a key of their other columns, then
// their float columns rounded to 8 significant digits: rows pair by what
// identifies them, and rows that differ only in a float's last bits sort
// alike.
func sortedRows(rows [][]string, floats []bool) [][]string {
	type keyed struct {
		key string
		row []string
	}
	ks := make([]keyed, len(rows))
	for i, r := range rows {
		var exact, rounded []string
		for j, v := range r {
			if j >= len(floats) || !floats[j] {
				exact = append(exact, v)
				continue
			}
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				v = strconv.FormatFloat(f, 'g', 8, 64)
			}
			rounded = append(rounded, v)
		}
		ks[i] = keyed{strings.Join(exact, "\x00") + "\x01" + strings.Join(rounded, "\x00"), r}
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].key < ks[j].key })
	out := make([][]string, len(ks))
	for i, k := range ks {
		out[i] = k.row
	}
	return out
}

// equalCell compares two rendered values: exactly, or for floats within
// floatTolerance.
func equalCell(a, b string, float bool) bool {
	if a == b {
		return true
	}
	if !float {
		return false
	}
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA != nil || errB != nil {
		return false
	}
	return math.Abs(x-y) <= floatTolerance*math.Max(math.Abs(x), math.Abs(y))
}
