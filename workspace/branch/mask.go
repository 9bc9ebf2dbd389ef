package branch

import (
	"fmt"
	"strings"

	"github.com/perchdata/perch/workspace"
)

// MaskKind is how a masked column is rewritten on its way into a branch.
type MaskKind string

// The masks.
const (
	// MaskHash replaces each value by a stable hash of it (SHA-256 of the
	// salt and the value), of the column's type: equal values stay equal,
	// so joins, GROUP BY and uniq still match.
	MaskHash MaskKind = "hash"
	// MaskNull replaces each value by NULL, or by the type's default value
	// ('' , 0, 1970-01-01, []) when the column is not Nullable.
	MaskNull MaskKind = "null"
	// MaskRedact replaces each value by the type's default value, keeping
	// NULLs: what is missing stays visible, nothing else.
	MaskRedact MaskKind = "redact"
)

// Mask rewrites one column (Table empty: that column of every landing
// table that has it).
type Mask struct {
	Table, Column string
	Kind          MaskKind
}

// String is the mask as given: [TABLE.]COLUMN=kind.
func (m Mask) String() string {
	if m.Table != "" {
		return m.Table + "." + m.Column + "=" + string(m.Kind)
	}
	return m.Column + "=" + string(m.Kind)
}

// ParseMask parses --mask [TABLE.]COLUMN=hash|null|redact.
func ParseMask(s string) (Mask, error) {
	col, kind, ok := strings.Cut(s, "=")
	if !ok || col == "" {
		return Mask{}, fmt.Errorf("--mask %q: want [TABLE.]COLUMN=hash|null|redact", s)
	}
	m := Mask{Column: col, Kind: MaskKind(kind)}
	if t, c, ok := strings.Cut(col, "."); ok {
		if t == "" || c == "" {
			return Mask{}, fmt.Errorf("--mask %q: want [TABLE.]COLUMN=hash|null|redact", s)
		}
		m.Table, m.Column = t, c
	}
	switch m.Kind {
	case MaskHash, MaskNull, MaskRedact:
		return m, nil
	}
	return Mask{}, fmt.Errorf("--mask %s: unknown mask %q (want hash, null or redact)", s, kind)
}

// maskFor returns the mask of column of table, if any.
func maskFor(masks []Mask, table, column string) (Mask, bool) {
	for _, m := range masks {
		if m.Column == column && (m.Table == "" || m.Table == table) {
			return m, true
		}
	}
	return Mask{}, false
}

// maskExpr is the expression that masks expr, a value of type typ, keeping
// the type; salt prefixes every hashed value. A type that cannot be hashed
// is an error naming it.
func maskExpr(m Mask, expr, typ, salt string) (string, error) {
	t := parseType(typ)
	switch m.Kind {
	case MaskNull:
		if t.head == "Nullable" {
			return "CAST(NULL AS " + typ + ")", nil
		}
		return "defaultValueOfArgumentType(" + expr + ")", nil
	case MaskRedact:
		if t.head == "Nullable" {
			return "if(isNull(" + expr + "), NULL, defaultValueOfArgumentType(assumeNotNull(" + expr + ")))", nil
		}
		return "defaultValueOfArgumentType(" + expr + ")", nil
	}
	return hashValue(expr, t, salt, 0)
}

// hashValue is the stable hash of expr of type t, as a value of type t.
func hashValue(expr string, t colType, salt string, depth int) (string, error) {
	digest := "SHA256(concat(" + workspace.QuoteString(salt) + ", toString(" + expr + ")))"
	switch {
	case t.head == "Nullable":
		in, err := hashValue("assumeNotNull("+expr+")", parseType(t.inner()), salt, depth)
		if err != nil {
			return "", err
		}
		return "if(isNull(" + expr + "), NULL, " + in + ")", nil
	case t.head == "LowCardinality":
		return hashValue("CAST("+expr+" AS "+t.inner()+")", parseType(t.inner()), salt, depth)
	case t.head == "Array":
		v := fmt.Sprintf("m%d", depth)
		in, err := hashValue(v, parseType(t.inner()), salt, depth+1)
		if err != nil {
			return "", err
		}
		return "arrayMap(" + v + " -> " + in + ", " + expr + ")", nil
	case t.head == "String":
		return "lower(hex(" + digest + "))", nil
	case t.head == "FixedString" && len(t.args) == 1:
		return fmt.Sprintf("toFixedString(substring(lower(hex(%s)), 1, %s), %s)", digest, t.args[0], t.args[0]), nil
	case t.isInteger():
		return "CAST(reinterpretAsUInt64(" + digest + ") AS " + t.head + ")", nil
	case t.head == "UUID":
		return "toUUID(UUIDNumToString(toFixedString(substring(" + digest + ", 1, 16), 16)))", nil
	}
	return "", fmt.Errorf("cannot hash a %s: hash masks strings, integers and UUIDs (and their arrays); use null or redact", t.head)
}
