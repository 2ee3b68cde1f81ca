package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// browserAs creates a user with roles, logs a new browser in as them and
// returns it with the user's API token.
func (a *testApp) browserAs(username string, roles ...string) (*http.Client, string) {
	a.t.Helper()
	token := a.createUser(username, roles...)
	b := a.newBrowser()
	a.login(b, username, testPassword)
	return b, token
}

// formAs posts a form from client's browser with its session's CSRF token.
func (a *testApp) formAs(client *http.Client, path string, form url.Values) *http.Response {
	a.t.Helper()
	if !form.Has("_csrf") {
		_, doc := a.pageAs(client, "/account")
		tok, _ := doc.Find(`meta[name="csrf-token"]`).Attr("content")
		form.Set("_csrf", tok)
	}
	return a.send(client, http.MethodPost, path, form.Encode(),
		"Accept", browserAccept, "Content-Type", "application/x-www-form-urlencoded")
}

// userID is the id of the named user.
func (a *testApp) userID(username string) int64 {
	a.t.Helper()
	u, err := models.NewUserStore(a.db).GetByUsername(a.t.Context(), username)
	if err != nil {
		a.t.Fatalf("user %s: %v", username, err)
	}
	return u.ID
}

// userPath is the administration page of the named user.
func (a *testApp) userPath(username, suffix string) string {
	return "/admin/users/" + strconv.FormatInt(a.userID(username), 10) + suffix
}

// followFlash follows a 303 with client and returns the flash shown there.
func (a *testApp) followFlash(client *http.Client, resp *http.Response) string {
	a.t.Helper()
	wantStatus(a.t, resp, http.StatusSeeOther)
	_, doc := a.pageAs(client, resp.Header.Get("Location"))
	return strings.TrimSpace(doc.Find(`[data-testid="flash"]`).Text())
}

func newUserForm(username, password string, roles ...string) url.Values {
	return url.Values{"username": {username}, "email": {username + "@escola.example"},
		"password": {password}, "password_confirm": {password}, "roles": roles}
}

func TestAdminUsersListAndSearch(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createUser("maria.editora", models.RoleEditor)
		app.createUser("joao", models.RoleViewer)
		resp, doc := app.page("/admin/users")
		wantStatus(t, resp, http.StatusOK)
		if n := doc.Find(`[data-testid="user-row"]`).Length(); n != 3 {
			t.Fatalf("%d rows, want 3", n)
		}
		if strings.Contains(doc.Text(), "$argon2id$") {
			t.Fatal("the list shows a password hash")
		}
		_, doc = app.page("/admin/users?q=EDITORA")
		rows := doc.Find(`[data-testid="user-row"]`)
		if rows.Length() != 1 || rows.Find(`[data-testid="user-name"]`).Text() != "maria.editora" ||
			rows.Find(`[data-testid="user-roles"]`).Text() != "Editor" || rows.Find(`[data-testid="user-active"]`).Text() != "Sim" {
			t.Fatalf("search row: %q", rows.Text())
		}
		_, doc = app.page("/admin/users?q=ninguem")
		if doc.Find(`[data-testid="empty-state"]`).Length() != 1 {
			t.Fatal("no empty state")
		}
	})
}

func TestAdminCreatesUserWhoCanLogIn(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		resp, doc := app.page("/admin/users/new")
		wantStatus(t, resp, http.StatusOK)
		if doc.Find(`input[name="roles"]`).Length() != 3 || doc.Find(`[data-testid="user-form"] input[name="_csrf"]`).Length() != 1 {
			t.Fatal("the form lacks role checkboxes or the CSRF field")
		}
		resp = app.postForm("/admin/users", newUserForm("nova.editora", "uma senha bem comprida", models.RoleEditor))
		if msg := app.followFlash(app.client, resp); !strings.Contains(msg, "nova.editora") {
			t.Fatalf("flash %q", msg)
		}
		editor := app.newBrowser()
		app.login(editor, "nova.editora", "uma senha bem comprida")
		form := url.Values{"nome": {"Ana"}, "turma": {"1A"}, "ra": {"R1"}}
		wantStatus(t, app.formAs(editor, "/alunos", form), http.StatusSeeOther)
	})
}

