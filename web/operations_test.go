package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"schooladmin/models/modelstest"
)

func TestContentNegotiation(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	cases := []struct {
		accept, contentType, want string
	}{
		{"", "", "application/json"},
		{"*/*", "", "application/json"},
		{"application/json", "", "application/json"},
		{browserAccept, "", "text/html"},
		{"text/html", "", "text/html"},
		{"application/json, text/html;q=0.5", "", "application/json"},
		{"text/html;q=0", "", "application/json"},
		{browserAccept, "application/json", "application/json"},
	}
	for _, tc := range cases {
		resp := app.do(http.MethodGet, "/alunos", "", "Accept", tc.accept, "Content-Type", tc.contentType)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.want) {
			t.Errorf("Accept %q, Content-Type %q: got %q, want %s", tc.accept, tc.contentType, ct, tc.want)
		}
	}
}

func TestHealthAndReadiness(t *testing.T) {
	db := modelstest.SQLite(t)
	app := newTestApp(t, db)
	wantStatus(t, app.api(http.MethodGet, "/healthz", ""), http.StatusOK)
	wantStatus(t, app.api(http.MethodGet, "/readyz", ""), http.StatusOK)
	db.Close() // the database is gone: ready no more, but still alive
	wantStatus(t, app.api(http.MethodGet, "/readyz", ""), http.StatusServiceUnavailable)
	wantStatus(t, app.api(http.MethodGet, "/healthz", ""), http.StatusOK)
}

func TestStaticFilesAreCached(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	_, doc := app.page("/alunos")
	css, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href")
	resp := app.api(http.MethodGet, css, "")
	wantStatus(t, resp, http.StatusOK)
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("%s: Content-Type %q, Cache-Control %q", css, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
	}
	again := app.api(http.MethodGet, css, "", "If-None-Match", resp.Header.Get("ETag"))
	wantStatus(t, again, http.StatusNotModified)
	wantStatus(t, app.api(http.MethodGet, "/static/", ""), http.StatusNotFound)
	wantStatus(t, app.api(http.MethodGet, "/static/nada.css", ""), http.StatusNotFound)
}

func TestMetricsUseRoutePatterns(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	app.createAluno("Ana", "1A", "R1")
	app.api(http.MethodGet, "/alunos/1", "")
	app.api(http.MethodGet, "/alunos/999", "")
	for _, p := range []string{"/random/a1", "/random/b2", "/x.php"} {
		app.api(http.MethodGet, p, "")
	}
	resp := app.api(http.MethodGet, "/metrics", "")
	wantStatus(t, resp, http.StatusOK)
	body, _ := io.ReadAll(resp.Body)
	text := string(body)
	for _, want := range []string{
		`schooladmin_requests_total{code="200",host="",method="GET",url="/alunos/:id"} 1`,
		`schooladmin_requests_total{code="404",host="",method="GET",url="/alunos/:id"} 1`,
		`schooladmin_requests_total{code="404",host="",method="GET",url="unmatched"} 3`,
		`schooladmin_students_changes_total{action="created"} 1`,
		`go_sql_max_open_connections{db_name="schooladmin"}`,
		`schooladmin_build_info{`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(text, "/random") || strings.Contains(text, "x.php") {
		t.Error("a raw path became a label")
	}
}

func TestDatabaseOutageGivesFriendly503(t *testing.T) {
	db := modelstest.SQLite(t)
	app := newTestApp(t, db)
	db.Close()
	resp := app.api(http.MethodGet, "/alunos", "")
	wantStatus(t, resp, http.StatusServiceUnavailable)
	e := decode[errorBody](t, resp)
	if e.Code != "unavailable" || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("503 with code %q and Retry-After %q, want unavailable and a delay", e.Code, resp.Header.Get("Retry-After"))
	}
	resp, doc := app.page("/alunos")
	wantStatus(t, resp, http.StatusServiceUnavailable)
	page := doc.Find(`[data-testid="error-page"]`).Text()
	for _, leak := range []string{"sql", "SQL", "database is closed", "SELECT", ".go:"} {
		if strings.Contains(e.Error, leak) || strings.Contains(page, leak) {
			t.Fatalf("the answer shows %q: %q / %q", leak, e.Error, page)
		}
	}
	if page == "" {
		t.Fatal("no friendly page")
	}
}
