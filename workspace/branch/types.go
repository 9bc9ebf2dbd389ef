package branch

import "strings"

// colType is a ClickHouse column type split into its head and arguments:
// Nullable(String) is {"Nullable", ["String"]}, UInt64 is {"UInt64", nil}.
type colType struct {
	head string
	args []string
}

// parseType splits t at its outer brackets; the arguments are split at
// commas outside brackets and quotes (Enum8('a,b' = 1, 'c' = 2)).
func parseType(t string) colType {
	t = strings.TrimSpace(t)
	open := strings.IndexByte(t, '(')
	if open < 0 || !strings.HasSuffix(t, ")") {
		return colType{head: t}
	}
	inner := t[open+1 : len(t)-1]
	var args []string
	depth, from := 0, 0
	for i := 0; i < len(inner); i++ {
		switch c := inner[i]; c {
		case '\'', '"', '`':
			for i++; i < len(inner) && inner[i] != c; i++ {
				if inner[i] == '\\' {
					i++
				}
			}
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				args = append(args, strings.TrimSpace(inner[from:i]))
				from = i + 1
			}
		}
	}
	args = append(args, strings.TrimSpace(inner[from:]))
	return colType{head: strings.TrimSpace(t[:open]), args: args}
}

// inner is the single argument of a wrapper type (Nullable, Array, LowCardinality).
func (c colType) inner() string {
	if len(c.args) == 1 {
		return c.args[0]
	}
	return ""
}

// tupleElements are the element types of a Tuple, names dropped
// (Tuple(a String, b UInt8) and Tuple(String, UInt8) alike).
func (c colType) tupleElements() []string {
	out := make([]string, len(c.args))
	for i, a := range c.args {
		out[i] = a
		if name, rest, ok := strings.Cut(a, " "); ok && !strings.Contains(name, "(") {
			out[i] = strings.TrimSpace(rest)
		}
	}
	return out
}

// isString reports String and FixedString(N) types.
func (c colType) isString() bool { return c.head == "String" || c.head == "FixedString" }

// isInteger reports the (U)Int types.
func (c colType) isInteger() bool {
	h := strings.TrimPrefix(c.head, "U")
	return strings.HasPrefix(h, "Int") && len(c.args) == 0 && h != "Interval"
}
