package tui

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/theme"
)

// TestChooseChart: the x axis is the first time column, else a text
// column (horizontal bars of one number), else the row number; every
// numeric column is a series; nothing numeric is no chart.
func TestChooseChart(t *testing.T) {
	tests := []struct {
		name   string
		cols   []Col
		ok     bool
		x      int
		series int
		modes  []resultMode
	}{
		{"time and numbers", []Col{{"page", "String"}, {"hour", "DateTime"}, {"hits", "UInt64"}}, true, 1, allSeries, []resultMode{modeTable, modeLine, modeBars}},
		{"a number by a label", []Col{{"page", "LowCardinality(String)"}, {"hits", "UInt64"}}, true, 0, 1, []resultMode{modeTable, modeHBars, modeBars}},
		{"numbers only", []Col{{"a", "Float64"}, {"b", "Int32"}}, true, rowNumber, allSeries, []resultMode{modeTable, modeLine, modeBars}},
		{"nothing numeric", []Col{{"page", "String"}, {"d", "Date"}}, false, 0, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, ok := chooseChart(tc.cols)
			if ok != tc.ok {
				t.Fatalf("ok %v", ok)
			}
			if !ok {
				return
			}
			if st.x != tc.x || st.series != tc.series {
				t.Errorf("x %d series %d", st.x, st.series)
			}
			if got := st.modes(tc.cols); fmt.Sprint(got) != fmt.Sprint(tc.modes) {
				t.Errorf("modes %v", got)
			}
		})
	}
	// X moves the axis, S the series
	cols := wideResult().Columns
	st, _ := chooseChart(cols)
	st.mode = modeLine
	if st = st.nextX(cols); st.x != 1 || st.mode != modeHBars || st.series != 2 {
		t.Errorf("X after hour: %+v", st)
	}
	if st = st.nextSeries(cols); st.series != 3 {
		t.Errorf("S: %+v", st)
	}
}

// TestChartToggles: v shows the rows as a line chart, then bars, then the
// table; X and S change the axis and the series; the chart says so.
func TestChartToggles(t *testing.T) {
	m := rowsModel(t, [2]int{80, 24}, nil)
	press(t, m, "v")
	out := plain(m.Render())
	if !strings.Contains(out, "line chart · v table · X axis · S series") || !strings.Contains(out, "■ hits") || !strings.Contains(out, "■ visitors") || !strings.ContainsAny(out, "⠁⠂⠄⡀⠈⠐⠠⢀") {
		t.Fatalf("line chart:\n%s", out)
	}
	press(t, m, "S")
	if out := plain(m.Render()); !strings.Contains(out, "■ hits") || strings.Contains(out, "■ visitors") {
		t.Fatalf("S draws one series:\n%s", out)
	}
	press(t, m, "v")
	if out := plain(m.Render()); !strings.Contains(out, "bar chart") || !strings.ContainsAny(out, "▁▂▃▄▅▆▇█") {
		t.Fatalf("bars:\n%s", out)
	}
	press(t, m, "X")
	if out := plain(m.Render()); !strings.Contains(out, "by page") {
		t.Fatalf("X: by page:\n%s", out)
	}
	press(t, m, "v")
	if m.preview.charting() {
		t.Fatal("v does not come back to the table")
	}
	// a run with the same columns keeps the choice
	press(t, m, "v", "R")
	if !m.preview.charting() {
		t.Error("a re-run dropped the chart")
	}
}

// TestGoldenCharts: a line chart, bars and horizontal bars of a golden result at both sizes.
func TestGoldenCharts(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, c := range []struct {
			name string
			keys []string
		}{
			{"chart_line", []string{"v"}},
			{"chart_bars", []string{"v", "v"}},
			{"chart_hbars", []string{"v", "X"}}, // X needs a chart on screen: by page, bars
		} {
			name := fmt.Sprintf("%s_%dx%d.golden", c.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := rowsModel(t, size, nil)
				press(t, m, c.keys...)
				golden(t, name, plain(m.Render()))
			})
		}
	}
}

