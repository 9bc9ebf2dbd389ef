package engine

import (
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/perchdata/perch/datafiles/sqltext"
)

// inlineDataMinMajor is the first server major version that reads the data
// of an `INSERT ... VALUES (...)` (or `FORMAT ...`) from the query text over
// the native protocol. Older servers (18.16) answer such an INSERT with the
// table's sample block and wait for the client to send the rows as blocks,
// which clickhouse-go's Exec never does: the statement would hang until the
// read timeout.
const inlineDataMinMajor = 20

// HasInlineData reports whether query is an INSERT whose rows are written
// in the query text (`VALUES` or `FORMAT` before any SELECT), as opposed to
// `INSERT ... SELECT`.
func HasInlineData(query string) bool {
	toks := sqltext.Tokens(query)
	if len(toks) == 0 || !toks[0].IsWord(query, "INSERT") {
		return false
	}
	depth := 0
	for _, t := range toks[1:] {
		switch {
		case t.Opens(query):
			depth++
		case t.Closes(query):
			depth--
		case depth == 0 && (t.IsWord(query, "SELECT") || t.IsWord(query, "WITH")):
			return false
		case depth == 0 && (t.IsWord(query, "VALUES") || t.IsWord(query, "FORMAT")):
			return true
		}
	}
	return false
}

// checkInlineData refuses, at once and with what to do instead, an INSERT
// with inline rows on a server that would hang on it.
func checkInlineData(v *driver.ServerVersion, query string) error {
	if v == nil || v.Version.Major >= inlineDataMinMajor || !HasInlineData(query) {
		return nil
	}
	return fmt.Errorf("ClickHouse %d.%d cannot take the rows of an INSERT ... VALUES (or FORMAT) written in the query over the native protocol (it waits for the client to send them as blocks): use INSERT ... SELECT, or load a file with `perch append`", v.Version.Major, v.Version.Minor)
}
