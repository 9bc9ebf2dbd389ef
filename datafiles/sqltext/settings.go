package sqltext

import (
	"sort"
	"strings"
)

// Setting is one `name = value` of a SETTINGS list, as written (trimmed).
type Setting struct {
	Name  string
	Value string
}

// ParseSettings reads a SETTINGS list: "a = 1, b = 'hot,cold'" (commas in
// literals and brackets do not split it). A part without = has an empty
// Name and the part as Value.
func ParseSettings(s string) []Setting {
	var out []Setting
	for _, part := range SplitTopLevel(s) {
		if part == "" {
			continue
		}
		toks := Tokens(part)
		if len(toks) >= 2 && (toks[0].Kind == Word || toks[0].Kind == QuotedIdent) && toks[1].IsPunct(part, "=") {
			name, _ := toks[0].Name(part)
			out = append(out, Setting{Name: name, Value: strings.TrimSpace(part[toks[1].End:])})
			continue
		}
		out = append(out, Setting{Value: part})
	}
	return out
}

// serverDefaults are settings the server writes into the stored DDL of
// every MergeTree table although nobody wrote them.
var serverDefaults = map[string]string{"index_granularity": "8192"}

// IsServerDefault reports whether name = value is a setting the server adds
// on its own (index_granularity = 8192).
func IsServerDefault(name, value string) bool {
	d, ok := serverDefaults[name]
	return ok && Unquote(strings.TrimSpace(value)) == d
}

// SettingValueKey is the comparison key of a setting value: spacing and the
// spelling of literals do not matter, their values do ('hot,cold' is not
// 'hot,warm').
func SettingValueKey(v string) string { return TokenKey(v, "") }

// NormalizeSettings returns a SETTINGS list in one form: `name = value`
// pairs sorted by name, values as written, without the settings the server
// adds (IsServerDefault).
func NormalizeSettings(s string) string {
	var pairs []string
	for _, st := range ParseSettings(s) {
		switch {
		case st.Name == "":
			pairs = append(pairs, NormalizeType(st.Value))
		case !IsServerDefault(st.Name, st.Value):
			pairs = append(pairs, st.Name+" = "+st.Value)
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ", ")
}
