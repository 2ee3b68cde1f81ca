package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
)

// auditRow is the newest audit row of action.
func auditRow(doc *goquery.Document, action string) *goquery.Selection {
	return doc.Find(`[data-testid="audit-row"][data-action="` + action + `"]`).First()
}

// changeShown is a field change as an audit row shows it: field, old, new.
func changeShown(row *goquery.Selection, field string) (old, new string, ok bool) {
	tr := row.Find(`[data-testid="audit-changes"] tr`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.Find("th").Text() == field
	})
	return tr.Find(".old").Text(), tr.Find(".new").Text(), tr.Length() == 1
}

func TestRolesAreShownInPortugueseWithDescriptions(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		wantStatus(t, app.postForm("/admin/roles", url.Values{"name": {"Secretaria"}, "permissions": {models.PermListAlunos}}),
			http.StatusSeeOther)
		_, doc := app.page("/admin/roles")
		for role, want := range map[string][2]string{
			models.RoleAdmin:  {"Administrador", "tudo, inclusive usuários e papéis"},
			models.RoleViewer: {"Consulta", "só vê alunos e turmas (listas e fichas)"},
			"Secretaria":      {"Secretaria", ""},
		} {
			row := roleRow(doc, role)
			if got := row.Find(`[data-testid="role-name"]`).Text(); got != want[0] {
				t.Errorf("%s is shown as %q, want %q", role, got, want[0])
			}
			if got := row.Find(`[data-testid="role-description"]`).Text(); got != want[1] {
				t.Errorf("%s is described as %q, want %q", role, got, want[1])
			}
		}

		_, doc = app.page("/admin/users/new")
		admin := doc.Find(`[data-testid="roles"] label:has(input[value="Admin"])`)
		if text := strings.Join(strings.Fields(admin.Text()), " "); text != "Administrador: tudo, inclusive usuários e papéis" {
			t.Errorf("the Admin checkbox says %q", text)
		}
		_, doc = app.page("/admin/users")
		if got := doc.Find(`[data-testid="user-roles"]`).First().Text(); got != "Administrador" {
			t.Errorf("the users list shows the admin's roles as %q", got)
		}
	})
}

func TestAuditSpeaksPortuguese(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createUser("leitora", models.RoleViewer)
		wantStatus(t, app.postForm("/admin/roles", url.Values{"name": {"Secretaria"},
			"permissions": {models.PermListAlunos, models.PermShowAlunos}}), http.StatusSeeOther)
		wantStatus(t, app.postForm(app.userPath("leitora", ""), url.Values{"roles": {models.RoleEditor}}), http.StatusSeeOther)
		if err := models.NewAuditStore(app.db).Record(t.Context(), models.Actor{Username: "system"}, "user.create", models.AuditUser, "admin", "roles: Admin"); err != nil {
			t.Fatal(err)
		}

		_, doc := app.page("/admin/audit")
		boot := auditRow(doc, "user.create")
		if got := boot.Find(`[data-testid="audit-actor"]`).Text(); got != "sistema" {
			t.Errorf("the system is shown as %q", got)
		}
		if got := boot.Find(`[data-testid="audit-summary"]`).Text(); got != "Papéis: Administrador" {
			t.Errorf("a new user's roles are shown as %q", got)
		}
		if _, n, ok := changeShown(auditRow(doc, "role.create"), "Permissões"); !ok || n != "Listar alunos, Ver ficha de aluno" {
			t.Errorf("a new role's permissions are shown as %q (row found: %t)", n, ok)
		}
		if o, n, ok := changeShown(auditRow(doc, "user.update"), "Papéis"); !ok || o != "Consulta" || n != "Editor" {
			t.Errorf("a role change is shown as %q → %q (row found: %t)", o, n, ok)
		}
		if o, n, ok := changeShown(auditRow(doc, "user.update"), "Ativo"); !ok || o != "Sim" || n != "Não" {
			t.Errorf("deactivation is shown as %q → %q (row found: %t)", o, n, ok)
		}
		if body := doc.Find(`[data-testid="audit-table"]`).Text(); strings.Contains(body, "can_") || strings.Contains(body, "roles:") {
			t.Errorf("the audit table shows internal words: %q", body)
		}
	})
}
