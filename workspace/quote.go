package workspace

import "github.com/perchdata/perch/datafiles/sqltext"

// QuoteString returns s as a ClickHouse string literal (sqltext.QuoteString).
func QuoteString(s string) string { return sqltext.QuoteString(s) }

// QuoteIdent returns name as a backquoted ClickHouse identifier
// (sqltext.QuoteIdent).
func QuoteIdent(name string) string { return sqltext.QuoteIdent(name) }
