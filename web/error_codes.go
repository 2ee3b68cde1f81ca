package web

import "net/http"

// errorCode is the stable word in an error answer's "code": programs tell
// errors apart by it, never by the message, which is for people and may
// be reworded or translated. Every code is a constant below, and the
// OpenAPI document lists them as the ErrorCode enum; a test holds the
// constants, the codes explain gives and the enum together.
type errorCode string

// The codes of the error answers.
const (
	codeBadRequest            errorCode = "bad_request"             // a 400 with nothing more specific to say
	codeMalformedJSON         errorCode = "malformed_json"          // the body is not one JSON object
	codeInvalidType           errorCode = "invalid_type"            // a field of the wrong JSON type ("fields" names it)
	codeInvalidHeader         errorCode = "invalid_header"          // a malformed If-Match or Idempotency-Key
	codeUnauthorized          errorCode = "unauthorized"            // no credentials, or a bad token
	codeForbidden             errorCode = "forbidden"               // a permission, a token's scope, or CSRF
	codeNotFound              errorCode = "not_found"               // no such record or path
	codeMethodNotAllowed      errorCode = "method_not_allowed"      // the path does not take the method
	codeStaleVersion          errorCode = "stale_version"           // the version sent is not the stored one
	codeDuplicate             errorCode = "duplicate"               // a unique name taken (users, roles, tokens)
	codeDuplicateRA           errorCode = "duplicate_ra"            // a student's ra is taken
	codeDuplicateCodigo       errorCode = "duplicate_codigo"        // a turma's codigo is taken
	codeTurmaNotEmpty         errorCode = "turma_not_empty"         // deleting a turma that has students
	codeIdempotencyConflict   errorCode = "idempotency_conflict"    // an Idempotency-Key reused with another body
	codeIdempotencyInProgress errorCode = "idempotency_in_progress" // the first request of the key still runs
	codeTooLarge              errorCode = "too_large"               // the body passes the limit
	codeUnsupportedMediaType  errorCode = "unsupported_media_type"  // a body that is not declared JSON
	codeValidation            errorCode = "validation"              // invalid fields or parameters ("fields" names them)
	codeVersionRequired       errorCode = "version_required"        // a change without the version last read
	codeTooManyRequests       errorCode = "too_many_requests"       // throttled; see Retry-After
	codeInternal              errorCode = "internal"                // our fault; logged
	codeUnavailable           errorCode = "unavailable"             // the database or the server is busy or down
)

// statusCodes are the codes of errors that carry only a status (Echo's
// own, auth's, a handler's echo.NewHTTPError).
var statusCodes = map[int]errorCode{
	http.StatusBadRequest:            codeBadRequest,
	http.StatusUnauthorized:          codeUnauthorized,
	http.StatusForbidden:             codeForbidden,
	http.StatusNotFound:              codeNotFound,
	http.StatusMethodNotAllowed:      codeMethodNotAllowed,
	http.StatusRequestEntityTooLarge: codeTooLarge,
	http.StatusUnsupportedMediaType:  codeUnsupportedMediaType,
	http.StatusUnprocessableEntity:   codeValidation,
	http.StatusPreconditionRequired:  codeVersionRequired,
	http.StatusTooManyRequests:       codeTooManyRequests,
	http.StatusServiceUnavailable:    codeUnavailable,
	http.StatusInternalServerError:   codeInternal,
}

// codeOfStatus is the code of an error known only by its status.
func codeOfStatus(status int) errorCode {
	if code, ok := statusCodes[status]; ok {
		return code
	}
	if status >= 500 {
		return codeInternal
	}
	return codeBadRequest
}

// clientError is a client error whose code says more than its status: a
// wrong type, a bad header, a key in use. fields, when set, names what is
// wrong, as in a validation error.
type clientError struct {
	status  int
	code    errorCode
	message string
	fields  map[string]string
}

func (e *clientError) Error() string { return e.message }

// malformedJSON is a 400 about the body's JSON.
func malformedJSON(msg string) error {
	return &clientError{status: http.StatusBadRequest, code: codeMalformedJSON, message: msg}
}

// invalidHeader is a 400 about a request header.
func invalidHeader(msg string) error {
	return &clientError{status: http.StatusBadRequest, code: codeInvalidHeader, message: msg}
}
