package template

import (
	"encoding/json"
	"strings"
	"time"
)

// functions are the names callable from templates.
var functions map[string]*function

func init() {
	initParamTypes()
	fns := map[string]func(r *renderer, c *callInfo) (Value, error){
		"defined":              nil, // handled in evalCall: it looks at names
		"column":               fnColumn,
		"columns":              fnColumns,
		"symbol":               fnSymbol,
		"table":                fnTable,
		"TABLE":                fnTable,
		"sql_and":              fnSQLAnd,
		"split_to_array":       fnSplitToArray,
		"enumerate_with_last":  fnEnumerateWithLast,
		"day_diff":             dateDiff(24 * time.Hour),
		"date_diff_in_seconds": dateDiff(time.Second),
		"date_diff_in_minutes": dateDiff(time.Minute),
		"date_diff_in_hours":   dateDiff(time.Hour),
		"date_diff_in_days":    dateDiff(24 * time.Hour),
		"sql_unescape":         fnSQLUnescape,
		"error":                fnError,
		"custom_error":         fnCustomError,
		"max_threads":          fnMaxThreads,
		"cache_ttl":            fnRecord,
		"backend_hint":         fnRecord,
		"activate":             fnRecord,
		"tb_secret":            fnSecret,
		"tb_var":               fnSecret,
		"Array":                func(r *renderer, c *callInfo) (Value, error) { return r.arrayParam(c) },
		"len":                  fnLen,
		"str":                  fnStr,
		"int":                  fnInt,
		"float":                fnFloat,
		"range":                fnRange,
		"enumerate":            fnEnumerate,
		"min":                  fnMinMax,
		"max":                  fnMinMax,
		"abs":                  fnAbs,
		"round":                fnRound,
		"list":                 fnList,
		"sorted":               fnSorted,
		"sum":                  fnSum,
	}
	functions = map[string]*function{}
	for name, f := range fns {
		functions[name] = &function{name: name, call: f}
	}
	for name := range paramTypes {
		typ := name
		functions[typ] = &function{name: typ, call: func(r *renderer, c *callInfo) (Value, error) { return r.typedParam(typ, c) }}
	}
}

// IsFunction reports whether name is a template function (or typed parameter).
func IsFunction(name string) bool {
	_, ok := functions[name]
	return ok
}

func isMissing(v Value) bool {
	if v == nil {
		return true
	}
	_, ok := v.(placeholder)
	return ok
}

func needString(c *callInfo, v Value, what string) (string, error) {
	s, ok := textOf(v)
	if !ok {
		return "", c.errorf("%s must be a string, not %s", what, typeName(v))
	}
	return s, nil
}

// PlaceholderIdent is the identifier column(), columns(), symbol() and table()
// print in placeholder mode for a parameter with no value and no default
// (backquoted, except table()); compile and lineage do not count it as a
// table reference.
const PlaceholderIdent = "__placeholder__"

func isPlaceholder(v Value) bool {
	_, ok := v.(placeholder)
	return ok
}

func fnColumn(r *renderer, c *callInfo) (Value, error) {
	x := c.arg(0, "x")
	if isMissing(x) {
		ph := isPlaceholder(x)
		x = c.arg(1, "default")
		if x == nil && ph {
			return SQL(QuoteIdent(PlaceholderIdent)), nil
		}
		if x == nil {
			return nil, c.errorf("parameter %s is not given and there is no default column: use column(name, 'default_column')", c.paramName())
		}
	}
	s, err := needString(c, x, "the column name")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(s) == "" {
		return nil, c.errorf("empty column name")
	}
	return SQL(quoteDotted(s)), nil
}

func fnColumns(r *renderer, c *callInfo) (Value, error) {
	x := c.arg(0, "cols")
	if isMissing(x) {
		ph := isPlaceholder(x)
		x = c.arg(1, "default")
		if x == nil && ph {
			return SQL(QuoteIdent(PlaceholderIdent)), nil
		}
		if x == nil {
			return nil, c.errorf("parameter %s is not given and there is no default: use columns(cols, 'a,b')", c.paramName())
		}
	}
	var names []string
	if its, ok := x.(*List); ok {
		for _, it := range its.Items {
			s, err := needString(c, it, "a column name")
			if err != nil {
				return nil, err
			}
			names = append(names, s)
		}
	} else {
		s, err := needString(c, x, "the column list")
		if err != nil {
			return nil, err
		}
		names = strings.Split(s, ",")
	}
	parts := make([]string, 0, len(names))
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		parts = append(parts, quoteDotted(n))
	}
	if len(parts) == 0 {
		return nil, c.errorf("no columns given")
	}
	return SQL(strings.Join(parts, ",")), nil
}

