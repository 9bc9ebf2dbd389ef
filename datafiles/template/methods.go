package template

import (
	"fmt"
	"strings"
)

var stringMethods = map[string]bool{
	"split": true, "rsplit": true, "lower": true, "upper": true, "strip": true, "lstrip": true,
	"rstrip": true, "replace": true, "startswith": true, "endswith": true, "join": true,
	"find": true, "count": true, "title": true, "capitalize": true, "isdigit": true,
	"isnumeric": true, "isalpha": true, "isalnum": true, "zfill": true,
}

var listMethods = map[string]bool{"append": true, "index": true, "count": true, "extend": true}

var dictMethods = map[string]bool{"get": true, "keys": true, "values": true, "items": true,
	"pop": true, "setdefault": true, "update": true, "copy": true}

func hasMethod(v Value, name string) bool {
	switch v.(type) {
	case placeholder:
		return stringMethods[name] || dictMethods[name]
	case string, SQL:
		return stringMethods[name]
	case *List:
		return listMethods[name]
	case Tuple:
		return name == "index" || name == "count"
	case *Dict:
		return dictMethods[name]
	}
	return false
}

func stringArg(c *callInfo, i int, name string) (string, bool, error) {
	v := c.arg(i, name)
	if v == nil {
		return "", false, nil
	}
	s, ok := textOf(v)
	if !ok {
		return "", false, fmt.Errorf("%s() argument must be a string, not %s", c.name, typeName(v))
	}
	return s, true, nil
}

func callMethod(recv Value, c *callInfo) (Value, error) {
	switch o := recv.(type) {
	case placeholder:
		// A placeholder stands for any value: a JSON item read with
		// .get() gives the default asked for, .items() nothing.
		switch c.name {
		case "get":
			if def := c.arg(1, "default"); def != nil {
				return def, nil
			}
			k, _ := textOf(c.arg(0, "key"))
			return placeholder{name: o.name + "." + k}, nil
		case "keys", "values", "items":
			return &List{}, nil
		}
		return callStringMethod("", c)
	case string:
		return callStringMethod(o, c)
	case SQL:
		return callStringMethod(string(o), c)
	case *List:
		switch c.name {
		case "append":
			if len(c.args) != 1 {
				return nil, fmt.Errorf("append() takes one argument")
			}
			if len(o.Items) >= maxSeq {
				return nil, fmt.Errorf("list too long")
			}
			o.Items = append(o.Items, c.args[0])
			if err := checkWeight(o); err != nil {
				o.Items = o.Items[:len(o.Items)-1]
				return nil, err
			}
			return nil, nil
		case "extend":
			its, ok := items(c.arg(0, "iterable"))
			if !ok {
				return nil, fmt.Errorf("extend() needs an iterable")
			}
			if len(o.Items)+len(its) > maxSeq {
				return nil, fmt.Errorf("list too long")
			}
			n := len(o.Items)
			o.Items = append(o.Items, its...)
			if err := checkWeight(o); err != nil {
				o.Items = o.Items[:n]
				return nil, err
			}
			return nil, nil
		}
		return seqMethod(o.Items, c)
	case Tuple:
		return seqMethod(o, c)
	case *Dict:
		switch c.name {
		case "get":
			k, _ := textOf(c.arg(0, "key"))
			if v, ok := o.M[k]; ok {
				return v, nil
			}
			return c.arg(1, "default"), nil
		case "keys":
			its, _ := items(o)
			return &List{Items: its}, nil
		case "values":
			out := make([]Value, len(o.Keys))
			for i, k := range o.Keys {
				out[i] = o.M[k]
			}
			return &List{Items: out}, nil
		case "items":
			out := make([]Value, len(o.Keys))
			for i, k := range o.Keys {
				out[i] = Tuple{k, o.M[k]}
			}
			return &List{Items: out}, nil
		case "pop":
			k, _ := textOf(c.arg(0, "key"))
			v, ok := o.M[k]
			if !ok {
				if len(c.args) < 2 {
					return nil, fmt.Errorf("key %s not found", repr(k))
				}
				return c.args[1], nil
			}
			o.remove(k)
			return v, nil
		case "setdefault":
			k, ok := textOf(c.arg(0, "key"))
			if !ok {
				return nil, fmt.Errorf("dict keys must be strings")
			}
			if v, ok := o.M[k]; ok {
				return v, nil
			}
			def := c.arg(1, "default")
			o.set(k, def)
			return def, nil
		case "update":
			other, ok := c.arg(0, "other").(*Dict)
			if !ok {
				return nil, fmt.Errorf("update() needs a dict")
			}
			if len(o.Keys)+len(other.Keys) > maxSeq {
				return nil, fmt.Errorf("dict too large")
			}
			for _, k := range other.Keys {
				o.set(k, other.M[k])
			}
			return nil, checkWeight(o)
		case "copy":
			d := newDict()
			for _, k := range o.Keys {
				d.set(k, o.M[k])
			}
			return d, nil
		}
	}
	return nil, fmt.Errorf("a %s has no method %s", typeName(recv), c.name)
}

