package workspace

import (
	"regexp"
	"strconv"
	"strings"
)

// errorLineCol finds "(line N, col M)" in a server message; errorPosition
// "failed at position N".
var (
	errorLineCol  = regexp.MustCompile(`\(line (\d+), col (\d+)\)`)
	errorPosition = regexp.MustCompile(`failed at position (\d+)`)
)

// ErrorOffset is the byte offset in sql that a ClickHouse error message
// points at: its "(line N, col M)", else its "failed at position N" (both
// 1-based, in the query as sent: sql without its leading blanks). False
// when the message names no position in sql.
func ErrorOffset(msg, sql string) (int, bool) {
	lead := len(sql) - len(strings.TrimLeft(sql, " \t\r\n"))
	q := sql[lead:]
	if m := errorLineCol.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		off := 0
		for i := 1; i < line; i++ {
			nl := strings.IndexByte(q[off:], '\n')
			if nl < 0 {
				return 0, false
			}
			off += nl + 1
		}
		return lead + min(off+col-1, len(q)), true
	}
	if m := errorPosition.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n >= 1 && n-1 <= len(q) {
			return lead + n - 1, true
		}
	}
	return 0, false
}
