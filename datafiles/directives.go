package datafiles

import (
	"sort"
	"strings"
)

// engineDirectives maps every ENGINE_* directive to the Engine field it sets.
var engineDirectives = map[string]func(*Engine) *string{
	"ENGINE_PARTITION_KEY":   func(e *Engine) *string { return &e.PartitionKey },
	"ENGINE_SORTING_KEY":     func(e *Engine) *string { return &e.SortingKey },
	"ENGINE_PRIMARY_KEY":     func(e *Engine) *string { return &e.PrimaryKey },
	"ENGINE_SAMPLING_KEY":    func(e *Engine) *string { return &e.SamplingKey },
	"ENGINE_TTL":             func(e *Engine) *string { return &e.TTL },
	"ENGINE_SETTINGS":        func(e *Engine) *string { return &e.Settings },
	"ENGINE_VER":             func(e *Engine) *string { return &e.Ver },
	"ENGINE_IS_DELETED":      func(e *Engine) *string { return &e.IsDeleted },
	"ENGINE_SIGN":            func(e *Engine) *string { return &e.Sign },
	"ENGINE_VERSION":         func(e *Engine) *string { return &e.Version },
	"ENGINE_COLUMNS":         func(e *Engine) *string { return &e.SummingColumns },
	"ENGINE_SUMMING_COLUMNS": func(e *Engine) *string { return &e.SummingColumns },
	"ENGINE_JOIN_STRICTNESS": func(e *Engine) *string { return &e.JoinStrictness },
	"ENGINE_JOIN_TYPE":       func(e *Engine) *string { return &e.JoinType },
	"ENGINE_KEY_COLUMNS":     func(e *Engine) *string { return &e.KeyColumns },
}

// directiveSet is what one kind of file allows: exact directive names and
// name prefixes for open families such as KAFKA_*.
type directiveSet struct {
	exact    map[string]bool
	prefixes []string
	listing  string // list(), computed once
}

func newDirectiveSet(prefixes []string, names ...string) directiveSet {
	s := directiveSet{exact: map[string]bool{}, prefixes: prefixes}
	for _, n := range names {
		s.exact[n] = true
	}
	return s
}

// allows reports whether dir (upper case) is a directive of this set.
func (s directiveSet) allows(dir string) bool {
	if s.exact[dir] {
		return true
	}
	for _, p := range s.prefixes {
		if strings.HasPrefix(dir, p) && len(dir) > len(p) {
			return isDirectiveShaped(dir)
		}
	}
	return false
}

// list returns the allowed directives for an error message, sorted, with
// prefix families written as KAFKA_*.
func (s directiveSet) list() string {
	if s.listing != "" {
		return s.listing
	}
	names := make([]string, 0, len(s.exact)+len(s.prefixes))
	for n := range s.exact {
		names = append(names, n)
	}
	for _, p := range s.prefixes {
		names = append(names, p+"*")
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func engineNames() []string {
	names := []string{"ENGINE"}
	for n := range engineDirectives {
		names = append(names, n)
	}
	return names
}

// directivesFor returns the directives a kind of file allows. An .incl file
// is spliced into its includer, so it allows what the includer allows; on its
// own it is read with the union of datasource and pipe directives.
func directivesFor(k Kind) directiveSet {
	switch k {
	case KindDatasource:
		names := append(engineNames(),
			"DESCRIPTION", "TOKEN", "TAGS", "SHARED_WITH", "SCHEMA", "INDEXES", "INDICES",
			"FORWARD_QUERY", "BACKFILL", "VERSION", "INCLUDE")
		return newDirectiveSet([]string{"KAFKA_", "IMPORT_"}, names...)
	case KindPipe:
		names := append(engineNames(),
			"DESCRIPTION", "TOKEN", "TAGS", "INCLUDE", "VERSION", "CACHE",
			"NODE", "SQL", "TYPE", "DATASOURCE", "DEPLOYMENT_METHOD",
			"TARGET_DATASOURCE", "COPY_SCHEDULE", "COPY_MODE", "MODE")
		return newDirectiveSet([]string{"EXPORT_"}, names...)
	case KindConnection:
		return newDirectiveSet([]string{"KAFKA_", "S3_", "GCS_"}, "TYPE", "DESCRIPTION")
	}
	ds, p := directivesFor(KindDatasource), directivesFor(KindPipe)
	for n := range p.exact {
		ds.exact[n] = true
	}
	ds.prefixes = append(ds.prefixes, p.prefixes...)
	return ds
}

// The directive sets, built once; they are never modified after init.
var (
	datasourceDirectives = listed(directivesFor(KindDatasource))
	pipeDirectives       = listed(directivesFor(KindPipe))
	connectionDirectives = listed(directivesFor(KindConnection))
	includeDirectives    = listed(directivesFor(KindInclude))
)

// listed returns s with its listing computed.
func listed(s directiveSet) directiveSet {
	s.listing = s.list()
	return s
}

// directives returns the (shared, read-only) directive set of a kind.
func directives(k Kind) directiveSet {
	switch k {
	case KindDatasource:
		return datasourceDirectives
	case KindPipe:
		return pipeDirectives
	case KindConnection:
		return connectionDirectives
	}
	return includeDirectives
}
