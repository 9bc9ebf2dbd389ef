package stream

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// weighted is a categorical distribution: values with integer weights.
type weighted struct {
	values  []string
	weights []int
}

// The distributions of the generated traffic. Countries, devices and browsers
// are drawn per user (a user keeps them across sessions); event types and
// referrers per event; pages follow a Zipf-like law over the list below.
var (
	eventTypes = weighted{
		[]string{"pageview", "click", "signup", "purchase"},
		[]int{780, 150, 30, 40},
	}
	countries = weighted{
		[]string{"US", "GB", "DE", "ES", "FR", "IN", "BR", "CA", "JP", "NL", "AU", "MX"},
		[]int{310, 90, 80, 70, 60, 90, 60, 50, 40, 30, 30, 60},
	}
	devices  = weighted{[]string{"mobile", "desktop", "tablet"}, []int{55, 40, 5}}
	browsers = weighted{
		[]string{"Chrome", "Safari", "Firefox", "Edge", "Samsung Internet"},
		[]int{62, 20, 8, 7, 3},
	}
	referrers = weighted{
		[]string{"", "google.com", "github.com", "news.ycombinator.com", "x.com", "linkedin.com", "duckduckgo.com"},
		[]int{40, 30, 10, 7, 6, 4, 3},
	}
	// pages in popularity order: page k is viewed about 1/k as often as the first.
	pages = []string{
		"/", "/pricing", "/docs", "/blog", "/docs/getting-started", "/features",
		"/blog/launch-week", "/docs/api", "/changelog", "/about", "/integrations",
		"/customers", "/blog/clickhouse-tips", "/docs/sdk/go", "/security", "/careers",
		"/contact", "/status", "/blog/real-time-dashboards", "/legal/privacy",
	}
	// orderValues are the prices a purchase may have, weighted towards cheap plans.
	orderValues = weighted{[]string{"9", "19", "49", "99", "249", "999"}, []int{30, 30, 20, 12, 6, 2}}
)

var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)

func validTable(s string) bool { return tableName.MatchString(s) }

// Columns is the column list every insert writes, in order.
const Columns = "event_id, timestamp, session_id, user_id, event_type, pathname, referrer, country, device, browser, duration_ms, revenue"

// MissingColumns returns the columns an insert writes that are not in have
// (the columns of the target table), in insert order; nil when none is missing.
func MissingColumns(have []string) []string {
	set := make(map[string]bool, len(have))
	for _, h := range have {
		set[h] = true
	}
	var missing []string
	for _, c := range strings.Split(Columns, ", ") {
		if !set[c] {
			missing = append(missing, c)
		}
	}
	return missing
}

// InsertSQL is the statement that inserts rows generated events with ids
// firstID..firstID+rows-1 into cfg.Table. Everything random is drawn on the
// server with rand(k) (distinct k keep the draws independent) and cityHash64
// (which keeps per-user attributes stable). cfg must have its defaults.
func InsertSQL(cfg Config, firstID, rows uint64) string {
	latePPM := int(cfg.LateFraction * 1e6)
	lateSpan := max(int64(cfg.MaxLateness.Seconds())-60, 1)
	sessionSecs := int64(cfg.SessionLength.Seconds())
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s)\n", cfg.Table, Columns)
	b.WriteString("SELECT\n")
	b.WriteString("    event_id,\n")
	b.WriteString("    timestamp,\n")
	b.WriteString("    session_id,\n")
	b.WriteString("    user_id,\n")
	b.WriteString("    event_type,\n")
	b.WriteString("    multiIf(event_type = 'purchase', '/checkout', event_type = 'signup', '/signup', page) AS pathname,\n")
	b.WriteString("    referrer,\n")
	b.WriteString("    country,\n")
	b.WriteString("    device,\n")
	b.WriteString("    browser,\n")
	// Time on page: exponential with a 30 s mean, capped at an hour.
	b.WriteString("    if(event_type = 'pageview', toUInt32(least(-log(1 - rand(7) / 4294967296.) * 30000, 3600000)), toUInt32(0)) AS duration_ms,\n")
	fmt.Fprintf(&b, "    if(event_type = 'purchase', toFloat64(%s) - 0.01, toFloat64(0)) AS revenue\n", pick(orderValues, "rand(8)", true))
	b.WriteString("FROM\n(\n    SELECT\n")
	fmt.Fprintf(&b, "        %d + number AS event_id,\n", firstID)
	// Now, a second or two of jitter, and now and then an event from the past.
	fmt.Fprintf(&b, "        toDateTime(toUInt32(now()) - rand(1) %% 3 - if(rand(2) %% 1000000 < %d, 60 + rand(3) %% %d, 0)) AS timestamp,\n", latePPM, lateSpan)
	// A fixed number of session slots; each slot starts a new session every
	// SessionLength, staggered so that sessions do not all end together.
	fmt.Fprintf(&b, "        rand(4) %% %d AS slot,\n", cfg.Sessions)
	fmt.Fprintf(&b, "        concat('s', toString(slot), '-', toString(intDiv(toUInt32(now()) + slot * 7919, %d))) AS session_id,\n", sessionSecs)
	fmt.Fprintf(&b, "        concat('u', toString(cityHash64(session_id) %% %d)) AS user_id,\n", cfg.Users)
	fmt.Fprintf(&b, "        %s AS event_type,\n", pick(eventTypes, "rand(5)", false))
	fmt.Fprintf(&b, "        arrayElement(%s, least(toUInt32(exp(log(%d) * (rand(6) / 4294967296.))), %d)) AS page,\n", quoteAll(pages), len(pages)+1, len(pages))
	fmt.Fprintf(&b, "        %s AS referrer,\n", pick(referrers, "rand(9)", false))
	fmt.Fprintf(&b, "        %s AS country,\n", pick(countries, "cityHash64(user_id, 'country')", false))
	fmt.Fprintf(&b, "        %s AS device,\n", pick(devices, "cityHash64(user_id, 'device')", false))
	fmt.Fprintf(&b, "        %s AS browser\n", pick(browsers, "cityHash64(user_id, 'browser')", false))
	fmt.Fprintf(&b, "    FROM numbers(%d)\n)", rows)
	return b.String()
}

// pick is an expression choosing a value of w with probability proportional
// to its weight, from the random UInt expression r: the first cumulative
// weight above r modulo the total.
func pick(w weighted, r string, numeric bool) string {
	cum := make([]string, len(w.weights))
	total := 0
	for i, x := range w.weights {
		total += x
		cum[i] = strconv.Itoa(total)
	}
	values := quoteAll(w.values)
	if numeric {
		values = "[" + strings.Join(w.values, ", ") + "]"
	}
	return fmt.Sprintf("arrayElement(%s, arrayFirstIndex(x -> x > %s %% %d, [%s]))", values, r, total, strings.Join(cum, ", "))
}

// quoteAll renders strings as a ClickHouse array literal. The values are the
// constants above, which hold no quote or backslash.
func quoteAll(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = "'" + v + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}
