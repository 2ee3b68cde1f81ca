package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
)

// roleID is the id of the named role.
func (a *testApp) roleID(name string) int64 {
	a.t.Helper()
	roles, err := models.NewRoleStore(a.db).List(a.t.Context())
	if err != nil {
		a.t.Fatal(err)
	}
	for _, r := range roles {
		if r.Name == name {
			return r.ID
		}
	}
	a.t.Fatalf("no role %s", name)
	return 0
}

func (a *testApp) rolePath(name, suffix string) string {
	return "/admin/roles/" + strconv.FormatInt(a.roleID(name), 10) + suffix
}

// roleRow finds the named role's row on the roles list (by its stored
// name, which the screen shows in Portuguese).
func roleRow(doc *goquery.Document, name string) *goquery.Selection {
	return doc.Find(`[data-testid="role-row"][data-role="` + name + `"]`)
}

func TestAdminRolesList(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createUser("v1", models.RoleViewer)
		app.createUser("v2", models.RoleViewer)
		resp, doc := app.page("/admin/roles")
		wantStatus(t, resp, http.StatusOK)
		viewer := roleRow(doc, models.RoleViewer)
		if viewer.Find(`[data-testid="built-in"]`).Length() != 1 || viewer.Find(`[data-testid="role-users"]`).Text() != "2" {
			t.Fatalf("Viewer row: %q", viewer.Text())
		}
		if perms := viewer.Find(`[data-testid="role-permissions"]`).Text(); perms != "Listar alunos, Ver ficha de aluno, Listar turmas, Ver turma" {
			t.Fatalf("Viewer permissions shown as %q", perms)
		}
		if viewer.Find(`[data-testid="delete"]`).Length() != 0 {
			t.Fatal("a built-in role offers deletion")
		}
	})
}

func TestAdminCustomRoleCreatedAndUsed(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		_, doc := app.page("/admin/roles/new")
		if n := doc.Find(`input[name="permissions"]`).Length(); n != len(models.AllPermissions) {
			t.Fatalf("%d permission checkboxes", n)
		}
		resp := app.postForm("/admin/roles", url.Values{"name": {"Secretaria"},
			"permissions": {models.PermListAlunos, models.PermShowAlunos, models.PermAddAlunos}})
		if msg := app.followFlash(app.client, resp); msg == "" {
			t.Fatal("no flash after creating a role")
		}
		_, doc = app.page("/admin/roles")
		if row := roleRow(doc, "Secretaria"); row.Length() != 1 || row.Find(`[data-testid="built-in"]`).Length() != 0 {
			t.Fatal("the new role is not listed as custom")
		}

		secretaria, _ := app.browserAs("secretaria", "Secretaria")
		form := url.Values{"nome": {"Ana"}, "turma": {"1A"}, "ra": {"R1"}}
		resp = app.formAs(secretaria, "/alunos", form)
		wantStatus(t, resp, http.StatusSeeOther)
		edit := resp.Header.Get("Location") + "/edit"
		resp, _ = app.pageAs(secretaria, edit)
		wantStatus(t, resp, http.StatusForbidden)

		// editing the role applies to its holders' next request
		resp = app.postForm(app.rolePath("Secretaria", ""), url.Values{"name": {"Secretaria"},
			"permissions": {models.PermListAlunos, models.PermShowAlunos, models.PermAddAlunos, models.PermEditAlunos}})
		wantStatus(t, resp, http.StatusSeeOther)
		resp, _ = app.pageAs(secretaria, edit)
		wantStatus(t, resp, http.StatusOK)
	})
}