func TestAdminCreateUserRejectsBadInput(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		cases := []struct {
			name, field string
			form        url.Values
		}{
			{"short password", "password", newUserForm("ana", "curta")},
			{"common password", "password", newUserForm("ana", "password123")},
			{"password equal to username", "password", newUserForm("ana.maria.souza", "ana.maria.souza")},
			{"passwords differ", "password_confirm", url.Values{"username": {"ana"}, "password": {"uma senha boa demais"}, "password_confirm": {"outra senha qualquer"}}},
			{"bad username", "username", newUserForm("ana maria", "uma senha boa demais")},
			{"unknown role", "roles", newUserForm("ana", "uma senha boa demais", "Rei")},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				resp := app.postForm("/admin/users", tc.form)
				wantStatus(t, resp, http.StatusUnprocessableEntity)
				doc := parseHTML(t, resp)
				if doc.Find(`[data-testid="error-`+tc.field+`"]`).Text() == "" {
					t.Fatalf("no message for %s", tc.field)
				}
				if v, _ := doc.Find(`input[name="password"]`).Attr("value"); v != "" {
					t.Fatal("the typed password is sent back")
				}
			})
		}
		if _, err := models.NewUserStore(app.db).GetByUsername(t.Context(), "ana"); err == nil {
			t.Fatal("an invalid form created a user")
		}
	})
}

func TestAdminCreateUserDuplicateUsername(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createUser("repetido", models.RoleViewer)
		resp := app.postForm("/admin/users", newUserForm("repetido", "uma senha bem comprida", models.RoleViewer))
		wantStatus(t, resp, http.StatusConflict)
		msg := parseHTML(t, resp).Find(`[data-testid="error-username"]`).Text()
		if !strings.Contains(msg, "Já existe") {
			t.Fatalf("message %q", msg)
		}
	})
}

func TestAdminCannotRemoveLastAdmin(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		path := app.userPath("admin", "")
		for name, form := range map[string]url.Values{
			"deactivate":  {"roles": {models.RoleAdmin}},
			"remove role": {"active": {"1"}, "roles": {models.RoleViewer}},
		} {
			resp := app.postForm(path, form)
			wantStatus(t, resp, http.StatusConflict)
			if msg := parseHTML(t, resp).Find(`[data-testid="form-message"]`).Text(); !strings.Contains(msg, "administrador") {
				t.Fatalf("%s: message %q", name, msg)
			}
		}
		resp := app.postForm(path+"/delete", url.Values{})
		wantStatus(t, resp, http.StatusConflict)
		if msg := parseHTML(t, resp).Find(`[data-testid="form-message"]`).Text(); !strings.Contains(msg, "administrador") {
			t.Fatalf("delete: message %q", msg)
		}
		_, doc := app.page("/admin/users")
		if doc.Find(`[data-testid="user-active"]`).Text() != "Sim" || doc.Find(`[data-testid="user-roles"]`).Text() != "Administrador" {
			t.Fatal("the last admin was changed")
		}

		// with a second active admin, an admin may delete themselves
		app.createUser("outra.admin", models.RoleAdmin)
		resp = app.postForm(path+"/delete", url.Values{})
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/login" {
			t.Fatalf("after deleting themselves: redirected to %q", loc)
		}
		wantStatus(t, app.do(http.MethodGet, "/alunos", "", "Accept", browserAccept), http.StatusSeeOther)
	})
}

func TestAdminDisablingUserEndsSessionsAndTokens(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		viewer, token := app.browserAs("viewer", models.RoleViewer)
		wantStatus(t, app.api(http.MethodGet, "/alunos", "", "Authorization", "Bearer "+token), http.StatusOK)

		_, doc := app.page(app.userPath("viewer", ""))
		if _, checked := doc.Find(`input[name="active"]`).Attr("checked"); !checked {
			t.Fatal("an active user shows as inactive")
		}
		resp := app.postForm(app.userPath("viewer", ""), url.Values{"roles": {models.RoleViewer}})
		wantStatus(t, resp, http.StatusSeeOther)

		resp = app.send(viewer, http.MethodGet, "/alunos", "", "Accept", browserAccept)
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
			t.Fatalf("disabled user's browser sent to %q", loc)
		}
		wantStatus(t, app.api(http.MethodGet, "/alunos", "", "Authorization", "Bearer "+token), http.StatusUnauthorized)
		if resp := app.submitLogin(app.newBrowser(), "viewer", testPassword, "/"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("disabled user logged in: %d", resp.StatusCode)
		}
	})
}

func TestAdminRoleChangeTakesEffectAtOnce(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		viewer, _ := app.browserAs("promovido", models.RoleViewer)
		form := url.Values{"nome": {"Ana"}, "turma": {"1A"}, "ra": {"R1"}}
		wantStatus(t, app.formAs(viewer, "/alunos", form), http.StatusForbidden)

		resp := app.postForm(app.userPath("promovido", ""), url.Values{"active": {"1"}, "roles": {models.RoleEditor}})
		wantStatus(t, resp, http.StatusSeeOther)
		wantStatus(t, app.formAs(viewer, "/alunos", form), http.StatusSeeOther)
	})
}

