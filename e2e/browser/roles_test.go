package browser

import (
	"net/http"
	"strings"
	"testing"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/views"
)

// person is someone the administrator registers through the browser.
type person struct {
	username, password, role string
}

// The student the Editor registers, and what the edit changes.
var (
	rolesStudent = student{"Letícia Fagundes", "1º ano A", "2025-101"}
	rolesEdited  = student{"Letícia Fagundes Brandão", "1º ano B", "2025-101"}
)

// TestRolesWalkthrough is one browser window used in turn by three people:
// an administrator registers an Editor and a Viewer through the users
// screens; the Editor adds a student and edits it; the Viewer can read the
// student but is offered no way to change it, and is refused the edit
// page; after signing out, the students list asks for a login again.
func TestRolesWalkthrough(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		browser := startBrowser(t) // one per database: each gets the whole browserTimeout
		app := startApp(t, db)
		adminPassword := app.createUser(t, "diretora", models.RoleAdmin)
		editor := person{"coordenadora", auth.GeneratePassword(), models.RoleEditor}
		viewer := person{"professor", auth.GeneratePassword(), models.RoleViewer}
		p := newSharedTab(t, browser, app.URL)

		p.signIn("/alunos", "diretora", adminPassword)
		adminCreatesUsers(p, editor, viewer)
		p.signOut()

		p.signIn("/alunos", editor.username, editor.password)
		studentURL := editorAddsAndEdits(p, editor)
		p.signOut()

		p.signIn("/alunos", viewer.username, viewer.password)
		viewerOnlyReads(p, studentURL, editor)
		viewerIsRefusedChanges(p, studentURL)
		p.signOut()

		signedOutIsSentToLogin(p)
	})
}

// adminCreatesUsers opens Usuários from the menu and registers each person
// through the new-user form: username, one role ticked, the password typed
// twice.
func adminCreatesUsers(p *tab, people ...person) {
	p.t.Helper()
	if got := p.text(menuLink("/admin/users")); got != "Usuários" {
		p.t.Errorf("the admin's menu entry for /admin/users says %q, want Usuários", got)
	}
	if status := p.click(menuLink("/admin/users")); status != http.StatusOK || p.path() != "/admin/users" {
		p.t.Fatalf("Usuários led to %s (status %d), want /admin/users", p.path(), status)
	}
	for _, u := range people {
		if status := p.click(testid("new-user")); status != http.StatusOK || p.path() != "/admin/users/new" {
			p.t.Fatalf("Novo usuário led to %s (status %d), want /admin/users/new", p.path(), status)
		}
		p.fill(userField("username"), u.username)
		p.check(roleBox(u.role))
		p.fill(userField("password"), u.password)
		p.fill(userField("password_confirm"), u.password)
		status := p.click(testid("user-form") + " " + testid("save"))
		if status != http.StatusOK || p.path() != "/admin/users" {
			msg := ""
			if p.count(`[role="alert"]`) > 0 {
				msg = p.text(`[role="alert"]`)
			}
			p.t.Fatalf("creating %s led to %s (status %d, says %q), want /admin/users", u.username, p.path(), status, msg)
		}
		expectFlash(p, "Usuário "+u.username+" criado.")
	}
	roles := p.userRoles()
	want := map[string]string{"diretora": views.RoleLabel(models.RoleAdmin)} // the screen names roles in Portuguese
	for _, u := range people {
		want[u.username] = views.RoleLabel(u.role)
	}
	for name, role := range want {
		if got, ok := roles[name]; !ok || got != role {
			p.t.Errorf("users table: %s has roles %q (listed: %t), want %q", name, got, ok, role)
		}
	}
}

// editorAddsAndEdits registers a student through the form, then changes
// its name and turma, and returns the student's page.
func editorAddsAndEdits(p *tab, editor person) string {
	p.t.Helper()
	if n := p.count(menuLink("/admin/users")); n != 0 {
		p.t.Errorf("the Editor's menu offers Usuários")
	}
	if status := p.click(testid("new-aluno")); status != http.StatusOK || p.path() != "/alunos/new" {
		p.t.Fatalf("Novo aluno led to %s (status %d), want /alunos/new", p.path(), status)
	}
	p.fill(field("nome"), rolesStudent.nome)
	p.fill(field("turma"), rolesStudent.turma)
	p.fill(field("ra"), rolesStudent.ra)
	if status := p.click(testid("save")); status != http.StatusOK || !studentPath.MatchString(p.path()) {
		p.t.Fatalf("saving the new student led to %s (status %d), want the student's page", p.path(), status)
	}
	expectFlash(p, "Aluno adicionado com sucesso!")
	expectStudent(p, rolesStudent.nome, rolesStudent.turma, rolesStudent.ra)
	studentURL := p.path()

	if status := p.click(testid("edit")); status != http.StatusOK || p.path() != studentURL+"/edit" {
		p.t.Fatalf("Editar led to %s (status %d), want %s/edit", p.path(), status, studentURL)
	}
	if got := p.value(field("nome")); got != rolesStudent.nome {
		p.t.Errorf("edit form nome = %q, want %q", got, rolesStudent.nome)
	}
	p.fill(field("nome"), rolesEdited.nome)
	p.fill(field("turma"), rolesEdited.turma)
	if status := p.click(testid("save")); status != http.StatusOK || p.path() != studentURL {
		p.t.Fatalf("saving the edit led to %s (status %d), want %s", p.path(), status, studentURL)
	}
	expectFlash(p, "Alterações salvas.")
	expectStudent(p, rolesEdited.nome, rolesEdited.turma, rolesEdited.ra)

	if status := p.open("/admin/users"); status != http.StatusForbidden {
		p.t.Errorf("the Editor opening /admin/users: status %d, want 403", status)
	}
	if status := p.open(studentURL); status != http.StatusOK {
		p.t.Fatalf("back to %s: status %d", studentURL, status)
	}
	return studentURL
}