func fnSymbol(r *renderer, c *callInfo) (Value, error) {
	x := c.arg(0, "x")
	if isMissing(x) {
		ph := isPlaceholder(x)
		if x = c.arg(-1, "default"); x == nil && ph {
			return SQL(QuoteIdent(PlaceholderIdent)), nil
		}
		if x == nil {
			return nil, c.errorf("parameter %s is not given", c.paramName())
		}
	}
	s, err := needString(c, x, "the symbol")
	if err != nil {
		return nil, err
	}
	return SQL(QuoteIdent(s)), nil
}

func fnTable(r *renderer, c *callInfo) (Value, error) {
	x := c.arg(0, "x")
	if isMissing(x) {
		ph := isPlaceholder(x)
		if x = c.arg(-1, "default"); x == nil && ph {
			return SQL(PlaceholderIdent), nil
		}
		if x == nil {
			return nil, c.errorf("parameter %s is not given", c.paramName())
		}
	}
	s, err := needString(c, x, "the table name")
	if err != nil {
		return nil, err
	}
	return SQL(quoteDotted(s)), nil
}

// sqlOps maps a sql_and() keyword suffix to its SQL operator.
var sqlOps = map[string]string{
	"in": "in", "not_in": "not in", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=",
	"eq": "=", "ne": "!=", "like": "like", "not_like": "not like",
}

// fnSQLAnd renders sql_and(a=1, b__in=[..], c__gt=3) as `a = 1 and b in [..]
// and c > 3`; conditions whose value is None are left out (1 if none remain).
func fnSQLAnd(r *renderer, c *callInfo) (Value, error) {
	if len(c.args) > 0 {
		return nil, c.errorf("takes keyword arguments only: sql_and(col=value, col__in=values)")
	}
	var parts []string
	for _, kw := range c.kwargs {
		if isMissing(kw.value) {
			continue
		}
		col, op := kw.name, "="
		if i := strings.LastIndex(kw.name, "__"); i > 0 {
			suffix := kw.name[i+2:]
			o, ok := sqlOps[suffix]
			if !ok {
				return nil, c.errorf("unknown operator __%s in %s", suffix, kw.name)
			}
			col, op = kw.name[:i], o
		}
		v := kw.value
		if op == "in" || op == "not in" {
			if s, ok := v.(string); ok {
				list := &List{}
				for _, p := range strings.Split(s, ",") {
					list.Items = append(list.Items, strings.TrimSpace(p))
				}
				v = list
			}
			if l, ok := v.(*List); ok && len(l.Items) == 0 {
				continue
			}
		}
		text, err := sqlText(v)
		if err != nil {
			return nil, c.errorf("%s: %v", kw.name, err)
		}
		parts = append(parts, quoteColumnName(col)+" "+op+" "+text)
	}
	if len(parts) == 0 {
		return SQL("1"), nil
	}
	return SQL(strings.Join(parts, " and ")), nil
}

// quoteColumnName leaves plain identifiers bare and backquotes others.
func quoteColumnName(name string) string {
	for i := 0; i < len(name); i++ {
		if !isNameChar(name[i]) {
			return QuoteIdent(name)
		}
	}
	return name
}

func fnSplitToArray(r *renderer, c *callInfo) (Value, error) {
	x := c.arg(0, "x")
	sep := ","
	if s := c.arg(2, "separator"); s != nil {
		var err error
		if sep, err = needString(c, s, "the separator"); err != nil {
			return nil, err
		}
		if sep == "" {
			return nil, c.errorf("empty separator")
		}
	}
	if isMissing(x) {
		x = c.arg(1, "default")
		if x == nil {
			x = ""
		}
	}
	if l, ok := x.(*List); ok {
		return l, nil
	}
	s, err := needString(c, x, "the value")
	if err != nil {
		return nil, err
	}
	out := &List{}
	for _, p := range strings.Split(s, sep) {
		out.Items = append(out.Items, strings.TrimSpace(p))
	}
	return out, nil
}

func fnEnumerateWithLast(r *renderer, c *callInfo) (Value, error) {
	its, ok := items(c.arg(0, "x"))
	if !ok {
		return nil, c.errorf("needs a list, not %s", typeName(c.arg(0, "x")))
	}
	out := make([]Value, len(its))
	for i, it := range its {
		out[i] = Tuple{i == len(its)-1, it}
	}
	return &List{Items: out}, nil
}

