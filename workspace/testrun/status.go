package testrun

import (
	"errors"

	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/datafiles/template"
	"github.com/perchdata/perch/workspace/engine"
)

// HTTP statuses of an endpoint request.
const (
	StatusOK         = 200
	StatusBadRequest = 400
	StatusTimeout    = 408
	StatusInternal   = 500
)

// errTimeout is ClickHouse's TIMEOUT_EXCEEDED (max_execution_time).
const errTimeout = 159

// CompileStatus is the HTTP status an API request gets when rendering the
// endpoint for its parameters fails: the status given to error() or
// custom_error() (400 by default), and 400 for every other template error
// (a value that is not of its parameter's type, a required parameter not
// given). A compile error that is not the template's (the project itself
// is wrong) is a 500.
func CompileStatus(err error) int {
	var ce *compile.Error
	if errors.As(err, &ce) && ce.Template != nil {
		return templateStatus(ce.Template)
	}
	if te, ok := template.AsError(err); ok {
		return templateStatus(te)
	}
	return StatusInternal
}

func templateStatus(te *template.Error) int {
	if te.User && te.Code >= 100 && te.Code <= 599 {
		return te.Code
	}
	return StatusBadRequest
}

// QueryStatus is the HTTP status of a request whose query the engine
// refused: 408 when it ran out of time, 400 for any other ClickHouse
// error (the query is not valid for these parameters); 0 when err is not
// the engine's answer (the connection failed: no status to compare).
func QueryStatus(err error) int {
	switch code := engine.ErrorCode(err); {
	case code == errTimeout:
		return StatusTimeout
	case code != 0:
		return StatusBadRequest
	}
	return 0
}
