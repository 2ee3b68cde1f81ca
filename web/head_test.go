package web_test

import (
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"schooladmin/models/modelstest"
)

// TestHeadAnswersEveryGetRoute asks every GET route of the route table
// with HEAD, as a browser, as an API client and anonymously: the same
// status and headers as GET, and no body. Error answers (a missing
// student, no login) are compared too.
func TestHeadAnswersEveryGetRoute(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	fill := matrixFixtures(app)
	routes := app.server.RoutePermissions()
	paths := []string{"/alunos/999999"}
	for _, key := range slices.Sorted(maps.Keys(routes)) {
		if method, pattern, _ := strings.Cut(key, " "); method == http.MethodGet {
			paths = append(paths, strings.Replace(fill(pattern), "*", "app.css", 1))
		}
	}
	for _, path := range paths {
		for _, client := range []*http.Client{app.client, app.newBrowser()} {
			for _, accept := range []string{browserAccept, "application/json"} {
				compareHead(t, app, client, path, accept)
			}
		}
	}
	if text := app.metricsText(); !strings.Contains(text, `method="HEAD",url="/alunos/:id"`) {
		t.Error("HEAD requests are not counted under their route pattern")
	}
}

func compareHead(t *testing.T, app *testApp, client *http.Client, path, accept string) {
	t.Helper()
	get := app.send(client, http.MethodGet, path, "", "Accept", accept)
	head := app.send(client, http.MethodHead, path, "", "Accept", accept)
	body, _ := io.ReadAll(head.Body)
	for _, h := range []string{"Content-Type", "Location", "Cache-Control", "WWW-Authenticate"} {
		if head.Header.Get(h) != get.Header.Get(h) {
			t.Errorf("HEAD %s (%s): %s %q, GET gives %q", path, accept, h, head.Header.Get(h), get.Header.Get(h))
		}
	}
	if head.StatusCode != get.StatusCode || len(body) != 0 {
		t.Errorf("HEAD %s (%s): %d with %d bytes of body, GET gives %d", path, accept, head.StatusCode, len(body), get.StatusCode)
	}
}
