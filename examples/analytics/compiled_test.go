package analytics_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestCompiledNodesMatchHandRendered: perch's compiler, given the same
// parameters, produces SQL that returns exactly the rows of the hand-rendered
// SQL of endpoints_test.go, on the real server.
func TestCompiledNodesMatchHandRendered(t *testing.T) {
	p := loadProject(t)
	if diags := compile.Validate(p); len(diags) > 0 {
		for _, d := range diags {
			t.Errorf("%s", d)
		}
	}
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		deploy(t, db)
		ingest(t, db, 2, 20_000)
		today := db.QueryString(t, "SELECT toString(today())")
		thisHour := db.QueryString(t, "SELECT toString(toStartOfHour(now()))")
		nextHour := db.QueryString(t, "SELECT toString(toStartOfHour(now()) + 3600)")
		snapshotCols := "date, country, visitors, pageviews, orders, revenue"

		cases := []struct {
			pipe, node string
			params     map[string]string
			hand       string
			cols       string // compare these columns ("*" for all)
		}{
			{"top_pages", "endpoint", nil, topPagesSQL("toDate(hour) >= today() - 7", 10), "*"},
			{"top_pages", "endpoint", map[string]string{"date_from": "2020-01-01", "date_to": today, "country": "US", "device": "mobile", "limit": "3"},
				topPagesSQL("toDate(hour) >= '2020-01-01' AND toDate(hour) <= '"+today+"' AND country = 'US' AND device = 'mobile'", 3), "*"},
			{"trend", "endpoint", nil, trendSQL("hour >= toStartOfHour(now() - 86400)"), "*"},
			{"trend", "endpoint", map[string]string{"start": thisHour, "end": nextHour, "pathname": "/pricing"},
				trendSQL("hour >= '" + thisHour + "' AND hour < '" + nextHour + "' AND pathname = '/pricing'"), "*"},
			{"revenue_by_country", "endpoint", nil, revenueSQL("date >= today() - 30 AND date <= today()", 20), "*"},
			{"revenue_by_country", "endpoint", map[string]string{"date_from": today, "date_to": today, "device": "desktop", "limit": "2"},
				revenueSQL("date >= '"+today+"' AND date <= '"+today+"' AND device = 'desktop'", 2), "*"},
			{"live_activity", "endpoint", nil, liveSQL(5, ""), "event_type, events"},
			{"live_activity", "endpoint", map[string]string{"minutes": "1", "pathname": "/"}, liveSQL(1, " AND pathname = '/'"), "event_type, events"},
			{"snapshot_country_daily", "snapshot", map[string]string{"snapshot_date": today},
				strings.TrimPrefix(copySQL("toDate('"+today+"')", "'"+today+"'"), "INSERT INTO country_daily_snapshot\n"), snapshotCols},
			{"snapshot_country_daily", "snapshot", nil,
				strings.TrimPrefix(copySQL("yesterday()", "yesterday()"), "INSERT INTO country_daily_snapshot\n"), snapshotCols},
		}
		for i, c := range cases {
			t.Run(fmt.Sprintf("%d_%s", i, c.pipe), func(t *testing.T) {
				res, err := compile.Compile(p, c.pipe, c.node, compile.Options{Params: c.params})
				if err != nil {
					t.Fatalf("compile: %v", err)
				}
				wrap := func(sql string) string {
					return "SELECT " + c.cols + " FROM (" + sql + ")"
				}
				got, want := query(t, db, wrap(res.SQL)), query(t, db, wrap(c.hand))
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("compiled SQL returns\n%v\nhand-rendered returns\n%v\ncompiled:\n%s", got, want, res.SQL)
				}
				if len(want) == 0 && c.params != nil {
					t.Fatalf("no rows to compare")
				}
			})
		}
	})
}
