package template

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// maxJSONDepth bounds the nesting of a JSON parameter value.
const maxJSONDepth = 64

// parseJSON turns JSON text into template values, as Python's json.loads
// would: objects become dicts (keys in document order), arrays lists,
// integers int, other numbers float, null None.
func parseJSON(text string) (Value, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	v, err := decodeJSON(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("extra data after the JSON value")
	}
	if err := checkWeight(v); err != nil {
		return nil, err
	}
	return v, nil
}

func decodeJSON(dec *json.Decoder, depth int) (Value, error) {
	if depth > maxJSONDepth {
		return nil, fmt.Errorf("JSON nested more than %d deep", maxJSONDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			d := newDict()
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := k.(string)
				v, err := decodeJSON(dec, depth+1)
				if err != nil {
					return nil, err
				}
				d.set(key, v)
			}
			_, err := dec.Token() // }
			return d, err
		case '[':
			l := &List{}
			for dec.More() {
				v, err := decodeJSON(dec, depth+1)
				if err != nil {
					return nil, err
				}
				l.Items = append(l.Items, v)
			}
			_, err := dec.Token() // ]
			return l, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i, nil
		}
		f, err := t.Float64()
		if err != nil {
			return nil, fmt.Errorf("bad number %s", t)
		}
		return f, nil
	case string, bool, nil:
		return t, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// jsonParam implements JSON(x, default): the value is the parsed JSON text
// (a dict, a list, ...), so templates can loop over it and call .get(). A
// missing parameter takes its parsed default, else an empty dict, in every
// mode (as Tinybird does); text that is not JSON is an error naming the
// parameter.
func (r *renderer) jsonParam(c *callInfo) (Value, error) {
	x := c.arg(0, "name")
	def := c.arg(1, "default")
	name := c.paramName()
	if name == "" {
		name = "JSON value"
	}
	if isMissing(x) {
		x = def
	}
	switch v := x.(type) {
	case nil:
		return newDict(), nil
	case *Dict, *List:
		return v, nil
	}
	text, ok := textOf(x)
	if !ok {
		return nil, c.errorf("parameter %s: a %s is not JSON text", name, typeName(x))
	}
	v, err := parseJSON(text)
	if err != nil {
		return nil, c.errorf("parameter %s: %s is not valid JSON: %v", name, repr(shorten(text, 16)), err)
	}
	return v, nil
}

// shorten cuts s to n bytes with an ellipsis, for messages.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// jsonText writes a value as compact JSON (dict keys in order).
func jsonText(v Value, depth int) (string, error) {
	var b strings.Builder
	if err := writeJSON(&b, v, depth); err != nil {
		return "", err
	}
	return b.String(), nil
}

func writeJSON(b *strings.Builder, v Value, depth int) error {
	if depth > maxValueDepth {
		return fmt.Errorf("value nested more than %d deep", maxValueDepth)
	}
	if b.Len() > maxSeq {
		return fmt.Errorf("value too large to print")
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool, int64:
		b.WriteString(strings.ToLower(str(x)))
	case float64:
		enc, err := json.Marshal(x)
		if err != nil {
			return fmt.Errorf("cannot write %s as JSON", formatFloat(x))
		}
		b.Write(enc)
	case string, SQL:
		s, _ := textOf(x)
		enc, _ := json.Marshal(s)
		b.Write(enc)
	case *List, Tuple:
		its, _ := items(x)
		b.WriteByte('[')
		for i, it := range its {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, it, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case *Dict:
		b.WriteByte('{')
		for i, k := range x.Keys {
			if i > 0 {
				b.WriteByte(',')
			}
			enc, _ := json.Marshal(k)
			b.Write(enc)
			b.WriteByte(':')
			if err := writeJSON(b, x.M[k], depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("cannot write a %s as JSON", typeName(v))
	}
	return nil
}
