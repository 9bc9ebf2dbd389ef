package highlight

import (
	. "github.com/alecthomas/chroma/v2" // nolint: revive
)

// datafileRules lexes .datasource/.pipe/.incl/.connection files: upper-case
// directives at the start of a line, their values, `#` comments and indented
// `>` blocks whose text is lexed as ClickHouse SQL with template regions.
func datafileRules() Rules {
	return Rules{
		"root": {
			rule(`[ \t]*#[^\n]*\n?`, CommentSingle, nil),
			rule(`\n`, TextWhitespace, nil),
			rule(`^[A-Z][A-Z0-9_]*`, NameTag, Push("value")),
			rule(`[^\n]+`, Text, nil),
		},
		"value": {
			rule(`[ \t]*>[ \t]*\n`, Punctuation, Push("block")),
			rule(`\n`, TextWhitespace, Pop(1)),
			rule(`"[^"\n]*"`, LiteralStringDouble, nil),
			rule(`'[^'\n]*'`, LiteralStringSingle, nil),
			rule(`[0-9]+\b`, LiteralNumberInteger, nil),
			rule(`[ \t]+`, TextWhitespace, nil),
			rule(`[^ \t\n"']+`, NameAttribute, nil),
		},
		"block": {
			// An indented run of lines (blank lines included) is the body.
			rule(`(?:(?:[ \t]+[^\n]*|[ \t]*)\n)*(?:[ \t]+[^\n]*)?`, UsingLexer(ClickHouse), Pop(2)),
		},
	}
}

// Datafile lexes the datafile format.
var Datafile = MustNewLexer(&Config{
	Name:      "Datafile",
	Aliases:   []string{"datafile", "tinybird"},
	Filenames: []string{"*.datasource", "*.pipe", "*.incl", "*.connection"},
	EnsureNL:  true,
}, datafileRules)
