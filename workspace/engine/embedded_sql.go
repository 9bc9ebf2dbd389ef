package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unsafe"

	"github.com/perchdata/perch/datafiles/sqltext"
)

// statement is a query prepared for the embedded engine: marked with its
// id, with the per-query settings turned into SQL.
type statement struct {
	id     string
	query  string
	raw    string   // the query as given
	before []string // SET statements run first on the session
	after  []string // and their resets
	opts   options
}

// marker is the comment put in front of a query so that Cancel finds it in
// system.processes: the embedded engine takes no query id from the caller.
func marker(id string) string { return "/* perch-query:" + id + " */" }

// ProcessCondition is the SQL condition on system.processes (and
// system.query_log) that finds the query given queryID on an engine of kind:
// its query_id on a server; on the embedded engine, which takes no query id
// from the caller, the marker comment in front of its text.
func ProcessCondition(kind Kind, queryID string) string {
	if kind == KindEmbedded {
		return "startsWith(query, " + sqltext.QuoteString(marker(queryID)) + ")"
	}
	return "query_id = " + sqltext.QuoteString(queryID)
}

// prepare builds the statement for query with ctx's options. Settings go
// into a SETTINGS clause when they include readonly (a session cannot be
// made writable again once read-only, and the clause makes the engine
// refuse a write with code 164 as the native protocol does); otherwise they
// are SET on the session for the query and reset after.
func prepare(ctx context.Context, query string) (*statement, error) {
	o := fromContext(ctx)
	st := &statement{id: o.queryID, opts: o, raw: query}
	if st.id == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		st.id = "perch-" + hex.EncodeToString(b[:])
	}
	q := trimStatement(query)
	if len(o.settings) > 0 {
		names := make([]string, 0, len(o.settings))
		for k := range o.settings {
			names = append(names, k)
		}
		sort.Strings(names)
		pairs := make([]string, len(names))
		for i, k := range names {
			v, err := settingValue(o.settings[k])
			if err != nil {
				return nil, fmt.Errorf("setting %s: %w", k, err)
			}
			pairs[i] = k + " = " + v
		}
		if _, ro := o.settings["readonly"]; ro {
			// On its own line: a trailing -- comment must not swallow it.
			q += "\nSETTINGS " + strings.Join(pairs, ", ")
		} else {
			for i, k := range names {
				st.before = append(st.before, "SET "+pairs[i])
				st.after = append(st.after, "SET "+k+" = DEFAULT")
			}
		}
	}
	st.query = marker(st.id) + " " + q
	return st, nil
}

// rawQuery is the query as the caller gave it.
func (st *statement) rawQuery() string { return st.raw }

// trimStatement drops surrounding space and trailing semicolons.
func trimStatement(q string) string {
	q = strings.TrimSpace(q)
	for strings.HasSuffix(q, ";") {
		q = strings.TrimRightFunc(strings.TrimSuffix(q, ";"), unicode.IsSpace)
	}
	return q
}

// settingValue renders a setting's value as SQL.
func settingValue(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return sqltext.QuoteString(x), nil
	case bool:
		if x {
			return "1", nil
		}
		return "0", nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case uint:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case uint32:
		return strconv.FormatUint(uint64(x), 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case time.Duration:
		return strconv.FormatFloat(x.Seconds(), 'g', -1, 64), nil
	}
	return "", fmt.Errorf("unsupported value %v (%T)", v, v)
}

// report calls the statement's progress and profile callbacks once, with
// what the engine says the query read.
func (st *statement) report(rows, bytes, resultRows uint64, elapsed time.Duration) {
	if fn := st.opts.onProgress; fn != nil && (rows > 0 || bytes > 0) {
		fn(Progress{Rows: rows, Bytes: bytes, Elapsed: elapsed})
	}
	if fn := st.opts.onProfile; fn != nil {
		fn(Profile{Rows: resultRows, BytesRead: bytes})
	}
}

// cBytes views n bytes of C memory; copy them before the result is freed.
func cBytes(p unsafe.Pointer, n int) []byte {
	if p == nil || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(p), n)
}
