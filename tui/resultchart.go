package tui

import (
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/perchdata/perch/tui/component"
)

// resultMode is how the Preview shows the rows: a table or a chart.
type resultMode int

// The modes of the result pane.
const (
	modeTable resultMode = iota
	modeLine
	modeBars
	modeHBars
)

// rowNumber is the x axis "row number" (no column).
const rowNumber = -1

// chartState is what the chart of the rows on screen draws: the mode, the
// x axis column and which series (one numeric column, or every one). The
// choice is made when rows arrive and the user can change it.
type chartState struct {
	mode resultMode
	// x is the column of the x axis (rowNumber: the row's position).
	x int
	// series is the numeric column drawn, or allSeries.
	series int
}

// allSeries draws every numeric column.
const allSeries = -2

func isTimeType(t string) bool { return component.IsTime(t) }

func isNumericType(t string) bool { return component.IsNumeric(t) }

// xCandidates are the columns the x axis can be, in the order x cycles
// through them: time columns, text columns, numbers, then the row number.
func xCandidates(cols []Col) []int {
	var times, texts, nums []int
	for i, c := range cols {
		switch {
		case isTimeType(c.Type):
			times = append(times, i)
		case isNumericType(c.Type):
			nums = append(nums, i)
		default:
			texts = append(texts, i)
		}
	}
	return append(append(append(times, texts...), nums...), rowNumber)
}

// numericCols are the numeric columns other than x.
func numericCols(cols []Col, x int) []int {
	var out []int
	for i, c := range cols {
		if i != x && isNumericType(c.Type) {
			out = append(out, i)
		}
	}
	return out
}

// chooseChart picks the chart of a result: x is the first time column,
// else the first text column (horizontal bars of one number by a label),
// else the row number; every numeric column is a series. ok is false when
// nothing is numeric.
func chooseChart(cols []Col) (chartState, bool) {
	x := xCandidates(cols)[0]
	if x >= 0 && isNumericType(cols[x].Type) {
		x = rowNumber // numbers only: by row, X picks one as the axis
	}
	if len(numericCols(cols, x)) == 0 {
		// only numbers: one of them may be the x axis, the rest the series
		if x == rowNumber || len(numericCols(cols, rowNumber)) == 0 {
			return chartState{}, false
		}
		x = rowNumber
	}
	st := chartState{x: x, series: allSeries, mode: modeLine}
	if x >= 0 && !isTimeType(cols[x].Type) && !isNumericType(cols[x].Type) {
		st.mode = modeHBars
		st.series = numericCols(cols, x)[0]
	}
	return st, true
}

// modes are the modes v cycles through for the x axis.
func (st chartState) modes(cols []Col) []resultMode {
	if st.x >= 0 && !isTimeType(cols[st.x].Type) && !isNumericType(cols[st.x].Type) {
		return []resultMode{modeTable, modeHBars, modeBars}
	}
	return []resultMode{modeTable, modeLine, modeBars}
}

// next is the mode after st.mode.
func (st chartState) next(cols []Col) resultMode {
	ms := st.modes(cols)
	for i, m := range ms {
		if m == st.mode {
			return ms[(i+1)%len(ms)]
		}
	}
	return ms[1]
}

// nextX moves the x axis to the next candidate, keeping the mode when it
// fits the new axis.
func (st chartState) nextX(cols []Col) chartState {
	cands := xCandidates(cols)
	for i, c := range cands {
		if c == st.x {
			for k := 1; k <= len(cands); k++ {
				nx := cands[(i+k)%len(cands)]
				if len(numericCols(cols, nx)) > 0 {
					st.x = nx
					break
				}
			}
			break
		}
	}
	if st.series >= 0 && st.series == st.x {
		st.series = allSeries
	}
	ok := false
	for _, m := range st.modes(cols) {
		ok = ok || m == st.mode
	}
	if !ok {
		st.mode = st.modes(cols)[1]
	}
	if st.mode == modeHBars && st.series == allSeries {
		st.series = numericCols(cols, st.x)[0]
	}
	return st
}

