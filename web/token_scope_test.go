package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"schooladmin/models"
)

// TestStudentsTokenCannotTakeOver is the attack: an administrator's
// ordinary API token, leaked, used on the admin screens to create an
// administrator and reset a password. It is refused (403 JSON) and
// changes nothing; the same token still works on the students.
func TestStudentsTokenCannotTakeOver(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createUser("vitima", models.RoleViewer)
		victim := app.userID("vitima")
		form := "application/x-www-form-urlencoded"
		takeover := url.Values{"username": {"intruso"}, "roles": {models.RoleAdmin},
			"password": {"uma senha longa o bastante"}, "password_confirm": {"uma senha longa o bastante"}}
		for _, attempt := range []struct{ path, body string }{
			{"/admin/users", takeover.Encode()},
			{"/admin/users/" + strconv.FormatInt(victim, 10) + "/password", url.Values{"password": {"outra senha longa"}, "password_confirm": {"outra senha longa"}}.Encode()},
			{"/admin/roles", url.Values{"name": {"Tudo"}, "permissions": {models.PermManageUsers}}.Encode()},
		} {
			resp := app.apiRaw(http.MethodPost, attempt.path, attempt.body, "Content-Type", form)
			wantStatus(t, resp, http.StatusForbidden)
			if e := decode[errorBody](t, resp); !strings.Contains(e.Error, "escopo") {
				t.Errorf("POST %s: message %q does not name the scope", attempt.path, e.Error)
			}
		}
		wantStatus(t, app.api(http.MethodGet, "/admin/users", ""), http.StatusForbidden)
		if _, err := models.NewUserStore(app.db).GetByUsername(t.Context(), "intruso"); err == nil {
			t.Fatal("the token created an administrator")
		}
		app.login(app.newBrowser(), "vitima", testPassword) // password unchanged
		wantStatus(t, app.api(http.MethodGet, "/alunos", ""), http.StatusOK)
	})
}

// newAccountToken creates a token on "Minha conta" and reads it from the
// page after the redirect.
func (a *testApp) newAccountToken(client *http.Client, form url.Values) string {
	a.t.Helper()
	wantStatus(a.t, a.formAs(client, "/account/tokens", form), http.StatusSeeOther)
	_, doc := a.pageAs(client, "/account")
	return strings.TrimSpace(doc.Find(`[data-testid="new-token"]`).Text())
}

func TestAccountTokenScopeChoice(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		_, doc := app.page("/account")
		if doc.Find(`[data-testid="token-scope-choice"] input[value="admin"]`).Length() != 1 {
			t.Fatal("an administrator is not offered the admin scope")
		}
		adminToken := app.newAccountToken(app.client, url.Values{"name": {"gestão"}, "scope": {models.ScopeAdmin}})
		wantStatus(t, app.api(http.MethodGet, "/admin/users", "", "Authorization", "Bearer "+adminToken), http.StatusOK)
		_, doc = app.page("/account")
		if scope, _ := doc.Find(`[data-testid="token-scope"]`).First().Attr("data-scope"); scope != models.ScopeAdmin {
			t.Fatalf("the token list shows scope %q for the new token", scope)
		}
		studentsToken := app.newAccountToken(app.client, url.Values{"name": {"planilha"}})
		wantStatus(t, app.api(http.MethodGet, "/admin/users", "", "Authorization", "Bearer "+studentsToken), http.StatusForbidden)
		wantStatus(t, app.api(http.MethodGet, "/alunos", "", "Authorization", "Bearer "+studentsToken), http.StatusOK)

		editor, _ := app.browserAs("editora", models.RoleEditor)
		_, doc = app.pageAs(editor, "/account")
		if doc.Find(`input[name="scope"][value="admin"]`).Length() != 0 || doc.Find(`[data-testid="token-scope-fixed"]`).Length() != 1 {
			t.Fatal("an Editor is offered the admin scope")
		}
		resp := app.formAs(editor, "/account/tokens", url.Values{"name": {"tomada"}, "scope": {models.ScopeAdmin}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if parseHTML(t, resp).Find(`[data-testid="error-scope"]`).Text() == "" {
			t.Fatal("no message on the refused scope")
		}
		tokens, _ := models.NewTokenStore(app.db).ListForUser(t.Context(), app.userID("editora"))
		if len(tokens) != 1 {
			t.Fatalf("the Editor has %d tokens, want only the first", len(tokens))
		}
	})
}

