// Package highlight colours ClickHouse SQL and datafiles for the terminal UI.
// It registers two chroma lexers (ClickHouse SQL with template regions, and
// the datafile format) and renders their tokens through Lip Gloss styles, so
// pane backgrounds survive (chroma's terminal formatters reset after every
// token).
package highlight

import (
	. "github.com/alecthomas/chroma/v2" // nolint: revive
)

// clickhouseKeywords are SQL keywords plus ClickHouse's own.
var clickhouseKeywords = []string{
	"SELECT", "FROM", "WHERE", "PREWHERE", "GROUP", "BY", "ORDER", "HAVING", "LIMIT", "OFFSET",
	"WITH", "TOTALS", "ROLLUP", "CUBE", "AS", "ON", "USING", "JOIN", "INNER", "LEFT", "RIGHT",
	"FULL", "OUTER", "CROSS", "ANY", "ALL", "ASOF", "SEMI", "ANTI", "GLOBAL", "ARRAY", "UNION",
	"DISTINCT", "FINAL", "SAMPLE", "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE",
	"BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "ASC", "DESC", "NULLS", "FIRST", "LAST",
	"INTERVAL", "CREATE", "TABLE", "VIEW", "MATERIALIZED", "TO", "POPULATE", "ENGINE",
	"PARTITION", "PRIMARY", "KEY", "TTL", "SETTINGS", "FORMAT", "INSERT", "INTO", "VALUES",
	"ALTER", "ADD", "DROP", "MODIFY", "COLUMN", "RENAME", "EXCHANGE", "TABLES", "IF", "EXISTS",
	"DATABASE", "DEFAULT", "ALIAS", "CODEC", "COMMENT", "INDEX", "TYPE", "GRANULARITY",
	"OPTIMIZE", "DEDUPLICATE", "DETACH", "ATTACH", "TRUNCATE", "SYSTEM", "QUERY", "LIVE",
	"DICTIONARY", "ON CLUSTER", "CLUSTER", "FILL", "STEP", "INTERPOLATE", "QUALIFY", "WINDOW",
	"OVER", "ROWS", "RANGE", "PRECEDING", "FOLLOWING", "UNBOUNDED", "CURRENT", "ROW", "TIES",
	"TRUE", "FALSE", "EXCEPT", "INTERSECT", "FOR", "DESCRIBE", "SHOW", "USE", "OUTFILE",
}

// clickhouseTypes are the ClickHouse data types and type constructors.
var clickhouseTypes = []string{
	"UInt8", "UInt16", "UInt32", "UInt64", "UInt128", "UInt256", "Int8", "Int16", "Int32", "Int64",
	"Int128", "Int256", "Float32", "Float64", "Decimal", "Decimal32", "Decimal64", "Decimal128",
	"Decimal256", "Bool", "Boolean", "String", "FixedString", "UUID", "Date", "Date32", "DateTime",
	"DateTime64", "Enum8", "Enum16", "LowCardinality", "Nullable", "Array", "Tuple", "Map",
	"Nested", "IPv4", "IPv6", "JSON", "Object", "AggregateFunction", "SimpleAggregateFunction",
	"Nothing", "Dynamic", "Variant",
	"MergeTree", "ReplacingMergeTree", "SummingMergeTree", "AggregatingMergeTree",
	"CollapsingMergeTree", "VersionedCollapsingMergeTree", "GraphiteMergeTree", "Null",
	"Memory", "Join", "Distributed", "Buffer", "Kafka",
}

