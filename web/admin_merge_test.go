package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"schooladmin/models"
)

// The users and roles forms merge a stale save like the student form: a
// colleague's change to what this person did not touch survives.
func TestAdminUserStaleEditMerges(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		colleague, _ := app.browserAs("vice", models.RoleAdmin)
		app.createUser("maria", models.RoleEditor)
		path := app.userPath("maria", "")

		t.Run("a colleague's new role survives a change of e-mail", func(t *testing.T) {
			form := app.openForm(path, "user-form")
			theirs := app.openFormAs(colleague, path, "user-form")
			theirs.Add("roles", models.RoleViewer)
			wantStatus(t, app.formAs(colleague, path, theirs), http.StatusSeeOther)

			form.Set("email", "maria@escola.example")
			wantStatus(t, app.postForm(path, form), http.StatusSeeOther)
			u, _ := models.NewUserStore(app.db).Get(t.Context(), app.userID("maria"))
			if names := roleNames(u.Roles); u.Email != "maria@escola.example" || !slices.Equal(names, []string{models.RoleEditor, models.RoleViewer}) {
				t.Fatalf("after the merged save: e-mail %q, roles %v", u.Email, names)
			}
		})

		t.Run("both changed the e-mail: 409 with both values", func(t *testing.T) {
			form := app.openForm(path, "user-form")
			theirs := app.openFormAs(colleague, path, "user-form")
			theirs.Set("email", "m.souza@escola.example")
			wantStatus(t, app.formAs(colleague, path, theirs), http.StatusSeeOther)

			form.Set("email", "maria.s@escola.example")
			form.Del("active")
			resp := app.postForm(path, form)
			wantStatus(t, resp, http.StatusConflict)
			doc := parseHTML(t, resp)
			if doc.Find(`[data-testid="conflict-email"] [data-testid="current-email"]`).Text() != "m.souza@escola.example" ||
				doc.Find(`[data-testid="conflict-email"] [data-testid="mine-email"]`).Text() != "maria.s@escola.example" {
				t.Fatal("the conflicting e-mail does not show both values")
			}
			if u, _ := models.NewUserStore(app.db).Get(t.Context(), app.userID("maria")); !u.Active || u.Email != "m.souza@escola.example" {
				t.Fatalf("a conflicting save wrote something: active %t, e-mail %q", u.Active, u.Email)
			}
			again := formValues(doc.Find(`form[data-testid="user-form"]`))
			if again.Get("orig_email") != "m.souza@escola.example" || again.Has("active") {
				t.Fatalf("the 409 form starts from %q and has active=%q", again.Get("orig_email"), again.Get("active"))
			}
			wantStatus(t, app.postForm(path, again), http.StatusSeeOther)
			if u, _ := models.NewUserStore(app.db).Get(t.Context(), app.userID("maria")); u.Active || u.Email != "maria.s@escola.example" {
				t.Fatalf("after confirming: active %t, e-mail %q", u.Active, u.Email)
			}
		})
	})
}

func TestAdminRoleStaleEditMerges(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		colleague, _ := app.browserAs("vice", models.RoleAdmin)
		roles := models.NewRoleStore(app.db)
		wantStatus(t, app.postForm("/admin/roles", url.Values{"name": {"Secretaria"}, "permissions": {models.PermListAlunos}}),
			http.StatusSeeOther)
		path := app.rolePath("Secretaria", "")

		form := app.openForm(path, "role-form")
		theirs := app.openFormAs(colleague, path, "role-form")
		theirs.Add("permissions", models.PermShowAlunos)
		wantStatus(t, app.formAs(colleague, path, theirs), http.StatusSeeOther)

		form.Set("name", "Secretaria escolar")
		wantStatus(t, app.postForm(path, form), http.StatusSeeOther)
		r, _ := roles.Get(t.Context(), app.roleID("Secretaria escolar"))
		if perms := r.PermissionNames(); !slices.Contains(perms, models.PermShowAlunos) || len(perms) != 2 {
			t.Fatalf("after the merged save the role has %v", perms)
		}

		form = app.openForm(path, "role-form")
		theirs = app.openFormAs(colleague, path, "role-form")
		theirs.Set("name", "Secretaria (manhã)")
		wantStatus(t, app.formAs(colleague, path, theirs), http.StatusSeeOther)
		form.Set("name", "Secretaria (tarde)")
		resp := app.postForm(path, form)
		wantStatus(t, resp, http.StatusConflict)
		doc := parseHTML(t, resp)
		if doc.Find(`[data-testid="conflict-name"] [data-testid="current-name"]`).Text() != "Secretaria (manhã)" {
			t.Fatal("the conflicting name does not show the stored value")
		}
		if _, err := roles.Get(t.Context(), app.roleID("Secretaria (manhã)")); err != nil {
			t.Fatalf("a conflicting save wrote something: %v", err)
		}
	})
}

// openFormAs is openForm in another browser.
func (a *testApp) openFormAs(client *http.Client, path, testid string) url.Values {
	a.t.Helper()
	resp, doc := a.pageAs(client, path)
	wantStatus(a.t, resp, http.StatusOK)
	return formValues(doc.Find(`form[data-testid="` + testid + `"]`))
}

func roleNames(roles []models.Role) []string {
	var names []string
	for _, r := range roles {
		names = append(names, r.Name)
	}
	return names
}
