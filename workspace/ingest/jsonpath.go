package ingest

import (
	"fmt"
	"strconv"
	"strings"
)

// jsonPath is a parsed `json:$...` column path: keys and array steps.
type jsonPath []pathStep

// pathStep is one step: a key, an index, or every element ([:]).
type pathStep struct {
	key   string
	index int
	kind  stepKind
}

type stepKind int

const (
	stepKey stepKind = iota
	stepIndex
	stepAll
)

// parsePath parses $.a.b, $.a[0], $.items[:].id and $['odd key'].
func parsePath(p string) (jsonPath, error) {
	if !strings.HasPrefix(p, "$") {
		return nil, fmt.Errorf("json path %q: must start with $", p)
	}
	var out jsonPath
	rest := p[1:]
	for rest != "" {
		switch {
		case rest[0] == '.':
			rest = rest[1:]
			n := strings.IndexAny(rest, ".[")
			if n < 0 {
				n = len(rest)
			}
			if n == 0 {
				return nil, fmt.Errorf("json path %q: empty key", p)
			}
			out = append(out, pathStep{key: rest[:n]})
			rest = rest[n:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("json path %q: unclosed [", p)
			}
			inner := strings.TrimSpace(rest[1:end])
			rest = rest[end+1:]
			switch {
			case inner == ":" || inner == "*":
				out = append(out, pathStep{kind: stepAll})
			case len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0]:
				out = append(out, pathStep{key: inner[1 : len(inner)-1]})
			default:
				i, err := strconv.Atoi(inner)
				if err != nil {
					return nil, fmt.Errorf("json path %q: [%s] is not an index, [:] or a quoted key", p, inner)
				}
				out = append(out, pathStep{kind: stepIndex, index: i})
			}
		default:
			return nil, fmt.Errorf("json path %q: unexpected %q", p, rest[:1])
		}
	}
	return out, nil
}

// eval returns the value at the path in doc and whether it is there. A [:]
// step maps the rest of the path over every element of an array.
func (p jsonPath) eval(doc any) (any, bool) {
	cur := doc
	for i, st := range p {
		switch st.kind {
		case stepKey:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[st.key]; !ok {
				return nil, false
			}
		case stepIndex:
			a, ok := cur.([]any)
			if !ok || st.index < 0 || st.index >= len(a) {
				return nil, false
			}
			cur = a[st.index]
		case stepAll:
			a, ok := cur.([]any)
			if !ok {
				return nil, false
			}
			out := make([]any, 0, len(a))
			for _, el := range a {
				if v, ok := p[i+1:].eval(el); ok {
					out = append(out, v)
				}
			}
			return out, true
		}
	}
	return cur, true
}
