package branch

import (
	"context"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestCompareBranches runs every endpoint with its defaults and each test's
// parameters on two branches of different designs holding the same sample:
// results are equal and each side reports what it read; the workspace
// (all rows) and a branch (a sample) differ.
func TestCompareBranches(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		w := newWorkspace(t, db, 130000)
		pct, _ := ParsePercent("10")
		w.create(t, "by_time", w.dir, CreateOptions{Sample: pct})
		w.create(t, "by_country", writeProject(t, sortB), CreateOptions{Sample: pct})
		a, b := w.open(t, "by_time"), w.open(t, "by_country")
		p := loadProject(t, w.dir)
		ctx := context.Background()

		cmp, err := Compare(ctx, p, a, b, "by_time", "by_country", CompareOptions{Runs: 2})
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ endpoint, test, params string }{
			{"by_country", "", ""}, {"user_events", "", ""}, {"user_events", "u3", "user=u3"}, {"user_events", "u7", "user=u7"},
		}
		if len(cmp.Cases) != len(want) {
			t.Fatalf("%d cases: %+v", len(cmp.Cases), cmp.Cases)
		}
		for i, c := range cmp.Cases {
			if c.Endpoint != want[i].endpoint || c.Test != want[i].test || c.Params != want[i].params {
				t.Errorf("case %d is %s %s %q, want %+v", i, c.Endpoint, c.Test, c.Params, want[i])
			}
			if !c.Equal || c.Error != "" || c.A.Error != "" || c.B.Error != "" {
				t.Errorf("%s %s: equal %v, errors %q %q %q", c.Endpoint, c.Params, c.Equal, c.Error, c.A.Error, c.B.Error)
			}
			if c.A.RowsRead == 0 || c.B.RowsRead == 0 || c.A.BytesRead == 0 || c.A.Elapsed <= 0 || c.A.Rows == 0 {
				t.Errorf("%s %s: read A %+v B %+v", c.Endpoint, c.Params, c.A, c.B)
			}
		}
		// user_events filters on user: the branch sorted by country, then user,
		// reads no more than the one sorted by time reads (every row).
		if u := cmp.Cases[2]; u.B.RowsRead > u.A.RowsRead {
			t.Errorf("user=u3 read %d rows sorted by time, %d sorted by country and user", u.A.RowsRead, u.B.RowsRead)
		}

		cmp, err = Compare(ctx, p, w.c, a, workspace.MainBranch, "by_time", CompareOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if c := cmp.Cases[0]; c.Equal {
			t.Errorf("main vs a 10%% branch: by_country equal: %+v", c)
		}
		if c := cmp.Cases[1]; c.Equal || c.A.RowsRead < 5*c.B.RowsRead {
			t.Errorf("main vs a 10%% branch: user_events %+v", c)
		}
	})
}

func TestEqualResults(t *testing.T) {
	res := func(typ string, rows ...[]string) *workspace.PreviewResult {
		return &workspace.PreviewResult{Columns: []workspace.PreviewColumn{{Name: "k", Type: "String"}, {Name: "v", Type: typ}}, Rows: rows}
	}
	for _, tc := range []struct {
		name string
		a, b *workspace.PreviewResult
		want bool
		diff string
	}{
		{"same", res("UInt64", []string{"a", "1"}), res("UInt64", []string{"a", "1"}), true, ""},
		{"another order", res("UInt64", []string{"a", "1"}, []string{"b", "2"}), res("UInt64", []string{"b", "2"}, []string{"a", "1"}), true, ""},
		{"a float's last bits", res("Float64", []string{"a", "0.30000000000000004"}), res("Float64", []string{"a", "0.3"}), true, ""},
		{"floats in another order", res("Nullable(Float64)", []string{"a", "1.0000000000000002"}, []string{"b", "5"}), res("Nullable(Float64)", []string{"b", "5"}, []string{"a", "1"}), true, ""},
		{"a different float", res("Float64", []string{"a", "0.31"}), res("Float64", []string{"a", "0.3"}), false, "1 of 1 rows differ; first: v 0.31 vs 0.3 (3.2%)"},
		{"pairs by the other columns", res("Float64", []string{"b", "1"}, []string{"a", "0.31"}), res("Float64", []string{"a", "0.3"}, []string{"b", "1"}), false, "1 of 2 rows differ; first: v 0.31 vs 0.3 (3.2%)"},
		{"integers exactly", res("UInt64", []string{"a", "10"}), res("UInt64", []string{"a", "10.0"}), false, "1 of 1 rows differ; first: v 10 vs 10.0"},
		{"a missing row", res("UInt64", []string{"a", "1"}, []string{"a", "1"}), res("UInt64", []string{"a", "1"}), false, "2 rows vs 1"},
		{"duplicates count", res("UInt64", []string{"a", "1"}, []string{"a", "1"}, []string{"b", "1"}), res("UInt64", []string{"a", "1"}, []string{"b", "1"}, []string{"b", "1"}), false, "1 of 3 rows differ; first: k a vs b"},
		{"renamed column", res("UInt64"), &workspace.PreviewResult{Columns: []workspace.PreviewColumn{{Name: "k"}, {Name: "w"}}}, false, "column 2 is v vs w"},
	} {
		got, diff := EqualResults(tc.a, tc.b)
		if got != tc.want || diff != tc.diff {
			t.Errorf("%s: %v %q, want %v %q", tc.name, got, diff, tc.want, tc.diff)
		}
	}
}
