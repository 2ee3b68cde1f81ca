package web_test

import (
	"net/http"
	"strings"

	"schooladmin/web/openapi/apitest"
)

// Every request of the web tests goes through apitest.Transport, which
// holds the JSON API to its OpenAPI document: each JSON answer (and each
// 204) of an operation the document describes must be one the document
// allows (status, headers, body), and so must the request that got it,
// unless the test marked it deliberatelyInvalid. The test server refuses
// requests that did not come through it (apitest.OnlyVia).

// deliberatelyInvalid marks a request sent broken on purpose; its value
// says why (see apitest.DeliberatelyInvalid).
const deliberatelyInvalid = apitest.DeliberatelyInvalid

// transport is every test client's.
func (a *testApp) transport() http.RoundTripper {
	return apitest.Transport{T: a.t, Operation: a.operation}
}

// operation is the route the router sends req to, as the document names
// it: "GET /alunos/{id}" (so the form at /alunos/new is not taken for a
// student).
func (a *testApp) operation(req *http.Request) string {
	e := a.server.Echo
	ctx := e.NewContext(req, nil)
	e.Router().Find(req.Method, strings.TrimSuffix(req.URL.Path, "/"), ctx)
	return req.Method + " " + apitest.OpenAPIPath(ctx.Path())
}