// nextSeries draws the next numeric column alone, then all of them (one
// at a time for horizontal bars).
func (st chartState) nextSeries(cols []Col) chartState {
	nums := numericCols(cols, st.x)
	if len(nums) == 0 {
		return st
	}
	choices := append([]int(nil), nums...)
	if st.mode != modeHBars && len(nums) > 1 {
		choices = append(choices, allSeries)
	}
	for i, c := range choices {
		if c == st.series {
			st.series = choices[(i+1)%len(choices)]
			return st
		}
	}
	st.series = choices[0]
	return st
}

// parseTime reads a Date or DateTime value as Unix seconds (NaN when it
// is not one).
func parseTime(s string) float64 {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return float64(t.UnixNano()) / 1e9
		}
	}
	return math.NaN()
}

func parseNumber(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// buildChart is the chart of rows as st says; points on a time or number
// axis are sorted by it, text labels keep the rows' order.
func buildChart(cols []Col, rows [][]string, st chartState) *component.Chart {
	c := &component.Chart{}
	switch st.mode {
	case modeBars:
		c.Kind = component.BarChart
	case modeHBars:
		c.Kind = component.HBarChart
	}
	series := numericCols(cols, st.x)
	if st.series >= 0 {
		series = []int{st.series}
	}
	type point struct {
		x     float64
		label string
		row   []string
	}
	pts := make([]point, 0, len(rows))
	numericX := st.x == rowNumber || isTimeType(cols[st.x].Type) || isNumericType(cols[st.x].Type)
	for i, r := range rows {
		p := point{x: float64(i + 1), label: strconv.Itoa(i + 1), row: r}
		if st.x >= 0 && st.x < len(r) {
			p.label = r[st.x]
			switch {
			case isTimeType(cols[st.x].Type):
				p.x = parseTime(r[st.x])
			case isNumericType(cols[st.x].Type):
				p.x = parseNumber(r[st.x])
			default:
				p.x = float64(i)
			}
		}
		if math.IsNaN(p.x) {
			continue
		}
		pts = append(pts, p)
	}
	if numericX {
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].x < pts[j].x })
	}
	// rows with the same x (a day by country and device) add up: one point
	// per x, the series summed (a line through each row would zigzag)
	value := func(p point, col int) float64 {
		if col < len(p.row) {
			return parseNumber(p.row[col])
		}
		return math.NaN()
	}
	type merged struct {
		x     float64
		label string
		vals  []float64
	}
	var ms []merged
	at := map[string]int{}
	summed := false
	for _, p := range pts {
		var i int
		seen := false
		if numericX {
			// sorted: an x repeats right after itself
			i, seen = len(ms)-1, len(ms) > 0 && ms[len(ms)-1].x == p.x
		} else {
			i, seen = at[p.label]
		}
		if !seen {
			i = len(ms)
			if !numericX {
				at[p.label] = i
			}
			m := merged{x: p.x, label: p.label, vals: make([]float64, len(series))}
			for k := range m.vals {
				m.vals[k] = math.NaN()
			}
			ms = append(ms, m)
		} else {
			summed = true
		}
		for k, col := range series {
			v := value(p, col)
			switch {
			case math.IsNaN(v):
			case math.IsNaN(ms[i].vals[k]):
				ms[i].vals[k] = v
			default:
				ms[i].vals[k] += v
			}
		}
	}
	c.X = make([]float64, len(ms))
	c.Labels = make([]string, len(ms))
	for i, m := range ms {
		c.X[i], c.Labels[i] = m.x, m.label
	}
	if !numericX {
		for i := range c.X {
			c.X[i] = float64(i) // labels in the order they came
		}
	}
	for k, col := range series {
		s := component.Series{Name: cols[col].Name, Values: make([]float64, len(ms))}
		for i, m := range ms {
			s.Values[i] = m.vals[k]
		}
		c.Series = append(c.Series, s)
	}
	xName := "row"
	if st.x >= 0 {
		xName = cols[st.x].Name
	}
	c.Title = "by " + xName
	if summed {
		c.Title = "sum by " + xName
	}
	return c
}
