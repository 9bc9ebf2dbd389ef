package branch

import (
	"context"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
)

func TestParsePercent(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		kind     SampleKind
		err      string
	}{
		{in: "10", want: "10%", kind: SamplePercent},
		{in: "10%", want: "10%", kind: SamplePercent},
		{in: "0.5", want: "0.5%", kind: SamplePercent},
		{in: "12.500", want: "12.5%", kind: SamplePercent},
		{in: "100", want: "all rows", kind: SampleAll},
		{in: "0", err: "more than 0"},
		{in: "-3", err: "more than 0"},
		{in: "101", err: "at most 100"},
		{in: "1/3", err: "want a percentage"},
		{in: "1e1", err: "want a percentage"},
		{in: "ten", err: "want a percentage"},
		{in: "0.0000001", err: "6 decimals"},
	} {
		s, err := ParsePercent(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || s.String() != tc.want || s.Kind != tc.kind {
			t.Errorf("%s: %v %v, want %s", tc.in, s, err, tc.want)
		}
	}
	// The threshold is floor(pct/100 * 2^64).
	for _, tc := range []struct {
		in   string
		want uint64
	}{{"50", 1 << 63}, {"25", 1 << 62}, {"10", 1844674407370955161}} {
		if s, _ := ParsePercent(tc.in); s.threshold != tc.want {
			t.Errorf("threshold of %s%% = %d, want %d", tc.in, s.threshold, tc.want)
		}
	}
}

// TestHashArgsRunOnTheServer: every kind of column reduces to arguments the
// server can hash, and the hash is the same for equal values.
func TestHashArgsRunOnTheServer(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		db.Exec(t, "CREATE TABLE h (s String, n Nullable(String), a Array(Nullable(UInt8)), u UUID, d Decimal(9, 2), t Tuple(String, Nullable(UInt8)), "+
			"f FixedString(2), e Enum8('a' = 1, 'b' = 2), aa Array(Array(String))) ENGINE = Memory")
		db.Exec(t, "INSERT INTO h SELECT 'x', NULL, [1, NULL], toUUID('61f0c404-5cb3-11e7-907b-a6006ad3dba0'), toDecimal32(1.5, 2), tuple('y', NULL), 'ab', 'b', [['z']] FROM numbers(2)")
		s := mustSnapshot(t, db.DSN, db.Name)
		hash, err := rowHash(storedColumns(s.Object("h")))
		if err != nil {
			t.Fatal(err)
		}
		if got := db.QueryString(t, "SELECT toString(uniqExact("+hash+")) FROM h"); got != "1" {
			t.Errorf("two equal rows hash to %s values:\n%s", got, hash)
		}
	})
}

// TestRowSampleIsTheSmallestHashes: --rows N copies exactly N rows, the
// same ones in branches of different designs: those with the N smallest
// row hashes.
func TestRowSampleIsTheSmallestHashes(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		w := newWorkspace(t, db, 20000)
		sample, err := RowSample(500)
		if err != nil {
			t.Fatal(err)
		}
		w.create(t, "r1", w.dir, CreateOptions{Sample: sample})
		w.create(t, "r2", writeProject(t, sortB), CreateOptions{Sample: sample})
		a, b := qi(w.db.Name+"__br_r1"), qi(w.db.Name+"__br_r2")
		if n := w.count(t, "SELECT count() FROM "+a+".events"); n != 500 {
			t.Fatalf("%d rows, want 500", n)
		}
		if n := w.count(t, "SELECT count() FROM "+a+".users"); n != 50 {
			t.Errorf("users: %d rows, want all 50 (fewer than 500)", n)
		}
		sameRows(t, w, a+".events", b+".events", "id, ts, user")
		hash, err := rowHash(storedColumns(mustSnapshot(t, w.db.DSN, w.db.Name).Object("events")))
		if err != nil {
			t.Fatal(err)
		}
		if n := w.count(t, "SELECT count() FROM "+a+".events WHERE id NOT IN (SELECT id FROM events ORDER BY "+hash+" LIMIT 500)"); n != 0 {
			t.Errorf("%d rows are not among the 500 smallest hashes", n)
		}
		// A 10% sample holds the 500-row sample: samples nest.
		pct, _ := ParsePercent("10")
		if n := w.count(t, "SELECT count() FROM "+a+".events WHERE id NOT IN (SELECT id FROM events WHERE "+pct.filter(hash)+")"); n != 0 {
			t.Errorf("%d rows of the row sample are not in the 10%% sample", n)
		}
	})
}