// fnSQLUnescape prints a string literal with the given pattern characters
// left unescaped (sql_unescape(String(x), '%') keeps LIKE wildcards).
func fnSQLUnescape(r *renderer, c *callInfo) (Value, error) {
	x := c.arg(0, "x")
	pattern := "%"
	if p := c.arg(1, "pattern"); p != nil {
		var err error
		if pattern, err = needString(c, p, "the pattern"); err != nil {
			return nil, err
		}
	}
	for _, ch := range pattern {
		if ch != '%' && ch != '_' && ch != '`' {
			return nil, c.errorf("can only unescape %%, _ and `, not %q", ch)
		}
	}
	var text string
	switch v := x.(type) {
	case SQL:
		text = string(v)
	case nil:
		return nil, nil
	case placeholder:
		text = QuoteString("placeholder")
	default:
		s, ok := textOf(v)
		if !ok {
			return x, nil
		}
		text = QuoteString(s)
	}
	for _, ch := range pattern {
		text = strings.ReplaceAll(text, `\`+string(ch), string(ch))
	}
	return SQL(text), nil
}

func fnError(r *renderer, c *callInfo) (Value, error) {
	msg := str(c.arg(0, "message"))
	code := 400
	if v := c.arg(1, "code"); v != nil {
		if n, ok := asInt(v); ok {
			code = int(n)
		}
	}
	return nil, &posError{off: c.off, msg: msg, user: true, code: code}
}

func fnCustomError(r *renderer, c *callInfo) (Value, error) {
	x := c.arg(0, "error")
	msg := str(x)
	if d, ok := x.(*Dict); ok {
		m := map[string]any{}
		for k, v := range d.M {
			m[k] = str(v)
			if n, ok := v.(int64); ok {
				m[k] = n
			}
		}
		if b, err := json.Marshal(m); err == nil {
			msg = string(b)
		}
	}
	code := 400
	if v := c.arg(1, "code"); v != nil {
		if n, ok := asInt(v); ok {
			code = int(n)
		}
	}
	return nil, &posError{off: c.off, msg: msg, user: true, code: code}
}

func fnMaxThreads(r *renderer, c *callInfo) (Value, error) {
	n, ok := asInt(c.arg(0, "n"))
	if !ok || n < 0 {
		return nil, c.errorf("needs a positive integer")
	}
	r.res.MaxThreads = int(n)
	return SQL(""), nil
}

// Values cache_ttl() and activate() accept.
var (
	cacheTTLs  = map[string]bool{"5s": true, "1m": true, "5m": true, "30m": true, "1h": true}
	activables = map[string]bool{"analyzer": true, "parallel_replicas": true}
)

func fnRecord(r *renderer, c *callInfo) (Value, error) {
	v := str(c.arg(0, "value"))
	switch c.name {
	case "cache_ttl":
		if !cacheTTLs[v] {
			return nil, c.errorf("invalid TTL %s: use one of 5s, 1m, 5m, 30m, 1h", repr(v))
		}
		r.res.CacheTTL = v
	case "backend_hint":
		r.res.BackendHint = v
	case "activate":
		if !activables[v] {
			return nil, c.errorf("%s cannot be activated: use analyzer or parallel_replicas", repr(v))
		}
		r.res.Activated = append(r.res.Activated, v)
	}
	return SQL(""), nil
}

// fnSecret implements tb_secret and tb_var.
func fnSecret(r *renderer, c *callInfo) (Value, error) {
	name, err := needString(c, c.arg(0, "name"), "the name")
	if err != nil {
		return nil, err
	}
	m, what := r.opts.Secrets, "secret"
	if c.name == "tb_var" {
		m, what = r.opts.Vars, "variable"
	}
	if v, ok := m[name]; ok {
		return v, nil
	}
	if r.opts.Getenv != nil {
		if v := r.opts.Getenv(name); v != "" {
			return v, nil
		}
	}
	if def := c.arg(1, "default"); def != nil {
		return def, nil
	}
	if r.opts.Mode != Given {
		// Checking, drawing lineage or planning does not need the value:
		// print a placeholder and say which one is missing.
		if c.name == "tb_var" {
			r.res.MissingVars = appendOnce(r.res.MissingVars, name)
		} else {
			r.res.MissingSecrets = appendOnce(r.res.MissingSecrets, name)
		}
		return "placeholder", nil
	}
	return nil, c.errorf("%s %s is not set", what, name)
}

const maxRange = 100000

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