// TestRunsCompareAsBars: the last two runs' rows and bytes read are drawn
// as a pair of bars.
func TestRunsCompareAsBars(t *testing.T) {
	m := rowsModel(t, [2]int{80, 24}, nil)
	m.preview.runs = []runStat{{n: 1, rows: 3, rowsRead: 4000, bytesRead: 100 << 10}, {n: 2, rows: 3, rowsRead: 1000, bytesRead: 25 << 10}}
	m.touch()
	out := flat(m.Render())
	if !strings.Contains(out, "read: run 2/1 rows ██······ 1,000 ████████ 4,000 · bytes ██······ 25.0 KiB ████████ 100.0 KiB") {
		t.Fatalf("no bar pair:\n%s", plain(m.Render()))
	}
}

// tenThousand is a chart of 10,000 points in two series.
func tenThousand() *component.Chart {
	c := &component.Chart{Kind: component.LineChart}
	a, b := component.Series{Name: "a"}, component.Series{Name: "b"}
	for i := range 10000 {
		c.X = append(c.X, float64(i))
		c.Labels = append(c.Labels, fmt.Sprint(i))
		a.Values = append(a.Values, math.Sin(float64(i)/300)*1000)
		b.Values = append(b.Values, float64(i%977))
	}
	c.Series = []component.Series{a, b}
	return c
}

// BenchmarkChart10000 is the render of a 10,000-point line chart (two
// series) at 160x48, and of the same points as bars.
func BenchmarkChart10000(b *testing.B) {
	th := theme.Dark()
	for _, kind := range []component.ChartKind{component.LineChart, component.BarChart} {
		c := tenThousand()
		c.Kind = kind
		b.Run(fmt.Sprint(kind), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Render(th, 160, 40)
			}
		})
	}
}

// BenchmarkChartOfRows10000 is building the chart from 10,000 result rows
// (parsing times and numbers) and drawing it.
func BenchmarkChartOfRows10000(b *testing.B) {
	cols := []Col{{"t", "DateTime"}, {"n", "UInt64"}}
	var rows [][]string
	for i := range 10000 {
		rows = append(rows, []string{fmt.Sprintf("2026-11-%02d %02d:%02d:00", 1+i/1440, (i/60)%24, i%60), fmt.Sprint(i % 500)})
	}
	st, _ := chooseChart(cols)
	st.mode = modeLine
	th := theme.Dark()
	b.ReportAllocs()
	for b.Loop() {
		buildChart(cols, rows, st).Render(th, 160, 40)
	}
}

// TestChartSumsRowsOfOneX: rows with the same x (a day by country) are one
// point, their values summed, NULLs skipped; the chart says so.
func TestChartSumsRowsOfOneX(t *testing.T) {
	cols := []Col{{"day", "Date"}, {"country", "String"}, {"orders", "Nullable(UInt64)"}}
	rows := [][]string{{"2026-11-02", "ES", "5"}, {"2026-11-01", "ES", "1"}, {"2026-11-01", "FR", "2"}, {"2026-11-02", "FR", "NULL"}}
	st, _ := chooseChart(cols)
	c := buildChart(cols, rows, st)
	if len(c.X) != 2 || c.Labels[0] != "2026-11-01" || c.Series[0].Values[0] != 3 || c.Series[0].Values[1] != 5 || c.Title != "sum by day" {
		t.Fatalf("chart: %+v", c)
	}
	st = st.nextX(cols) // by country: horizontal bars, labels in order
	c = buildChart(cols, rows, st)
	if strings.Join(c.Labels, ",") != "ES,FR" || c.Series[0].Values[0] != 6 || c.Series[0].Values[1] != 2 {
		t.Fatalf("by country: %+v", c)
	}
}
