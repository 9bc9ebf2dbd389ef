package template

import (
	"errors"
	"fmt"
)

// Error is a template problem (syntax, evaluation or a render-time error()
// call) at a 1-based line and column of the template source. Callers that hold
// the datafile map Line and Col with datafiles.Node.FilePos.
type Error struct {
	Line int
	Col  int
	Msg  string
	// User is true for error() and custom_error() calls: the message is the
	// template author's, meant for the API caller.
	User bool
	// Code is the HTTP status code given to error()/custom_error(), 0 if none.
	Code int
}

// Error formats the error as line:col: message.
func (e *Error) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var te *Error
	if errors.As(err, &te) {
		return te, true
	}
	return nil, false
}

// posError is an error at a byte offset of the source, turned into an *Error
// with line and column by the Template that owns the source.
type posError struct {
	off   int
	msg   string
	user  bool
	code  int
	fatal bool // limits: not caught by {% try %}
}

func (e *posError) Error() string { return e.msg }

func errAt(off int, format string, args ...any) *posError {
	return &posError{off: off, msg: fmt.Sprintf(format, args...)}
}
