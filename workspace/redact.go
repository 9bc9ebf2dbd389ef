package workspace

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// RedactDSN replaces the password of a DSN (user:password@ or ?password=)
// with ***, so the DSN can be printed or logged.
func RedactDSN(dsn string) string {
	if dsn == "" {
		return ""
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return userinfoPassword.ReplaceAllString(queryPassword.ReplaceAllString(dsn, "${1}***"), "${1}***@")
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxREDACTEDxxx")
		}
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxREDACTEDxxx")
		u.RawQuery = q.Encode()
	}
	return strings.ReplaceAll(u.String(), "xxxREDACTEDxxx", "***")
}

var (
	userinfoPassword = regexp.MustCompile(`(://[^:/@]*:)[^@]*@`)
	queryPassword    = regexp.MustCompile(`((?:^|[?&])password=)[^&]*`)
)

// secretError hides secrets in the message of an error while keeping its
// chain for errors.Is / errors.As.
type secretError struct {
	msg string
	err error
}

// Error is the redacted message.
func (e *secretError) Error() string { return e.msg }

// Unwrap returns the original error, for errors.Is and errors.As.
func (e *secretError) Unwrap() error { return e.err }

// redactError returns err with every non-empty secret replaced by *** in
// its message. It returns nil for a nil err.
func redactError(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	changed := false
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			msg = strings.ReplaceAll(msg, s, "***")
			changed = true
		}
	}
	if !changed {
		return err
	}
	var se *secretError
	if errors.As(err, &se) && se == err {
		return &secretError{msg: msg, err: se.err}
	}
	return &secretError{msg: msg, err: err}
}