// TestAdminScopeTokenManagesUsers: an admin-scope token reaches the admin
// screens, within its user's permissions.
func TestAdminScopeTokenManagesUsers(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		token, _, err := models.NewTokenStore(app.db).Create(t.Context(), models.Actor{}, app.userID("admin"), "gestão", models.ScopeAdmin, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp := app.send(app.apiClient, http.MethodPost, "/admin/users", newUserForm("nova", "uma senha longa o bastante", models.RoleViewer).Encode(),
			"Content-Type", "application/x-www-form-urlencoded", "Authorization", "Bearer "+token)
		wantStatus(t, resp, http.StatusSeeOther)
		app.userID("nova")
	})
}

func TestPasswordChangeOffersToRevokeTokens(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		client, token := app.browserAs("trocadora", models.RoleEditor)
		_, doc := app.pageAs(client, "/account")
		if _, checked := doc.Find(`[data-testid="password-form"] input[name="revoke_tokens"]`).Attr("checked"); !checked {
			t.Fatal("the password form does not offer (ticked) to revoke the tokens")
		}
		change := func(from, to string, revoke bool) {
			form := url.Values{"current_password": {from}, "password": {to}, "password_confirm": {to}}
			if revoke {
				form.Set("revoke_tokens", "1")
			}
			wantStatus(t, app.formAs(client, "/account/password", form), http.StatusSeeOther)
		}
		change(testPassword, "segunda senha bem longa", false)
		wantStatus(t, app.api(http.MethodGet, "/alunos", "", "Authorization", "Bearer "+token), http.StatusOK)
		change("segunda senha bem longa", "terceira senha bem longa", true)
		wantStatus(t, app.api(http.MethodGet, "/alunos", "", "Authorization", "Bearer "+token), http.StatusUnauthorized)
	})
}

func TestAdminPasswordResetRevokesTokens(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		token := app.createUser("esquecida", models.RoleViewer)
		_, doc := app.page(app.userPath("esquecida", ""))
		if _, checked := doc.Find(`[data-testid="password-form"] input[name="revoke_tokens"]`).Attr("checked"); !checked {
			t.Fatal("the reset form does not offer (ticked) to revoke the tokens")
		}
		form := url.Values{"password": {"senha nova bem longa"}, "password_confirm": {"senha nova bem longa"}}
		wantStatus(t, app.postForm(app.userPath("esquecida", "/password"), form), http.StatusSeeOther)
		wantStatus(t, app.api(http.MethodGet, "/alunos", "", "Authorization", "Bearer "+token), http.StatusOK)
		form.Set("revoke_tokens", "1")
		if msg := app.followFlash(app.client, app.postForm(app.userPath("esquecida", "/password"), form)); !strings.Contains(msg, "tokens") {
			t.Fatalf("flash %q does not say the tokens stopped", msg)
		}
		wantStatus(t, app.api(http.MethodGet, "/alunos", "", "Authorization", "Bearer "+token), http.StatusUnauthorized)
	})
}

// TestTokensStopWithTheirUsersAccess: taking a role away narrows a token
// at once; disabling a user stops their tokens for good (enabling them
// again does not revive them); an admin-scope token dies with its user's
// user management.
func TestTokensStopWithTheirUsersAccess(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		token := app.createUser("ex.editora", models.RoleEditor)
		create := func() *http.Response {
			return app.api(http.MethodPost, "/alunos", `{"nome":"Ana","turma":"1A","ra":"TK-1"}`, "Authorization", "Bearer "+token)
		}
		wantStatus(t, app.postForm(app.userPath("ex.editora", ""), url.Values{"active": {"1"}, "roles": {models.RoleViewer}}), http.StatusSeeOther)
		wantStatus(t, create(), http.StatusForbidden)
		wantStatus(t, app.postForm(app.userPath("ex.editora", ""), url.Values{"roles": {models.RoleEditor}}), http.StatusSeeOther)
		wantStatus(t, app.postForm(app.userPath("ex.editora", ""), url.Values{"active": {"1"}, "roles": {models.RoleEditor}}), http.StatusSeeOther)
		wantStatus(t, create(), http.StatusUnauthorized)

		app.createUser("ex.admin", models.RoleAdmin)
		adminToken, _, err := models.NewTokenStore(app.db).Create(t.Context(), models.Actor{}, app.userID("ex.admin"), "gestão", models.ScopeAdmin, nil)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, app.postForm(app.userPath("ex.admin", ""), url.Values{"active": {"1"}, "roles": {models.RoleEditor}}), http.StatusSeeOther)
		wantStatus(t, app.postForm(app.userPath("ex.admin", ""), url.Values{"active": {"1"}, "roles": {models.RoleAdmin}}), http.StatusSeeOther)
		wantStatus(t, app.api(http.MethodGet, "/admin/users", "", "Authorization", "Bearer "+adminToken), http.StatusUnauthorized)
	})
}
