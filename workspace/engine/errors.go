package engine

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// Exception is an error reported by the embedded engine, with the code
// ClickHouse gives it ("Code: 164. DB::Exception: ...").
type Exception struct {
	Code    int32
	Message string
}

// Error prints the code and message as clickhouse-go does.
func (e *Exception) Error() string {
	if e.Code == 0 {
		return e.Message
	}
	return "code: " + strconv.Itoa(int(e.Code)) + ", message: " + e.Message
}

var exceptionCode = regexp.MustCompile(`^Code: (\d+)\. (?:DB::Exception: )?`)

// parseException turns the engine's error text into an Exception.
func parseException(text string) *Exception {
	text = strings.TrimSpace(text)
	m := exceptionCode.FindStringSubmatch(text)
	if m == nil {
		return &Exception{Message: text}
	}
	code, _ := strconv.Atoi(m[1])
	return &Exception{Code: int32(code), Message: text[len(m[0]):]}
}

// ErrorCode is the ClickHouse error code in err (from either engine), or 0.
func ErrorCode(err error) int32 {
	var ex *Exception
	if errors.As(err, &ex) {
		return ex.Code
	}
	var nex *clickhouse.Exception
	if errors.As(err, &nex) {
		return nex.Code
	}
	return 0
}
