package branch

import (
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

// equalResults reports whether two results hold the same columns (by name)
// and the same rows as multisets: rows are sorted before comparing, since a
// different sorting key may return ties, or a query without ORDER BY its
// rows, in another order. Float columns compare within floatTolerance.
func equalResults(a, b *workspace.PreviewResult) bool {
	if len(a.Columns) != len(b.Columns) || len(a.Rows) != len(b.Rows) {
		return false
	}
	floats := make([]bool, len(a.Columns))
	for i, c := range a.Columns {
		if c.Name != b.Columns[i].Name {
			return false
		}
		floats[i] = isFloat(c.Type) && isFloat(b.Columns[i].Type)
	}
	ra, rb := sortedRows(a.Rows, floats), sortedRows(b.Rows, floats)
	for i := range ra {
		for j := range ra[i] {
			if !equalCell(ra[i][j], rb[i][j], floats[j]) {
				return false
			}
		}
	}
	return true
}

// isFloat reports Float32/Float64 columns (Nullable ones too).
func isFloat(typ string) bool {
	t := strings.TrimSuffix(strings.TrimPrefix(typ, "Nullable("), ")")
	return t == "Float32" || t == "Float64"
}

// sortedRows sorts a copy of rows by a key in which floats are rounded to
// 8 significant digits, so rows that differ only in a float's last bits
// sort alike.
func sortedRows(rows [][]string, floats []bool) [][]string {
	type keyed struct {
		key string
		row []string
	}
	ks := make([]keyed, len(rows))
	for i, r := range rows {
		parts := make([]string, len(r))
		for j, v := range r {
			parts[j] = v
			if j < len(floats) && floats[j] {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					parts[j] = strconv.FormatFloat(f, 'g', 8, 64)
				}
			}
		}
		ks[i] = keyed{strings.Join(parts, "\x00"), r}
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
