package testrun

import "fmt"

// Diff limits: context rows kept around a difference, the lines a diff
// prints at most, and the differences named under one pair of rows.
const (
	diffContext  = 2
	maxDiffLines = 40
	maxRowNotes  = 5
	// maxAligned bounds expected×actual rows aligned by longest common
	// subsequence; larger results are compared row by row.
	maxAligned = 1 << 20
)

// edit is one step of an alignment: a row of both sides, or of one.
type edit struct {
	op   byte // ' ' both, '-' expected only, '+' actual only
	e, a int
}

// DiffRows is an aligned diff of the expected rows against the actual
// ones, for people: equal rows start with two spaces, expected rows
// missing from the result with "- ", rows the result has instead with
// "+ ". A changed row (one alike the row in its place) shows as its
// expected and actual lines, one above the other, then the values that
// differ. Runs of equal rows are cut to
// a little context; the diff is cut at maxDiffLines.
func DiffRows(expected, actual []any) []string {
	return diffRows(expected, actual, [2]string{"expected", "got"})
}

// diffRows is DiffRows naming the two sides with labels in the notes.
func diffRows(expected, actual []any, labels [2]string) []string {
	edits := align(expected, actual)
	near := func(i int) bool { // within diffContext rows of a change
		for j := max(0, i-diffContext); j <= min(len(edits)-1, i+diffContext); j++ {
			if edits[j].op != ' ' {
				return true
			}
		}
		return false
	}
	var lines []string
	for i := 0; i < len(edits); {
		switch {
		case edits[i].op == ' ' && near(i):
			lines = append(lines, "  "+EncodeJSON(actual[edits[i].a]))
			i++
		case edits[i].op == ' ':
			j := i
			for j < len(edits) && edits[j].op == ' ' && !near(j) {
				j++
			}
			lines = append(lines, fmt.Sprintf("  ... %d equal rows", j-i))
			i = j
		default:
			// A run of removals, then additions (see groupChanges): pair
			// them row by row and name what differs in each pair.
			var dels, adds []int
			for ; i < len(edits) && edits[i].op == '-'; i++ {
				dels = append(dels, edits[i].e)
			}
			for ; i < len(edits) && edits[i].op == '+'; i++ {
				adds = append(adds, edits[i].a)
			}
			lines = append(lines, pairRows(expected, actual, dels, adds, labels)...)
		}
	}
	if len(lines) > maxDiffLines {
		lines = append(lines[:maxDiffLines], fmt.Sprintf("... (%d more lines)", len(lines)-maxDiffLines))
	}
	return lines
}

// pairRows prints a run of removed rows and the rows added in their
// place: a removed row whose counterpart is alike (same keys, half of the
// values equal) prints above it, followed by what differs; others print
// alone, removals first.
func pairRows(expected, actual []any, dels, adds []int, labels [2]string) []string {
	var lines []string
	k := 0
	for ; k < min(len(dels), len(adds)) && alike(expected[dels[k]], actual[adds[k]]); k++ {
		lines = append(lines, "- "+EncodeJSON(expected[dels[k]]), "+ "+EncodeJSON(actual[adds[k]]))
		for _, d := range Differences(expected[dels[k]], actual[adds[k]], maxRowNotes) {
			lines = append(lines, "    "+d.Describe(labels[0], labels[1]))
		}
	}
	for _, i := range dels[k:] {
		lines = append(lines, "- "+EncodeJSON(expected[i]))
	}
	for _, i := range adds[min(k, len(adds)):] {
		lines = append(lines, "+ "+EncodeJSON(actual[i]))
	}
	return lines
}

// alike reports whether two rows look like versions of one row: objects
// with the same keys and at least half of their values equal, or two
// values that are not objects.
func alike(e, a any) bool {
	eo, eok := e.(Object)
	ao, aok := a.(Object)
	if !eok || !aok {
		return !eok && !aok
	}
	if len(eo) != len(ao) {
		return false
	}
	same := 0
	for _, f := range eo {
		v, ok := ao.Get(f.Key)
		if !ok {
			return false
		}
		if Equal(f.Value, v) {
			same++
		}
	}
	return 2*same >= len(eo)
}

// align lines the rows up by their longest common subsequence (rows equal
// by Equal); past maxAligned it pairs them by position.
func align(e, a []any) []edit {
	n, m := len(e), len(a)
	if n*m > maxAligned {
		var out []edit
		for i := 0; i < max(n, m); i++ {
			switch {
			case i < n && i < m && Equal(e[i], a[i]):
				out = append(out, edit{' ', i, i})
			default:
				if i < n {
					out = append(out, edit{'-', i, -1})
				}
				if i < m {
					out = append(out, edit{'+', -1, i})
				}
			}
		}
		return out
	}
	// lcs[i][j] is the common subsequence length of e[i:] and a[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if Equal(e[i], a[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []edit
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && Equal(e[i], a[j]):
			out = append(out, edit{' ', i, j})
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, edit{'+', -1, j})
			j++
		default:
			out = append(out, edit{'-', i, -1})
			i++
		}
	}
	return groupChanges(out)
}

// groupChanges orders each run of changes as its removals, then its
// additions, so that a changed row pairs with its replacement.
func groupChanges(in []edit) []edit {
	out := make([]edit, 0, len(in))
	for i := 0; i < len(in); {
		if in[i].op == ' ' {
			out = append(out, in[i])
			i++
			continue
		}
		j := i
		for j < len(in) && in[j].op != ' ' {
			j++
		}
		for _, ed := range in[i:j] {
			if ed.op == '-' {
				out = append(out, ed)
			}
		}
		for _, ed := range in[i:j] {
			if ed.op == '+' {
				out = append(out, ed)
			}
		}
		i = j
	}
	return out
}