// TestLastPartition copies the newest month only, every row of it.
func TestLastPartition(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		w := newWorkspace(t, db, 130000) // January to March 2024
		w.create(t, "last", w.dir, CreateOptions{Sample: Sample{Kind: SampleLastPartition}})
		br := qi(w.db.Name + "__br_last")
		want := w.count(t, "SELECT count() FROM events WHERE toYYYYMM(ts) = 202403")
		if got := w.count(t, "SELECT count() FROM "+br+".events"); got != want || want == 0 {
			t.Errorf("%d rows, want the %d of March", got, want)
		}
		if n := w.count(t, "SELECT count() FROM "+br+".events WHERE toYYYYMM(ts) != 202403"); n != 0 {
			t.Errorf("%d rows from other months", n)
		}
		// users has no partition key: all of it.
		if n := w.count(t, "SELECT count() FROM "+br+".users"); n != 50 {
			t.Errorf("users: %d rows, want 50", n)
		}
	})
}

// TestMasking rewrites columns on the way in: hashed values differ from the
// workspace's but stay equal to each other across tables (joins match),
// nulled and redacted columns are empty values of their type; the sample is
// the same rows as without masks.
func TestMasking(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		w := newWorkspace(t, db, 20000)
		pct, _ := ParsePercent("20")
		var masks []Mask
		for _, s := range []string{"user=hash", "events.note=null", "country=redact", "tags=hash"} {
			m, err := ParseMask(s)
			if err != nil {
				t.Fatal(err)
			}
			masks = append(masks, m)
		}
		w.create(t, "masked", w.dir, CreateOptions{Sample: pct, Masks: masks, Salt: "pepper"})
		w.create(t, "plain", w.dir, CreateOptions{Sample: pct})
		m, p := qi(w.db.Name+"__br_masked"), qi(w.db.Name+"__br_plain")

		sameRows(t, w, m+".events", p+".events", "id, ts, amount")
		checks := []struct{ what, q string }{
			{"user values left unhashed", "SELECT count() FROM " + m + ".events WHERE user IN (SELECT user FROM users)"},
			{"users.user values left unhashed", "SELECT count() FROM " + m + ".users WHERE user IN (SELECT user FROM users)"},
			{"hashes that are not 64 hex digits", "SELECT count() FROM " + m + ".events WHERE length(user) != 64"},
			{"notes not NULL", "SELECT count() FROM " + m + ".events WHERE note IS NOT NULL"},
			{"countries not empty", "SELECT count() FROM " + m + ".events WHERE country != ''"},
			{"tags unhashed", "SELECT count() FROM " + m + ".events WHERE has(tags, '0') OR has(tags, '1') OR has(tags, '2')"},
			{"per_country rows for a country other than ''", "SELECT count() FROM " + m + ".per_country WHERE country != ''"},
		}
		for _, c := range checks {
			if n := w.count(t, c.q); n != 0 {
				t.Errorf("%d %s", n, c.what)
			}
		}
		// Joins still match: as many masked events find their masked user as
		// plain events their plain user, and distinct values stay distinct.
		joined := func(db string) uint64 {
			return w.count(t, "SELECT count() FROM "+db+".events WHERE user IN (SELECT user FROM "+db+".users)")
		}
		if a, b := joined(m), joined(p); a != b || a == 0 {
			t.Errorf("events joined to users: %d masked, %d plain", a, b)
		}
		if a, b := w.count(t, "SELECT uniqExact(user) FROM "+m+".events"), w.count(t, "SELECT uniqExact(user) FROM "+p+".events"); a != b || a < 40 {
			t.Errorf("masked events have %d distinct users, plain %d", a, b)
		}
		// The same salt gives the same hashes in another branch, row by row
		// (the sample is the same rows); another salt gives other hashes.
		w.create(t, "masked_again", w.dir, CreateOptions{Sample: pct, Masks: masks, Salt: "pepper"})
		w.create(t, "resalted", w.dir, CreateOptions{Sample: pct, Masks: masks, Salt: "salt"})
		again, resalted := qi(w.db.Name+"__br_masked_again"), qi(w.db.Name+"__br_resalted")
		total := w.count(t, "SELECT count() FROM "+m+".events")
		users := w.count(t, "SELECT count() FROM "+m+".users")
		if total == 0 || users == 0 {
			t.Fatalf("the masked branch has %d events, %d users", total, users)
		}
		// matching counts the rows of db whose hashed values are those of
		// the same row (the same id) in the masked branch: users of events,
		// their tags (hashed element by element), users of users.
		matching := func(db string) [3]uint64 {
			return [3]uint64{
				w.count(t, "SELECT count() FROM "+db+".events WHERE (id, user) IN (SELECT id, user FROM "+m+".events)"),
				w.count(t, "SELECT count() FROM "+db+".events WHERE (id, arrayStringConcat(tags, ',')) IN (SELECT id, arrayStringConcat(tags, ',') FROM "+m+".events) AND notEmpty(tags)"),
				w.count(t, "SELECT count() FROM "+db+".users WHERE user IN (SELECT user FROM "+m+".users)"),
			}
		}
		tagged := w.count(t, "SELECT count() FROM "+m+".events WHERE notEmpty(tags)")
		if tagged == 0 {
			t.Fatal("no event of the masked branch has tags")
		}
		if got, want := matching(again), [3]uint64{total, tagged, users}; got != want {
			t.Errorf("the same salt: %v (events by user, events by tags, users) have the masked branch's hashes, want all %v", got, want)
		}
		if got := matching(resalted); got != [3]uint64{} {
			t.Errorf("another salt: %v (events by user, events by tags, users) have the masked branch's hashes, want none", got)
		}
		// the rows themselves are the same: only the hashes moved
		sameRows(t, w, m+".events", resalted+".events", "id, ts, amount")
		// Types are kept.
		if got := w.db.QueryString(t, "SELECT type FROM system.columns WHERE database = '"+strings.Trim(m, "`")+"' AND table = 'events' AND name = 'note'"); got != "Nullable(String)" {
			t.Errorf("note is %s in the masked branch", got)
		}

		// A typo in a mask is refused before anything is created.
		bad, _ := ParseMask("events.usr=hash")
		_, err := Create(context.Background(), w.app(), w.c, CreateOptions{Name: "typo", Project: loadProject(t, w.dir), Sample: pct, Masks: []Mask{bad}})
		if err == nil || !strings.Contains(err.Error(), "no column usr") {
			t.Errorf("mask typo: %v", err)
		}
		if dbs, _ := w.c.BranchDatabases(context.Background(), w.db.Name); len(dbs) != 4 {
			t.Errorf("branch databases after a refused create: %v", dbs)
		}
		// A column type hash cannot keep is refused with the type.
		amount, _ := ParseMask("amount=hash")
		_, err = Create(context.Background(), w.app(), w.c, CreateOptions{Name: "float", Project: loadProject(t, w.dir), Sample: pct, Masks: []Mask{amount}})
		if err == nil || !strings.Contains(err.Error(), "cannot hash a Float64") || !strings.Contains(err.Error(), "was dropped") {
			t.Errorf("hash of a float: %v", err)
		}
	})
}

func TestParseMask(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{in: "email=hash", want: "email=hash"},
		{in: "users.email=null", want: "users.email=null"},
		{in: "ip=redact", want: "ip=redact"},
		{in: "email", err: "want [TABLE.]COLUMN"},
		{in: "=hash", err: "want [TABLE.]COLUMN"},
		{in: ".email=hash", err: "want [TABLE.]COLUMN"},
		{in: "email=md5", err: `unknown mask "md5"`},
	} {
		m, err := ParseMask(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || m.String() != tc.want {
			t.Errorf("%s: %v %v", tc.in, m, err)
		}
	}
}
