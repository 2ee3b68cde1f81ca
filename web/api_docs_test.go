package web_test

import (
	"net/http"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models/modelstest"
)

// TestAPIDocsPageIsServedByTheApp loads the reference page signed out: it
// loads Swagger UI and its starter from the app's own files (no inline
// script, no other host), under the app's usual Content-Security-Policy,
// pointing at /openapi.json.
func TestAPIDocsPageIsServedByTheApp(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	anonymous := app.newBrowser()
	resp, doc := app.pageAs(anonymous, "/api/docs")
	wantStatus(t, resp, http.StatusOK)
	if csp := resp.Header.Get("Content-Security-Policy"); csp == "" || csp != app.send(anonymous, http.MethodGet, "/login", "").Header.Get("Content-Security-Policy") {
		t.Errorf("the page's policy %q is not the app's", csp)
	}
	if url, _ := doc.Find(`[data-testid="api-docs"]`).Attr("data-url"); url != "/openapi.json" {
		t.Fatalf("the page renders %q, want /openapi.json", url)
	}
	var files []string
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		src, ok := s.Attr("src")
		if !ok || s.Text() != "" {
			t.Errorf("an inline script: %q", s.Text())
		}
		files = append(files, src)
	})
	doc.Find(`link[rel="stylesheet"]`).Each(func(_ int, s *goquery.Selection) { files = append(files, s.AttrOr("href", "")) })
	if len(files) != 3 {
		t.Fatalf("the page loads %v, want Swagger UI's script and stylesheet and its starter", files)
	}
	for _, f := range files {
		if resp := app.send(anonymous, http.MethodGet, f, ""); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", f, resp.StatusCode)
		}
	}
	resp = app.send(anonymous, http.MethodGet, "/openapi.json", "")
	wantStatus(t, resp, http.StatusOK)
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("/openapi.json Cache-Control %q", cc)
	}
}