func TestAdminResetsPassword(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		user, _ := app.browserAs("esquecido", models.RoleViewer)
		path := app.userPath("esquecido", "/password")
		resp := app.postForm(path, url.Values{"password": {"123"}, "password_confirm": {"123"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if parseHTML(t, resp).Find(`[data-testid="password-form"] [data-testid="error-password"]`).Text() == "" {
			t.Fatal("no message for a weak password")
		}
		resp = app.postForm(path, url.Values{"password": {"nova senha do esquecido"}, "password_confirm": {"nova senha do esquecido"}})
		if msg := app.followFlash(app.client, resp); !strings.Contains(msg, "redefinida") {
			t.Fatalf("flash %q", msg)
		}
		wantStatus(t, app.send(user, http.MethodGet, "/alunos", "", "Accept", browserAccept), http.StatusSeeOther)
		wantStatus(t, app.submitLogin(app.newBrowser(), "esquecido", testPassword, "/"), http.StatusUnauthorized)
		app.login(app.newBrowser(), "esquecido", "nova senha do esquecido")
	})
}

func TestAdminDeletesUserAfterConfirmation(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		_, token := app.browserAs("saindo", models.RoleEditor)
		path := app.userPath("saindo", "/delete")
		resp, doc := app.page(path)
		wantStatus(t, resp, http.StatusOK)
		if doc.Find(`[data-testid="confirm-delete"] input[name="_csrf"]`).Length() != 1 {
			t.Fatal("the confirmation has no CSRF field")
		}
		if msg := app.followFlash(app.client, app.postForm(path, url.Values{})); !strings.Contains(msg, "excluído") {
			t.Fatalf("flash %q", msg)
		}
		wantStatus(t, app.api(http.MethodGet, "/alunos", "", "Authorization", "Bearer "+token), http.StatusUnauthorized)
		if msg := app.followFlash(app.client, app.postForm(path, url.Values{})); !strings.Contains(msg, "já tinha sido excluído") {
			t.Fatalf("second delete: flash %q", msg)
		}
		resp, _ = app.page("/admin/users/999999")
		wantStatus(t, resp, http.StatusNotFound)
	})
}

func TestAdminScreensForbiddenToViewer(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	viewer, _ := app.browserAs("viewer", models.RoleViewer)
	id := strconv.FormatInt(app.userID("admin"), 10)
	for _, path := range []string{"/admin/users", "/admin/users/new", "/admin/users/" + id, "/admin/users/" + id + "/delete",
		"/admin/roles", "/admin/roles/new", "/admin/roles/1", "/admin/roles/1/copy", "/admin/roles/1/delete", "/admin/audit"} {
		resp, doc := app.pageAs(viewer, path)
		wantStatus(t, resp, http.StatusForbidden)
		if doc.Find(`[data-testid="error-page"]`).Length() != 1 {
			t.Fatalf("%s: 403 without the friendly page", path)
		}
	}
	resp := app.formAs(viewer, "/admin/users/"+id+"/delete", url.Values{})
	wantStatus(t, resp, http.StatusForbidden)
	_, doc := app.pageAs(viewer, "/alunos")
	doc.Find(`nav.menu a`).Each(func(_ int, s *goquery.Selection) {
		if href, _ := s.Attr("href"); strings.HasPrefix(href, "/admin") {
			t.Errorf("a viewer's menu links to %s", href)
		}
	})
}

func TestAdminPostWithoutCSRFIsRefused(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		form := newUserForm("sem.csrf", "uma senha bem comprida", models.RoleAdmin)
		form.Set("_csrf", "")
		wantStatus(t, app.postForm("/admin/users", form), http.StatusForbidden)
		form.Set("_csrf", "forjado")
		wantStatus(t, app.postForm("/admin/users", form), http.StatusForbidden)
		if _, err := models.NewUserStore(app.db).GetByUsername(t.Context(), "sem.csrf"); err == nil {
			t.Fatal("a user was created without a CSRF token")
		}
	})
}

func TestAdminUsersListPages(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	for i := range 55 {
		if err := app.db.Create(&models.User{Username: fmt.Sprintf("prof%02d", i), PasswordHash: "x", Active: true}).Error; err != nil {
			t.Fatal(err)
		}
	}
	_, doc := app.page("/admin/users?q=prof")
	if n := doc.Find(`[data-testid="user-row"]`).Length(); n != 50 {
		t.Fatalf("first page has %d users", n)
	}
	next, ok := doc.Find(`[data-testid="pagination"] a[rel="next"]`).Attr("href")
	if !ok || !strings.Contains(next, "q=prof") {
		t.Fatalf("next link %q", next)
	}
	_, doc = app.page(next)
	if got := doc.Find(`[data-testid="range"]`).Text(); got != "51–55 de 55" {
		t.Fatalf("second page range %q", got)
	}
}
