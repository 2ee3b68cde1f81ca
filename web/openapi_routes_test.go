package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"schooladmin/models/modelstest"
	"schooladmin/web"
)

// notInTheDocument are the routes that do not answer JSON, so the OpenAPI
// document leaves them out. Reviewed: a new route that answers JSON must
// go into web/openapi/openapi.yaml, not here.
var notInTheDocument = map[string]string{
	"GET /":                       "redirects to /alunos",
	"GET /metrics":                "Prometheus text format",
	"GET /static/*":               "files",
	"GET /favicon.ico":            "a redirect to a file",
	"GET /api/docs":               "the reference page (HTML) of the document",
	"GET /login":                  "the login form",
	"POST /login":                 "the login form",
	"POST /logout":                "the browser's logout button",
	"GET /alunos/new":             "the new-student form",
	"POST /alunos/:id":            "the edit form's post (the API uses PUT and PATCH)",
	"GET /alunos/:id/edit":        "the edit form",
	"GET /alunos/:id/delete":      "the delete confirmation",
	"POST /alunos/:id/delete":     "the delete confirmation's post (the API uses DELETE)",
	"GET /turmas/new":             "the new-turma form",
	"POST /turmas/:id":            "the edit form's post (the API uses PUT and PATCH)",
	"GET /turmas/:id/edit":        "the edit form",
	"GET /turmas/:id/delete":      "the delete confirmation",
	"POST /turmas/:id/delete":     "the delete confirmation's post (the API uses DELETE)",
	"GET /alunos/import/:upload":  "the import's preview (the API imports in one POST /alunos/import)",
	"POST /alunos/import/:upload": "the preview's confirmation",
	"GET /alunos/bulk":            "the bulk action's confirmation page (406 for programs: the API posts)",
}

// screenPrefixes are whole areas of screens: users, roles, the audit
// trail (/admin/...) and one's own account and tokens (/account...).
var screenPrefixes = []string{"/admin/", "/account"}

// openAPIDoc is the part of the document the route test reads.
type openAPIDoc struct {
	OpenAPI string                 `json:"openapi"`
	Servers []struct{ URL string } `json:"servers"`
	// Security is the default of the operations that have none.
	Security []map[string][]string                 `json:"security"`
	Paths    map[string]map[string]json.RawMessage `json:"paths"`
}

type openAPIOperation struct {
	Permission string                 `json:"x-permission"`
	Security   *[]map[string][]string `json:"security"`
}

// TestOpenAPIDocumentCoversTheRoutes holds the hand-written document
// against the route table: every route that answers JSON is in it with
// each method, every path in it is routed, and each operation names the
// permission and token scope the router really checks.
func TestOpenAPIDocumentCoversTheRoutes(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	resp := app.send(app.apiClient, http.MethodGet, "/openapi.json", "")
	wantStatus(t, resp, http.StatusOK)
	doc := decode[openAPIDoc](t, resp)
	if doc.OpenAPI != "3.1.0" || len(doc.Servers) != 1 || doc.Servers[0].URL != "/" {
		t.Fatalf("openapi %q, servers %+v; want 3.1.0 and [/]", doc.OpenAPI, doc.Servers)
	}
	perms, scopes := app.server.RoutePermissions(), app.server.RouteTokenScopes()
	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			var op openAPIOperation
			if method == "parameters" || json.Unmarshal(raw, &op) != nil {
				continue
			}
			route := strings.ToUpper(method) + " " + echoPath(path)
			documented[route] = true
			perm, ok := perms[route]
			if !ok {
				t.Errorf("the document describes %s, which is not routed", route)
				continue
			}
			if want := strings.ReplaceAll(perm, web.Public, "public"); op.Permission != want {
				t.Errorf("%s: x-permission %q, the router checks %q", route, op.Permission, want)
			}
			if got, want := tokenScope(doc.Security, op), scopes[route]; got != want {
				t.Errorf("%s: the document's token scope %q, the router's %q", route, got, want)
			}
		}
	}
	for route := range perms {
		method, path, _ := strings.Cut(route, " ")
		if method == http.MethodHead || notInTheDocument[route] != "" || documented[route] ||
			slices.ContainsFunc(screenPrefixes, func(p string) bool { return strings.HasPrefix(path, p) }) {
			continue
		}
		t.Errorf("%s answers JSON but is not in web/openapi/openapi.yaml (or, if it is a screen, in notInTheDocument)", route)
	}
	for route := range notInTheDocument {
		if _, ok := perms[route]; !ok {
			t.Errorf("notInTheDocument names %s, which is not routed", route)
		}
	}
}

// echoPath turns /alunos/{id} into Echo's /alunos/:id.
func echoPath(p string) string { return regexp.MustCompile(`\{(\w+)\}`).ReplaceAllString(p, ":$1") }

// tokenScope is the bearer scheme's role in an operation's security (the
// document's default when it has none of its own); "" for a public one.
func tokenScope(security []map[string][]string, op openAPIOperation) string {
	if op.Security != nil {
		security = *op.Security
	}
	for _, req := range security {
		if roles, ok := req["bearer"]; ok && len(roles) == 1 {
			return roles[0]
		}
	}
	return ""
}
