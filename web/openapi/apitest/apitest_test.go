package apitest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"schooladmin/web/openapi/apitest"
)

// TestCheck holds made-up exchanges to the document: a conforming answer
// passes, a wrong field or an undocumented status does not, a page and a
// path the document leaves out are not its business, and a request marked
// deliberately invalid is not checked while its answer is.
func TestCheck(t *testing.T) {
	healthz := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	badPost := httptest.NewRequest(http.MethodPost, "/alunos", strings.NewReader(`{"nome":1}`))
	badPost.Header.Set("Content-Type", "application/json")
	for _, c := range []struct {
		name         string
		req          *http.Request
		sent         string
		checkRequest bool
		status       int
		contentType  string
		body         string
		wantProblems bool
	}{
		{"conforming", healthz, "", true, 200, "application/json", `{"status":"ok"}`, false},
		{"a field renamed", healthz, "", true, 200, "application/json", `{"estado":"ok"}`, true},
		{"an undocumented status", healthz, "", true, 418, "application/json", `{"status":"ok"}`, true},
		{"a page", healthz, "", true, 200, "text/html", `<p>ok</p>`, false},
		{"a path left out", httptest.NewRequest(http.MethodGet, "/metrics", nil), "", true, 200, "application/json", `{}`, false},
		{"an invalid request", badPost, `{"nome":1}`, true, 400, "application/json",
			`{"error":"Tipo errado em algum campo.","code":"invalid_type","fields":{"nome":"Deve ser texto."}}`, true},
		{"an invalid request, on purpose", badPost, `{"nome":1}`, false, 400, "application/json",
			`{"error":"Tipo errado em algum campo.","code":"invalid_type","fields":{"nome":"Deve ser texto."}}`, false},
		{"an answer with an unknown code", badPost, `{"nome":1}`, false, 400, "application/json",
			`{"error":"Tipo errado.","code":"wrong_type"}`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: c.status, Header: http.Header{"Content-Type": {c.contentType}, "Vary": {"Accept"}}}
			problems := apitest.Check(c.req, []byte(c.sent), c.checkRequest, resp, []byte(c.body))
			if (len(problems) > 0) != c.wantProblems {
				t.Fatalf("problems %q, want some: %v", problems, c.wantProblems)
			}
		})
	}
}
