package web_test

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"schooladmin/models/modelstest"
)

// TestAuthenticatedAnswersAreNotCached checks every GET route behind a
// login, as a session (HTML) and a token (JSON), plus JSON answers to
// writes and errors: Cache-Control: no-store, so no shared cache keeps
// one person's data for another, and Vary: Accept wherever the same URL
// answers HTML or JSON.
func TestAuthenticatedAnswersAreNotCached(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	fill := matrixFixtures(app)
	routes := app.server.RoutePermissions()
	for _, key := range slices.Sorted(maps.Keys(routes)) {
		method, pattern, _ := strings.Cut(key, " ")
		if method != http.MethodGet || routes[key] == "public" {
			continue
		}
		path := fill(pattern)
		checkNoStore(t, "session "+path, app.do(http.MethodGet, path, "", "Accept", browserAccept))
		checkNoStore(t, "token "+path, app.api(http.MethodGet, path, ""))
	}
	checkNoStore(t, "POST /alunos", app.api(http.MethodPost, "/alunos", `{"nome":"Bia","turma":"1A","ra":"NS-1"}`))
	checkNoStore(t, "GET /alunos/999999", app.api(http.MethodGet, "/alunos/999999", ""))
	checkNoStore(t, "anonymous GET /alunos", app.send(app.apiClient, http.MethodGet, "/alunos", ""))
	checkNoStore(t, "anonymous browser GET /alunos", app.send(app.newBrowser(), http.MethodGet, "/alunos", "", "Accept", browserAccept))
	if vary := app.api(http.MethodGet, "/nada", "").Header.Values("Vary"); !slices.Contains(vary, "Accept") {
		t.Errorf("the 404 of an unknown path: Vary %q", vary)
	}
}

func checkNoStore(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s (%d): Cache-Control %q, want no-store", what, resp.StatusCode, cc)
	}
	if vary := resp.Header.Values("Vary"); !slices.Contains(vary, "Accept") {
		t.Errorf("%s (%d): Vary %q, want Accept", what, resp.StatusCode, vary)
	}
}
