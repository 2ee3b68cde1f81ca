package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"schooladmin/models"
)

func TestAccountPageShowsOwnDetails(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		viewer, _ := app.browserAs("leitora", models.RoleViewer)
		resp, doc := app.pageAs(viewer, "/account")
		wantStatus(t, resp, http.StatusOK)
		if doc.Find(`[data-testid="account-username"]`).Text() != "leitora" || doc.Find(`[data-testid="account-roles"]`).Text() != "Consulta" {
			t.Fatalf("details: %q", doc.Find(`[data-testid="account-details"]`).Text())
		}
		if doc.Find(`[data-testid="token-row"]`).Length() != 1 || doc.Find(`[data-testid="token-status"]`).Text() != "ativo" {
			t.Fatal("the user's token is not listed as active")
		}
		if doc.Find(`[data-testid="password-form"] input[name="_csrf"]`).Length() != 1 || strings.Contains(doc.Text(), "$argon2id$") {
			t.Fatal("no CSRF field, or a password hash shown")
		}
		if doc.Find(`[data-testid="account-link"]`).Text() != "leitora" {
			t.Fatal("the layout does not link the username to the account")
		}
	})
}

func TestAccountPasswordChange(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		here, _ := app.browserAs("trocadora", models.RoleEditor)
		elsewhere := app.newBrowser()
		app.login(elsewhere, "trocadora", testPassword)
		const newPassword = "a nova senha da trocadora"

		cases := []struct {
			name, field string
			form        url.Values
		}{
			{"wrong current password", "current_password", url.Values{"current_password": {"errada errada"}, "password": {newPassword}, "password_confirm": {newPassword}}},
			{"no current password", "current_password", url.Values{"password": {newPassword}, "password_confirm": {newPassword}}},
			{"weak new password", "password", url.Values{"current_password": {testPassword}, "password": {"12345678"}, "password_confirm": {"12345678"}}},
			{"passwords differ", "password_confirm", url.Values{"current_password": {testPassword}, "password": {newPassword}, "password_confirm": {"outra"}}},
		}
		for _, tc := range cases {
			resp := app.formAs(here, "/account/password", tc.form)
			wantStatus(t, resp, http.StatusUnprocessableEntity)
			if parseHTML(t, resp).Find(`[data-testid="error-`+tc.field+`"]`).Text() == "" {
				t.Fatalf("%s: no message for %s", tc.name, tc.field)
			}
		}
		wantStatus(t, app.send(elsewhere, http.MethodGet, "/alunos", "", "Accept", browserAccept), http.StatusOK)

		resp := app.formAs(here, "/account/password", url.Values{"current_password": {testPassword}, "password": {newPassword}, "password_confirm": {newPassword}})
		if msg := app.followFlash(here, resp); !strings.Contains(msg, "Senha trocada") {
			t.Fatalf("flash %q", msg)
		}
		// this browser stays logged in (with a fresh session), the other is out
		wantStatus(t, app.send(here, http.MethodGet, "/alunos", "", "Accept", browserAccept), http.StatusOK)
		wantStatus(t, app.formAs(here, "/alunos", url.Values{"nome": {"Ana"}, "turma": {"1A"}, "ra": {"R1"}}), http.StatusSeeOther)
		resp = app.send(elsewhere, http.MethodGet, "/alunos", "", "Accept", browserAccept)
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
			t.Fatalf("other session sent to %q", loc)
		}
		wantStatus(t, app.submitLogin(app.newBrowser(), "trocadora", testPassword, "/"), http.StatusUnauthorized)
		app.login(app.newBrowser(), "trocadora", newPassword)
	})
}

func TestAccountTokenWorksUntilRevoked(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		editor, firstToken := app.browserAs("robo", models.RoleEditor)
		resp := app.formAs(editor, "/account/tokens", url.Values{"name": {"planilha"}, "expires_days": {"0"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if parseHTML(t, resp).Find(`[data-testid="error-expires_days"]`).Text() == "" {
			t.Fatal("no message for a bad validity")
		}

		// created, then redirected (a reload cannot make a second token),
		// and shown on the next page only, with a copy button
		resp = app.formAs(editor, "/account/tokens", url.Values{"name": {"planilha"}, "expires_days": {"30"}})
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/account" {
			t.Fatalf("redirected to %q, want /account", loc)
		}
		resp, doc := app.pageAs(editor, "/account")
		token := strings.TrimSpace(doc.Find(`[data-testid="new-token"]`).Text())
		if !strings.HasPrefix(token, models.TokenPrefix) {
			t.Fatalf("new token %q", token)
		}
		if target, _ := doc.Find(`[data-testid="copy-token"]`).Attr("data-copy"); target == "" || doc.Find("#"+target).Text() != token {
			t.Fatalf("no copy button for the token (target %q)", target)
		}
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatal("the page with the new token may be cached")
		}
		wantStatus(t, app.api(http.MethodGet, "/alunos", "", "Authorization", "Bearer "+token), http.StatusOK)

		_, doc = app.pageAs(editor, "/account")
		if doc.Find(`[data-testid="new-token"]`).Length() != 0 || strings.Contains(doc.Text(), token) {
			t.Fatal("the token is shown a second time")
		}
		row := doc.Find(`[data-testid="token-row"]`).First()
		if row.Find(`[data-testid="token-name"]`).Text() != "planilha" {
			t.Fatalf("newest token row: %q", row.Text())
		}
		action, _ := row.Find(`form`).Attr("action")
		if msg := app.followFlash(editor, app.formAs(editor, action, url.Values{})); !strings.Contains(msg, "revogado") {
			t.Fatalf("flash %q", msg)
		}
		wantStatus(t, app.api(http.MethodGet, "/alunos", "", "Authorization", "Bearer "+token), http.StatusUnauthorized)
		_, doc = app.pageAs(editor, "/account")
		if status := doc.Find(`[data-testid="token-status"]`).First().Text(); !strings.HasPrefix(status, "revogado") {
			t.Fatalf("status after revoke %q", status)
		}
		// another user's token cannot be revoked from here
		tokens, _ := models.NewTokenStore(app.db).ListForUser(t.Context(), app.userID("robo"))
		first := tokens[len(tokens)-1]
		resp = app.formAs(app.client, "/account/tokens/"+strconv.FormatInt(first.ID, 10)+"/revoke", url.Values{})
		if msg := app.followFlash(app.client, resp); !strings.Contains(msg, "não encontrado") {
			t.Fatalf("revoking someone else's token: flash %q", msg)
		}
		wantStatus(t, app.api(http.MethodGet, "/alunos", "", "Authorization", "Bearer "+firstToken), http.StatusOK)
	})
}

func TestAccountNeedsBrowserSession(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		wantStatus(t, app.api(http.MethodGet, "/account", ""), http.StatusForbidden)
		resp := app.apiRaw(http.MethodPost, "/account/tokens", "name=mais", "Content-Type", "application/x-www-form-urlencoded")
		wantStatus(t, resp, http.StatusForbidden)
		tokens, _ := models.NewTokenStore(app.db).ListForUser(t.Context(), app.userID("admin"))
		if len(tokens) != 1 {
			t.Fatalf("a token minted another: %d tokens", len(tokens))
		}
	})
}
