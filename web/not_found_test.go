package web_test

import (
	"net/http"
	"testing"
)

// The 404 page of an address no route knows keeps the menu and the user,
// as every other page does; without a session it starts none.
func TestUnknownAddressKeepsMenuAndUser(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		resp, doc := app.page("/nada/aqui")
		wantStatus(t, resp, http.StatusNotFound)
		if doc.Find(`[data-testid="error-page"]`).Length() != 1 {
			t.Fatal("no friendly 404 page")
		}
		if doc.Find(`nav.menu a[href="/alunos"]`).Length() != 1 || doc.Find(`[data-testid="account-link"]`).Text() != "admin" {
			t.Fatal("the 404 page of an unknown address lost the menu or the user")
		}
		if tok, _ := doc.Find(`meta[name="csrf-token"]`).Attr("content"); tok == "" {
			t.Fatal("the 404 page has no CSRF token for its logout button")
		}

		anonymous := app.send(app.newBrowser(), http.MethodGet, "/nada/aqui", "", "Accept", browserAccept)
		wantStatus(t, anonymous, http.StatusNotFound)
		if anonymous.Header.Get("Set-Cookie") != "" {
			t.Fatal("a 404 without a session started one")
		}
		if doc := parseHTML(t, anonymous); doc.Find(`nav.menu a`).Length() != 0 || doc.Find(`[data-testid="account-link"]`).Length() != 0 {
			t.Fatal("an anonymous 404 shows a menu or a user")
		}
		// programs still get a JSON 404
		wantStatus(t, app.api(http.MethodGet, "/nada/aqui", ""), http.StatusNotFound)
		wantStatus(t, app.send(app.apiClient, http.MethodGet, "/nada/aqui", ""), http.StatusNotFound)
	})
}
