package compile

import (
	"reflect"
	"testing"
)

func TestFunctionNames(t *testing.T) {
	tests := []struct {
		name, sql string
		want      []string
		wantErr   bool
	}{
		{"plain", "SELECT toDate(ts) AS d, count() FROM events GROUP BY d", []string{"count", "toDate"}, false},
		{"distinct names once", "SELECT sum(a), sum(b) FROM t", []string{"sum"}, false},
		{"combinators kept", "SELECT countIf(x > 1), uniqMergeState(s), sumIfState(v, v > 0) FROM t", []string{"countIf", "sumIfState", "uniqMergeState"}, false},
		{"nested and lambda", "SELECT arrayMap(x -> lower(x), tags) FROM t", []string{"arrayMap", "lower"}, false},
		{"parametric", "SELECT quantile(0.9)(v) FROM t", []string{"quantile"}, false},
		{"table function left out, its arguments kept", "SELECT number FROM numbers(toUInt64(10))", []string{"toUInt64"}, false},
		{"subquery and where", "SELECT x FROM (SELECT max(y) AS x FROM t) WHERE JSONExtractString(j, 'a') = ''", []string{"JSONExtractString", "max"}, false},
		{"operators are not calls", "SELECT a + b, a IN (1, 2), NOT a, a LIKE 'x' FROM t", nil, false},
		{"case kept", "SELECT COUNT(), Lower(s) FROM t", []string{"COUNT", "Lower"}, false},
		{"empty", "  ", nil, true},
		{"unparsable", "SELECT FROM WHERE (", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FunctionNames(tt.sql)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func BenchmarkFunctionNames(b *testing.B) {
	const sql = "SELECT toStartOfHour(ts) AS h, user_id, countIf(v > 0) AS c, uniqState(s) AS u, arrayMap(x -> lower(x), tags) AS t FROM events WHERE JSONExtractString(j, 'a') != '' GROUP BY h, user_id, t"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := FunctionNames(sql); err != nil {
			b.Fatal(err)
		}
	}
}