// viewerOnlyReads finds the student in the list and opens its page: both
// show the data, neither offers to add, edit or delete.
func viewerOnlyReads(p *tab, studentURL string, editor person) {
	p.t.Helper()
	for _, href := range []string{"/admin/users", "/admin/roles", "/admin/audit"} {
		if n := p.count(menuLink(href)); n != 0 {
			p.t.Errorf("the Viewer's menu offers %s", href)
		}
	}
	names := p.texts(testid("aluno-row") + ` td[data-label="Nome"]`)
	if len(names) != 1 || names[0] != rolesEdited.nome {
		p.t.Fatalf("the Viewer's list shows %q, want only %q", names, rolesEdited.nome)
	}
	expectNoChangeControls(p, "list")

	if status := p.click(testid("aluno-row") + ` td[data-label="Nome"] a`); status != http.StatusOK || p.path() != studentURL {
		p.t.Fatalf("the student's name led to %s (status %d), want %s", p.path(), status, studentURL)
	}
	expectStudent(p, rolesEdited.nome, rolesEdited.turma, rolesEdited.ra)
	expectNoChangeControls(p, "student page")
	history := p.texts(testid("history-entry"))
	if len(history) != 2 {
		p.t.Errorf("the student's history has %d entries, want 2 (created, changed): %q", len(history), history)
	}
	for _, entry := range history {
		if !strings.Contains(entry, editor.username) {
			p.t.Errorf("history entry %q does not name the Editor %s", entry, editor.username)
		}
	}
}

// expectNoChangeControls checks that the page offers no way to add, edit
// or delete a student: neither the hooks nor links or forms to those
// addresses, nor the words on a button.
func expectNoChangeControls(p *tab, where string) {
	p.t.Helper()
	for _, sel := range []string{
		testid("edit"), testid("delete"), testid("new-aluno"),
		`a[href="/alunos/new"]`, `a[href$="/edit"]`, `a[href$="/delete"]`,
		`form[method="post"][action^="/alunos"]`,
	} {
		if n := p.count(sel); n != 0 {
			p.t.Errorf("the Viewer's %s has %d of %s", where, n, sel)
		}
	}
	body := p.bodyText()
	for _, words := range []string{"Novo aluno", "Editar", "Excluir"} {
		if strings.Contains(body, words) {
			p.t.Errorf("the Viewer's %s shows %q", where, words)
		}
	}
}

// viewerIsRefusedChanges types the change addresses in directly and gets
// the friendly 403 page each time, with the student left as it was.
func viewerIsRefusedChanges(p *tab, studentURL string) {
	p.t.Helper()
	for _, path := range []string{studentURL + "/edit", studentURL + "/delete", "/alunos/new"} {
		if status := p.open(path); status != http.StatusForbidden {
			p.t.Errorf("the Viewer opening %s: status %d, want 403", path, status)
		}
		page := p.text(testid("error-page"))
		if !strings.Contains(page, "403") || !strings.Contains(page, "Acesso negado") {
			p.t.Errorf("%s: error page says %q, want 403 and Acesso negado", path, page)
		}
		if n := p.count(testid("aluno-form")); n != 0 {
			p.t.Errorf("%s: the refused page still shows the student form", path)
		}
		if n := p.count(testid("confirm")); n != 0 {
			p.t.Errorf("%s: the refused page still offers to confirm a deletion", path)
		}
	}
	if status := p.open(studentURL); status != http.StatusOK {
		p.t.Fatalf("back to %s: status %d", studentURL, status)
	}
	expectStudent(p, rolesEdited.nome, rolesEdited.turma, rolesEdited.ra)
}

// signedOutIsSentToLogin opens the students list with no session left.
func signedOutIsSentToLogin(p *tab) {
	p.t.Helper()
	if status := p.open("/alunos"); status != http.StatusOK {
		p.t.Errorf("signed out, /alunos ended on status %d, want the login page's 200", status)
	}
	if got, want := p.path(), "/login?next=%2Falunos"; got != want {
		p.t.Errorf("signed out, /alunos led to %s, want %s", got, want)
	}
	p.text(testid("login")) // the login form shows
	if n := p.count(testid("aluno-row")); n != 0 {
		p.t.Errorf("signed out, the page shows %d students", n)
	}
}
