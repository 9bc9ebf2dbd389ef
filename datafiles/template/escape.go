package template

import (
	"strings"

	"github.com/perchdata/perch/datafiles/sqltext"
)

// QuoteString returns s as a single-quoted ClickHouse string literal with
// sqltext's escaping rule (`\`, `'`, backticks, control characters), and `%`
// escaped too, as Tinybird templates print strings (sql_unescape undoes it).
func QuoteString(s string) string { return sqltext.QuoteStringEscaping(s, "%") }

// QuoteIdent returns name as a backquoted ClickHouse identifier
// (sqltext.QuoteIdent).
func QuoteIdent(name string) string { return sqltext.QuoteIdent(name) }

// quoteDotted backquotes each dot-separated part: db.t -> `db`.`t`.
func quoteDotted(name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = QuoteIdent(p)
	}
	return strings.Join(parts, ".")
}
