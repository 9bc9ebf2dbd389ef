package stream

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestInsertSQLGolden(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		firstID uint64
		rows    uint64
	}{
		{"defaults", Config{}, 1, 200},
		{"qualified_no_late", Config{Table: "demo.events", LateFraction: -1, Sessions: 10, Users: 50, SessionLength: 5 * time.Minute}, 1_000_000, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := tt.cfg.withDefaults(time.Unix(1, 0))
			if err != nil {
				t.Fatal(err)
			}
			got := InsertSQL(cfg, tt.firstID, tt.rows) + "\n"
			path := filepath.Join("testdata", tt.name+".sql")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("InsertSQL differs from %s (run with -update after checking):\n%s", path, got)
			}
		})
	}
}

func TestPickWeightsAreCumulative(t *testing.T) {
	got := pick(weighted{[]string{"a", "b", "c"}, []int{5, 3, 2}}, "rand(1)", false)
	want := "arrayElement(['a', 'b', 'c'], arrayFirstIndex(x -> x > rand(1) % 10, [5, 8, 10]))"
	if got != want {
		t.Fatalf("pick = %s\nwant  %s", got, want)
	}
	if num := pick(weighted{[]string{"9", "19"}, []int{1, 1}}, "r", true); !strings.HasPrefix(num, "arrayElement([9, 19],") {
		t.Fatalf("numeric pick = %s", num)
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // substring of the error; "" for none
	}{
		{"defaults", Config{}, ""},
		{"qualified table", Config{Table: "db_1.events"}, ""},
		{"injection", Config{Table: "events; DROP TABLE x"}, "table"},
		{"three parts", Config{Table: "a.b.c"}, "table"},
		{"negative rate", Config{RowsPerSecond: -1}, "rows per second"},
		{"tiny interval", Config{BatchInterval: time.Microsecond}, "batch interval"},
		{"negative sessions", Config{Sessions: -3}, "sessions"},
		{"late > 1", Config{LateFraction: 1.5}, "late fraction"},
		{"short lateness", Config{MaxLateness: time.Second}, "max lateness"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.cfg.withDefaults(time.Now())
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestDefaultFirstIDFromClock(t *testing.T) {
	a, _ := Config{}.withDefaults(time.UnixMicro(1_700_000_000_000_000))
	b, _ := Config{}.withDefaults(time.UnixMicro(1_700_000_000_000_001))
	if a.FirstID != 1_700_000_000_000_000_000 || b.FirstID-a.FirstID != 1000 {
		t.Fatalf("first ids %d, %d: want microseconds*1000", a.FirstID, b.FirstID)
	}
}

func TestMissingColumns(t *testing.T) {
	all := strings.Split(Columns, ", ")
	tests := []struct {
		name string
		have []string
		want string
	}{
		{"all present, extra ignored", append([]string{"extra"}, all...), ""},
		{"none", nil, Columns},
		{"two missing", all[2:], "event_id, timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(MissingColumns(tt.have), ", "); got != tt.want {
				t.Fatalf("missing = %q, want %q", got, tt.want)
			}
		})
	}
}