// templateTokens are the rules of the Tinybird template language inside
// {{ }} and {% %}; everything else is Other, which the delegating lexer hands
// to the SQL lexer.
func templateRules() Rules {
	inside := []Rule{
		rule(`\s+`, TextWhitespace, nil),
		rule(`'(\\\\|\\'|[^'])*'`, LiteralStringSingle, nil),
		rule(`"(\\\\|\\"|[^"])*"`, LiteralStringDouble, nil),
		rule(`[0-9]+(\.[0-9]+)?`, LiteralNumber, nil),
		rule(Words(``, `\b`, "if", "elif", "else", "end", "for", "in", "not", "and", "or", "set", "import", "from", "True", "False", "None"), Keyword, nil),
		rule(`[A-Za-z_][A-Za-z0-9_]*(?=\()`, NameFunction, nil),
		rule(`[A-Za-z_][A-Za-z0-9_]*`, NameVariable, nil),
		rule(`[-+*/%=<>!.,:|\[\]()]`, Operator, nil),
	}
	return Rules{
		"root": {
			rule(`\{\{`, CommentPreproc, Push("expr")),
			rule(`\{%`, CommentPreproc, Push("stmt")),
			rule(`\{#.*?#\}`, Comment, nil),
			rule(`[^{]+`, Other, nil),
			rule(`\{`, Other, nil),
		},
		"expr": append([]Rule{rule(`\}\}`, CommentPreproc, Pop(1))}, inside...),
		"stmt": append([]Rule{rule(`%\}`, CommentPreproc, Pop(1))}, inside...),
	}
}

// sqlRules lexes ClickHouse SQL.
func sqlRules() Rules {
	return Rules{
		"root": {
			rule(`\s+`, TextWhitespace, nil),
			rule(`--.*`, CommentSingle, nil),
			rule(`#.*`, CommentSingle, nil),
			rule(`/\*`, CommentMultiline, Push("comment")),
			rule(`'(\\\\|\\'|''|[^'])*'`, LiteralStringSingle, nil),
			rule("`[^`]*`", NameVariable, nil),
			rule(`"[^"]*"`, NameVariable, nil),
			rule(`0[xX][0-9a-fA-F]+`, LiteralNumberHex, nil),
			rule(`[0-9]+\.[0-9]*([eE][-+]?[0-9]+)?|\.[0-9]+|[0-9]+[eE][-+]?[0-9]+`, LiteralNumberFloat, nil),
			rule(`[0-9]+`, LiteralNumberInteger, nil),
			rule(`(?i)ARRAY\s+JOIN\b`, Keyword, nil),
			rule(`(?i)`+Words(`\b`, `\b`, clickhouseKeywords...), Keyword, nil),
			rule(Words(`\b`, `\b`, clickhouseTypes...), NameBuiltin, nil),
			rule(`[A-Za-z_][A-Za-z0-9_$]*(?=\s*\()`, NameFunction, nil),
			rule(`[A-Za-z_][A-Za-z0-9_$]*`, Name, nil),
			rule(`->|::|\|\||<=|>=|!=|<>|==|[-+*/%<>=?:!]`, Operator, nil),
			rule(`[;()\[\],.{}]`, Punctuation, nil),
		},
		"comment": {
			rule(`\*/`, CommentMultiline, Pop(1)),
			rule(`[^*]+`, CommentMultiline, nil),
			rule(`\*`, CommentMultiline, nil),
		},
	}
}

// clickhouseSQL lexes plain ClickHouse SQL (no template regions).
var clickhouseSQL = MustNewLexer(&Config{
	Name:      "ClickHouseSQL",
	Aliases:   []string{"clickhouse-plain"},
	MimeTypes: []string{"text/x-clickhouse-sql"},
}, sqlRules)

// ClickHouse lexes ClickHouse SQL that may hold {{ }} / {% %} template
// regions; the regions are lexed as the template language and the rest as SQL.
var ClickHouse = DelegatingLexer(clickhouseSQL, MustNewLexer(&Config{
	Name:    "ClickHouse",
	Aliases: []string{"clickhouse", "chsql"},
	DotAll:  true,
}, templateRules))

// rule builds a chroma rule with keyed fields.
func rule(pattern string, emitter Emitter, mutator Mutator) Rule {
	return Rule{Pattern: pattern, Type: emitter, Mutator: mutator}
}