func seqMethod(its []Value, c *callInfo) (Value, error) {
	x := c.arg(0, "value")
	switch c.name {
	case "index":
		for i, it := range its {
			if equal(it, x) {
				return int64(i), nil
			}
		}
		return nil, fmt.Errorf("%s is not in the list", repr(x))
	case "count":
		n := int64(0)
		for _, it := range its {
			if equal(it, x) {
				n++
			}
		}
		return n, nil
	}
	return nil, fmt.Errorf("no method %s", c.name)
}

func callStringMethod(s string, c *callInfo) (Value, error) {
	switch c.name {
	case "lower":
		return strings.ToLower(s), nil
	case "upper":
		return strings.ToUpper(s), nil
	case "title":
		return strings.Title(strings.ToLower(s)), //nolint:staticcheck // Python semantics, ASCII use
			nil
	case "capitalize":
		if s == "" {
			return s, nil
		}
		return strings.ToUpper(s[:1]) + strings.ToLower(s[1:]), nil
	case "strip", "lstrip", "rstrip":
		chars, given, err := stringArg(c, 0, "chars")
		if err != nil {
			return nil, err
		}
		if !given {
			chars = " \t\n\r\v\f"
		}
		switch c.name {
		case "strip":
			return strings.Trim(s, chars), nil
		case "lstrip":
			return strings.TrimLeft(s, chars), nil
		}
		return strings.TrimRight(s, chars), nil
	case "split", "rsplit":
		sep, given, err := stringArg(c, 0, "sep")
		if err != nil {
			return nil, err
		}
		limit := int64(-1)
		if v := c.arg(1, "maxsplit"); v != nil {
			n, ok := asInt(v)
			if !ok {
				return nil, fmt.Errorf("maxsplit must be an integer")
			}
			limit = n
		}
		var parts []string
		switch {
		case !given:
			parts = strings.Fields(s)
		case sep == "":
			return nil, fmt.Errorf("empty separator")
		case limit < 0:
			parts = strings.Split(s, sep)
		case c.name == "split":
			parts = strings.SplitN(s, sep, int(min(limit, maxSeq))+1)
		default:
			parts = rsplitN(s, sep, int(min(limit, maxSeq)))
		}
		out := make([]Value, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return &List{Items: out}, nil
	case "replace":
		old, ok1, err1 := stringArg(c, 0, "old")
		repl, ok2, err2 := stringArg(c, 1, "new")
		if err1 != nil || err2 != nil || !ok1 || !ok2 {
			return nil, fmt.Errorf("replace() takes two strings")
		}
		n := -1
		if v := c.arg(2, "count"); v != nil {
			k, ok := asInt(v)
			if !ok {
				return nil, fmt.Errorf("replace() count must be an integer")
			}
			n = int(min(k, maxSeq))
		}
		if old == "" && len(s) > 1000 {
			return nil, fmt.Errorf("replace() with an empty pattern on a long string")
		}
		out := strings.Replace(s, old, repl, n)
		if len(out) > maxSeq {
			return nil, fmt.Errorf("string too long")
		}
		return out, nil
	case "startswith", "endswith":
		v := c.arg(0, "prefix")
		var cands []string
		if t, ok := v.(Tuple); ok {
			for _, x := range t {
				if xs, ok := textOf(x); ok {
					cands = append(cands, xs)
				}
			}
		} else if xs, ok := textOf(v); ok {
			cands = []string{xs}
		} else {
			return nil, fmt.Errorf("%s() needs a string", c.name)
		}
		for _, x := range cands {
			if c.name == "startswith" && strings.HasPrefix(s, x) || c.name == "endswith" && strings.HasSuffix(s, x) {
				return true, nil
			}
		}
		return false, nil
	case "join":
		its, ok := items(c.arg(0, "iterable"))
		if !ok {
			return nil, fmt.Errorf("join() needs an iterable")
		}
		parts := make([]string, len(its))
		total := 0
		for i, it := range its {
			p, ok := textOf(it)
			if !ok {
				return nil, fmt.Errorf("join() item %d is a %s, not a string", i, typeName(it))
			}
			parts[i] = p
			total += len(p) + len(s)
			if total > maxSeq {
				return nil, fmt.Errorf("string too long")
			}
		}
		return strings.Join(parts, s), nil
	case "find", "count":
		sub, ok, err := stringArg(c, 0, "sub")
		if err != nil || !ok {
			return nil, fmt.Errorf("%s() needs a string", c.name)
		}
		if c.name == "find" {
			return int64(strings.Index(s, sub)), nil
		}
		return int64(strings.Count(s, sub)), nil
	case "isdigit", "isnumeric":
		return s != "" && strings.Trim(s, "0123456789") == "", nil
	case "isalpha", "isalnum":
		if s == "" {
			return false, nil
		}
		for _, r := range s {
			isAlpha := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
			if !isAlpha && !(c.name == "isalnum" && r >= '0' && r <= '9') {
				return false, nil
			}
		}
		return true, nil
	case "zfill":
		n, _ := asInt(c.arg(0, "width"))
		n = min(n, 1024)
		for int64(len(s)) < n {
			s = "0" + s
		}
		return s, nil
	}
	return nil, fmt.Errorf("a str has no method %s", c.name)
}

func rsplitN(s, sep string, n int) []string {
	var parts []string
	for n > 0 {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		parts = append([]string{s[i+len(sep):]}, parts...)
		s = s[:i]
		n--
	}
	return append([]string{s}, parts...)
}
