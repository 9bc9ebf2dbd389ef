package datafiles

// Directive is one directive of a datafile as written: the syntax tree the
// typed model is built from, with INCLUDE already resolved.
type Directive struct {
	// Name is the directive in upper case.
	Name string `json:"name"`
	// Pos is the position of the directive word.
	Pos Pos `json:"pos"`
	// Value is a single-line directive's value (tokens joined by one space,
	// one pair of surrounding quotes removed, no $VAR substitution) or a
	// block's body, dedented.
	Value string `json:"value"`
	// Block is true for a `DIRECTIVE >` block.
	Block bool `json:"block,omitempty"`
	// Lines holds the file line of each body line of a block.
	Lines []int `json:"lines,omitempty"`
}

// ParseDirectives returns the directives of a datafile in order, for tools
// that need the text as written (the kind of file, from its extension, says
// which directives are allowed; .incl files allow those of data sources and
// pipes). INCLUDE paths resolve on disk next to the file.
func ParseDirectives(file string, src []byte) ([]Directive, []Diagnostic) {
	k, _ := KindOf(file)
	c := &parseCtx{kind: k, include: diskInclude}
	var out []Directive
	for _, s := range c.statements(splitLines(file, string(src))) {
		d := Directive{Name: s.Dir, Pos: s.Pos, Block: s.IsBlock}
		if s.IsBlock {
			b := dedent(s.Block)
			d.Value, d.Lines = b.text, b.lines
		} else {
			d.Value = c.value(s)
		}
		out = append(out, d)
	}
	return out, c.diags
}
