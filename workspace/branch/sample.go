package branch

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/perchdata/perch/workspace"
)

// SampleKind says how a sample picks rows.
type SampleKind int

// The kinds of sample.
const (
	// SampleAll copies every row.
	SampleAll SampleKind = iota
	// SamplePercent copies the rows whose row hash falls in the lowest
	// PCT percent of the hash space.
	SamplePercent
	// SampleRows copies the N rows with the smallest row hashes.
	SampleRows
	// SampleLastPartition copies the newest partition, as Tinybird does.
	SampleLastPartition
)

// Sample says which rows of each landing table a branch receives. Percent
// and row samples are deterministic: a row is chosen by a hash of its own
// values in the workspace (never by position, insertion time or the
// branch's sorting key), so every branch created with the same sample from
// the same data holds the same rows, whatever its own design. A smaller
// sample is a subset of a larger one.
type Sample struct {
	Kind SampleKind
	// Percent is the percentage as given, normalized ("10", "0.5").
	Percent string
	// Rows is the row count of a SampleRows sample.
	Rows uint64
	// threshold is the exclusive upper bound of the row hashes a percent
	// sample takes: floor(Percent/100 * 2^64).
	threshold uint64
}

// ParsePercent parses PCT of --sample ("10", "10%", "0.5"): more than 0 and
// at most 100, with up to 6 decimals. 100 is every row.
func ParsePercent(s string) (Sample, error) {
	text := strings.TrimSuffix(strings.TrimSpace(s), "%")
	r, ok := new(big.Rat).SetString(text)
	if !ok || strings.ContainsAny(text, "/eE") {
		return Sample{}, fmt.Errorf("--sample %q: want a percentage such as 10 or 0.5", s)
	}
	if r.Sign() <= 0 || r.Cmp(big.NewRat(100, 1)) > 0 {
		return Sample{}, fmt.Errorf("--sample %s: want more than 0 and at most 100", s)
	}
	if _, frac, ok := strings.Cut(text, "."); ok && len(frac) > 6 {
		return Sample{}, fmt.Errorf("--sample %s: at most 6 decimals", s)
	}
	norm := r.FloatString(6)
	norm = strings.TrimRight(strings.TrimRight(norm, "0"), ".")
	if r.Cmp(big.NewRat(100, 1)) == 0 {
		return Sample{Kind: SampleAll, Percent: "100"}, nil
	}
	// threshold = floor(r/100 * 2^64), below 2^64 since r < 100.
	t := new(big.Rat).Mul(r, new(big.Rat).SetFrac(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(100)))
	th := new(big.Int).Quo(t.Num(), t.Denom())
	return Sample{Kind: SamplePercent, Percent: norm, threshold: th.Uint64()}, nil
}

// RowSample is the sample of --rows N: the N rows of each landing table
// with the smallest row hashes.
func RowSample(n uint64) (Sample, error) {
	if n == 0 {
		return Sample{}, errors.New("--rows: want at least 1")
	}
	return Sample{Kind: SampleRows, Rows: n}, nil
}

// String describes the sample: "10%", "1000 rows", "last partition", "all rows".
func (s Sample) String() string {
	switch s.Kind {
	case SamplePercent:
		return s.Percent + "%"
	case SampleRows:
		return fmt.Sprintf("%d rows", s.Rows)
	case SampleLastPartition:
		return "last partition"
	}
	return "all rows"
}

// Deterministic reports whether the sample depends only on row values.
func (s Sample) Deterministic() bool { return s.Kind != SampleLastPartition }

// rowHash is the hash expression of a row of a table with these columns
// (the stored columns, in the table's order): cityHash64 over every value,
// each column reduced to arguments every server version can hash (NULLs as
// a flag and the default value, LowCardinality as its value type, decimals
// and UUIDs as text, arrays and tuples element by element).
func rowHash(cols []workspace.LiveColumn) (string, error) {
	var args []string
	for _, c := range cols {
		args = append(args, hashArgs(workspace.QuoteIdent(c.Name), c.Type, 0)...)
	}
	if len(args) == 0 {
		return "", errors.New("no column can be hashed")
	}
	return "cityHash64(" + strings.Join(args, ", ") + ")", nil
}

// hashArgs are the cityHash64 arguments standing for expr of type typ;
// depth numbers the lambda variables of nested arrays.
func hashArgs(expr, typ string, depth int) []string {
	t := parseType(typ)
	switch t.head {
	case "Nullable":
		return append([]string{"isNull(" + expr + ")"}, hashArgs("assumeNotNull("+expr+")", t.inner(), depth)...)
	case "LowCardinality":
		return hashArgs("CAST("+expr+" AS "+t.inner()+")", t.inner(), depth)
	case "SimpleAggregateFunction":
		if len(t.args) == 2 {
			return hashArgs(expr, t.args[1], depth)
		}
	case "AggregateFunction":
		return nil // partial states have no stable value to hash
	case "Decimal", "Decimal32", "Decimal64", "Decimal128", "Decimal256", "UUID", "DateTime64", "Map", "JSON", "Object", "Variant", "Dynamic":
		return []string{"toString(" + expr + ")"}
	case "Array":
		v := fmt.Sprintf("v%d", depth)
		inner := hashArgs(v, t.inner(), depth+1)
		if len(inner) == 1 && inner[0] == v {
			return []string{expr}
		}
		out := make([]string, len(inner))
		for i, a := range inner {
			out[i] = "arrayMap(" + v + " -> " + a + ", " + expr + ")"
		}
		return out
	case "Tuple":
		var out []string
		for i, el := range t.tupleElements() {
			out = append(out, hashArgs(fmt.Sprintf("tupleElement(%s, %d)", expr, i+1), el, depth)...)
		}
		return out
	}
	return []string{expr}
}

// filter is the WHERE condition of a percent sample over a row hash, "" for
// the other kinds.
func (s Sample) filter(hash string) string {
	if s.Kind != SamplePercent {
		return ""
	}
	return fmt.Sprintf("%s < %d", hash, s.threshold)
}

// orderLimit is the ORDER BY ... LIMIT of a row sample, "" for the others.
func (s Sample) orderLimit(hash string) string {
	if s.Kind != SampleRows {
		return ""
	}
	return fmt.Sprintf("ORDER BY %s LIMIT %d", hash, s.Rows)
}