func TestAdminRoleFormErrors(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		resp := app.postForm("/admin/roles", url.Values{"name": {"  "}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if parseHTML(t, resp).Find(`[data-testid="error-name"]`).Text() == "" {
			t.Fatal("no message for an empty name")
		}
		resp = app.postForm("/admin/roles", url.Values{"name": {"X"}, "permissions": {"can_fly on Aluno"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		resp = app.postForm("/admin/roles", url.Values{"name": {models.RoleEditor}, "permissions": {models.PermListAlunos}})
		wantStatus(t, resp, http.StatusConflict)
		if msg := parseHTML(t, resp).Find(`[data-testid="error-name"]`).Text(); !strings.Contains(msg, "Já existe") {
			t.Fatalf("duplicate name message %q", msg)
		}
	})
}

func TestAdminBuiltInRoleIsReadOnly(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		path := app.rolePath(models.RoleViewer, "")
		resp, doc := app.page(path)
		wantStatus(t, resp, http.StatusOK)
		if doc.Find(`[data-testid="built-in-note"]`).Length() != 1 || doc.Find(`[data-testid="save"]`).Length() != 0 {
			t.Fatal("a built-in role is offered for editing")
		}
		resp = app.postForm(path, url.Values{"name": {models.RoleViewer}, "permissions": models.AllPermissions})
		wantStatus(t, resp, http.StatusConflict)
		if msg := parseHTML(t, resp).Find(`[data-testid="form-message"]`).Text(); !strings.Contains(msg, "embutidos") {
			t.Fatalf("message %q", msg)
		}
		r, _ := models.NewRoleStore(app.db).Get(t.Context(), app.roleID(models.RoleViewer))
		if len(r.Permissions) != 4 {
			t.Fatalf("Viewer now has %v", r.PermissionNames())
		}
		resp = app.postForm(app.rolePath(models.RoleViewer, "/delete"), url.Values{})
		wantStatus(t, resp, http.StatusConflict)
	})
}

func TestAdminRoleCopy(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		resp, doc := app.page(app.rolePath(models.RoleEditor, "/copy"))
		wantStatus(t, resp, http.StatusOK)
		form := doc.Find(`[data-testid="role-form"]`)
		if action, _ := form.Attr("action"); action != "/admin/roles" {
			t.Fatalf("the copy posts to %q", action)
		}
		if name, _ := form.Find(`input[name="name"]`).Attr("value"); name != "Cópia de Editor" {
			t.Fatalf("copy name %q", name)
		}
		values := url.Values{"name": {"Coordenação"}}
		form.Find(`input[name="permissions"][checked]`).Each(func(_ int, s *goquery.Selection) {
			v, _ := s.Attr("value")
			values.Add("permissions", v)
		})
		if len(values["permissions"]) != 11 {
			t.Fatalf("copy has permissions %v", values["permissions"])
		}
		wantStatus(t, app.postForm("/admin/roles", values), http.StatusSeeOther)
		r, _ := models.NewRoleStore(app.db).Get(t.Context(), app.roleID("Coordenação"))
		if r.BuiltIn || len(r.Permissions) != 11 {
			t.Fatalf("copied role: built-in %v, %v", r.BuiltIn, r.PermissionNames())
		}
	})
}

func TestAdminRoleDeleteRefusedWhileInUse(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		wantStatus(t, app.postForm("/admin/roles", url.Values{"name": {"Temporário"}, "permissions": {models.PermListAlunos}}), http.StatusSeeOther)
		app.createUser("temp", "Temporário")
		path := app.rolePath("Temporário", "/delete")
		resp, doc := app.page(path)
		wantStatus(t, resp, http.StatusOK)
		if !strings.Contains(doc.Find(`[data-testid="confirm-delete"]`).Text(), "1 usuário") {
			t.Fatal("the confirmation does not say the role is in use")
		}
		resp = app.postForm(path, url.Values{})
		wantStatus(t, resp, http.StatusConflict)
		if msg := parseHTML(t, resp).Find(`[data-testid="form-message"]`).Text(); !strings.Contains(msg, "atribuído") {
			t.Fatalf("message %q", msg)
		}

		wantStatus(t, app.postForm(app.userPath("temp", ""), url.Values{"active": {"1"}, "roles": {models.RoleViewer}}), http.StatusSeeOther)
		if msg := app.followFlash(app.client, app.postForm(path, url.Values{})); !strings.Contains(msg, "excluído") {
			t.Fatalf("flash %q", msg)
		}
		resp, _ = app.page(path)
		wantStatus(t, resp, http.StatusNotFound)
	})
}
