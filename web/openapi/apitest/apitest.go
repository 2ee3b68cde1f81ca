// Package apitest holds the JSON API to its OpenAPI document in tests: a
// validating http.RoundTripper that every test client of the web and
// end-to-end suites is built on, so every JSON request and answer that a
// test sends and receives is checked against web/openapi/openapi.yaml.
package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/helpers"

	"schooladmin/web/openapi"
)

// DeliberatelyInvalid, as a request header, marks a request a test sends
// broken on purpose (malformed JSON, an unknown field, an out-of-range
// parameter, no body where one is required); its value says why. The
// answer is still validated, the request is not, and its body is sent
// unread (some are 10 MiB, for the server to refuse unread). The header
// never reaches the server.
const DeliberatelyInvalid = "X-Test-Deliberately-Invalid"

// viaHeader marks the requests sent through a Transport; see OnlyVia.
const viaHeader = "X-Test-Conformance"

// Transport validates each exchange of an operation the document
// describes: the answer (status, headers, body) when it is JSON or a 204,
// and the request that got it unless marked DeliberatelyInvalid. HTML
// pages, redirects and routes the document leaves out are not its
// business. A mismatch fails T, naming the test line that sent the
// request.
type Transport struct {
	T    Reporter
	Next http.RoundTripper // http.DefaultTransport when nil
	// Operation, when set, names the route the server sends a request to,
	// as the document would ("GET /alunos/{id}"): the web tests ask the
	// router, so /alunos/new (a form) is not taken for /alunos/{id}.
	// Without it the document's own path matching decides.
	Operation func(*http.Request) string
}

// Reporter is where a Transport reports a mismatch: a *testing.T, or
// what forwards to the test running now when the client outlives one.
type Reporter interface {
	Errorf(format string, args ...any)
}

// RoundTrip sends req and validates the exchange.
func (tr Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	reason := req.Header.Get(DeliberatelyInvalid)
	req = req.Clone(req.Context()) // a RoundTripper must not change the caller's request
	req.Header.Del(DeliberatelyInvalid)
	req.Header.Set(viaHeader, "1")
	var sent []byte
	if reason == "" && req.Body != nil && req.Body != http.NoBody {
		var err error
		if sent, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(sent))
	}
	next := tr.Next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(got))
	if err != nil || (tr.Operation != nil && !Operations()[tr.Operation(req)]) {
		return resp, nil // a short body; or a screen, a HEAD, a file, an unknown path
	}
	if msgs := Check(req, sent, reason == "", resp, got); len(msgs) > 0 {
		tr.T.Errorf("%s %s → %d does not conform to web/openapi/openapi.yaml (sent from %s):\n  %s\n  request: %.300s\n  answer: %.500s",
			req.Method, req.URL.RequestURI(), resp.StatusCode, testCaller(), strings.Join(msgs, "\n  "), sent, got)
	}
	return resp, nil
}

// Check validates one exchange against the document: what is wrong with
// it, nil when it conforms or is not the document's business.
func Check(req *http.Request, sent []byte, checkRequest bool, resp *http.Response, got []byte) []string {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt != "application/json" && resp.StatusCode != http.StatusNoContent {
		return nil // a page for a browser on the same URL, a redirect to the login
	}
	v := documentValidator()
	vreq := req.Clone(req.Context())
	vreq.Header.Del(viaHeader)
	vreq.Body = io.NopCloser(bytes.NewReader(sent))
	vresp := *resp
	vresp.Body = io.NopCloser(bytes.NewReader(got))
	_, errs := v.ValidateHttpResponse(vreq, &vresp)
	for _, e := range errs {
		if e.ValidationType == helpers.PathValidation {
			return nil // no such operation: a method the path does not take (405), a screen
		}
	}
	if checkRequest {
		_, reqErrs := v.ValidateHttpRequestSync(vreq)
		errs = append(errs, reqErrs...)
	}
	var msgs []string
	for _, e := range errs {
		msg := e.Message
		for _, f := range e.SchemaValidationErrors {
			msg += fmt.Sprintf("; %s at %s", f.Reason, f.FieldPath)
		}
		msgs = append(msgs, msg)
	}
	return msgs
}

// documentValidator is built once from the embedded document, which must
// itself be a valid OpenAPI document.
var documentValidator = sync.OnceValue(func() validator.Validator {
	doc, err := libopenapi.NewDocument(mustJSON())
	if err != nil {
		panic(err)
	}
	// Security is the server's to enforce (and its own tests'): a request
	// without credentials is a well-formed request that gets a 401.
	v, errs := validator.NewValidator(doc, config.WithoutSecurityValidation(), config.WithFormatAssertions())
	if len(errs) > 0 {
		panic(fmt.Sprint(errs))
	}
	if ok, errs := v.ValidateDocument(); !ok {
		panic(fmt.Sprintf("web/openapi/openapi.yaml is not a valid OpenAPI document: %v", errs[0]))
	}
	return v
})

// Operations are the document's operations, "GET /alunos/{id}".
var Operations = sync.OnceValue(func() map[string]bool {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(mustJSON(), &doc); err != nil {
		panic(err)
	}
	ops := map[string]bool{}
	for path, item := range doc.Paths {
		for method := range item {
			if method != "parameters" {
				ops[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	return ops
})

// OpenAPIPath turns Echo's /alunos/:id into the document's /alunos/{id}.
func OpenAPIPath(echoPath string) string {
	return regexp.MustCompile(`:(\w+)`).ReplaceAllString(echoPath, "{$1}")
}

func mustJSON() []byte {
	b, err := openapi.JSON()
	if err != nil {
		panic(err)
	}
	return b
}

// testCaller is the first line on the stack in a test file that is not a
// test client's: where the request that failed was sent.
func testCaller() string {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		file := filepath.Base(f.File)
		if strings.HasSuffix(file, "_test.go") && !clientFiles[file] {
			return fmt.Sprintf("%s:%d", file, f.Line)
		}
		if !more {
			return "?"
		}
	}
}

// clientFiles hold the suites' request helpers, which the failure skips
// to name the test that called them.
var clientFiles = map[string]bool{"web_test.go": true, "client_test.go": true, "harness_test.go": true}

// OnlyVia wraps a test server's handler: a request that did not come
// through a Transport fails t, so no test can skip the check by making a
// client of its own.
func OnlyVia(t testing.TB, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(viaHeader) == "" {
			t.Errorf("%s %s was sent by a client that does not validate against the OpenAPI document: use the suite's clients",
				r.Method, r.URL.Path)
		}
		r.Header.Del(viaHeader)
		next.ServeHTTP(w, r)
	})
}
