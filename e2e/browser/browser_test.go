package browser

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// The student the scenario creates: accents and an apostrophe in the
// name, and an RA typed in lower case (stored in upper case).
const (
	nome    = "Zoë Conceição d'Ávila"
	turma   = "3º ano A"
	raTyped = "ra-2024.001"
	raSaved = "RA-2024.001"
)

var studentPath = regexp.MustCompile(`^/alunos/[0-9]+$`)

// TestStudentLifecycle walks a person's path through the students screens
// as an Editor: signing in, the empty list, a form sent empty and then
// half filled, a new student, a search without accents, an edit and a
// confirmed deletion.
func TestStudentLifecycle(t *testing.T) {
	browser := startBrowser(t)
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		app := startApp(t, db)
		password := app.createUser(t, "secretaria", models.RoleEditor)
		p := newTab(t, browser, app.URL)
		p.signIn("/alunos", "secretaria", password)
		seeEmptyList(p)
		addStudentAfterErrors(p)
		p.addStudent(student{"Maria Conceito Lima", "3º ano A", "2024-002"})
		p.addStudent(student{"João Pedro Santos", "2º ano B", "2024-003"})
		searchWithoutAccents(p)
		editStudent(p)
		deleteStudent(p)
	})
}

func seeEmptyList(p *tab) {
	if got := p.text(testid("empty-state")); !strings.Contains(got, "Nenhum aluno cadastrado") {
		p.t.Errorf("empty state says %q, want it to say no student is registered yet", got)
	}
	if n := p.count(testid("aluno-row")); n != 0 {
		p.t.Errorf("empty list shows %d rows", n)
	}
}

// addStudentAfterErrors sends the new-student form empty, then half filled
// with an invalid RA, then right.
func addStudentAfterErrors(p *tab) {
	if status := p.click(testid("new-aluno")); status != http.StatusOK || p.path() != "/alunos/new" {
		p.t.Fatalf("Novo aluno led to %s (status %d), want /alunos/new", p.path(), status)
	}

	if status := p.click(testid("save")); status != http.StatusUnprocessableEntity {
		p.t.Errorf("empty form: status %d, want 422", status)
	}
	for _, field := range []string{"nome", "turma", "ra"} {
		expectFieldError(p, field)
	}

	p.fill(field("turma"), turma)
	p.fill(field("ra"), "ra 2024!")
	if status := p.click(testid("save")); status != http.StatusUnprocessableEntity {
		p.t.Errorf("form without nome: status %d, want 422", status)
	}
	expectFieldError(p, "nome")
	expectFieldError(p, "ra")
	if n := p.count(testid("error-turma")); n != 0 {
		p.t.Errorf("a valid turma still shows an error")
	}
	if got := p.value(field("turma")); got != turma {
		p.t.Errorf("turma after the error = %q, want what was typed, %q", got, turma)
	}
	if got := p.value(field("ra")); got != "ra 2024!" {
		p.t.Errorf("ra after the error = %q, want what was typed, %q", got, "ra 2024!")
	}

	p.fill(field("nome"), nome)
	p.fill(field("ra"), raTyped)
	if status := p.click(testid("save")); status != http.StatusOK || !studentPath.MatchString(p.path()) {
		p.t.Fatalf("saving led to %s (status %d), want the student's page", p.path(), status)
	}
	expectFlash(p, "Aluno adicionado com sucesso!")
	expectStudent(p, nome, turma, raSaved)

	if status := p.open(p.path()); status != http.StatusOK {
		p.t.Errorf("reloading the student's page: status %d", status)
	}
	if n := p.count(testid("flash")); n != 0 {
		p.t.Errorf("the flash message is shown again after a reload")
	}
}

// expectFieldError checks that name's message is shown right after its
// input, and that the input points to it.
func expectFieldError(p *tab, name string) {
	p.t.Helper()
	input := field(name)
	msg := p.text(input + " + " + testid("error-"+name))
	if msg == "" {
		p.t.Errorf("%s: empty error message", name)
	}
	if got := p.attr(input, "aria-invalid"); got != "true" {
		p.t.Errorf("%s: aria-invalid = %q, want true", name, got)
	}
	describedBy := p.attr(input, "aria-describedby")
	if describedBy == "" || p.text("#"+describedBy) != msg {
		p.t.Errorf("%s: aria-describedby = %q does not point to the message %q", name, describedBy, msg)
	}
}

func expectFlash(p *tab, want string) {
	p.t.Helper()
	if got := p.text(testid("flash")); got != want {
		p.t.Errorf("flash = %q, want %q", got, want)
	}
}

func expectStudent(p *tab, nome, turma, ra string) {
	p.t.Helper()
	for id, want := range map[string]string{"aluno-nome": nome, "aluno-turma": turma, "aluno-ra": ra} {
		if got := p.text(testid(id)); got != want {
			p.t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
}

// searchWithoutAccents goes back to the list and finds the student by a
// word of the name typed without accents, in lower case.
func searchWithoutAccents(p *tab) {
	p.click(`main a[href="/alunos"]`)
	if n := p.count(testid("aluno-row")); n != 3 {
		p.t.Fatalf("list shows %d rows, want 3", n)
	}
	p.fill(testid("search-form")+` input[name="q"]`, "conceicao")
	if status := p.click(testid("search-form") + ` button[type="submit"]`); status != http.StatusOK {
		p.t.Fatalf("search: status %d", status)
	}
	names := p.texts(testid("aluno-row") + ` td[data-label="Nome"]`)
	if !slices.Equal(names, []string{nome}) {
		p.t.Fatalf(`search "conceicao" found %q, want only %q`, names, nome)
	}
	if got := p.text(testid("aluno-row") + ` td[data-label="RA"]`); got != raSaved {
		p.t.Errorf("RA in the row = %q, want %q", got, raSaved)
	}
	if got := p.value(testid("search-form") + ` input[name="q"]`); got != "conceicao" {
		p.t.Errorf("search box after the search = %q, want the words searched", got)
	}
}

// editStudent opens the student from the search result and changes turma.
func editStudent(p *tab) {
	p.click(testid("aluno-row") + ` td[data-label="Nome"] a`)
	if status := p.click(testid("edit")); status != http.StatusOK {
		p.t.Fatalf("edit form: status %d", status)
	}
	if got := p.value(field("nome")); got != nome {
		p.t.Errorf("edit form nome = %q, want %q", got, nome)
	}
	p.fill(field("turma"), "3º ano B")
	if status := p.click(testid("save")); status != http.StatusOK || !studentPath.MatchString(p.path()) {
		p.t.Fatalf("saving the edit led to %s (status %d)", p.path(), status)
	}
	expectFlash(p, "Alterações salvas.")
	expectStudent(p, nome, "3º ano B", raSaved)
}

// deleteStudent deletes the student through the confirmation step.
func deleteStudent(p *tab) {
	studentURL := p.path()
	p.click(testid("delete"))
	if got := p.text(testid("confirm-delete")); !strings.Contains(got, nome) {
		p.t.Errorf("confirmation %q does not name the student", got)
	}
	if status := p.click(testid("confirm")); status != http.StatusOK || p.path() != "/alunos" {
		p.t.Fatalf("deleting led to %s (status %d), want /alunos", p.path(), status)
	}
	expectFlash(p, "Aluno "+nome+" (RA "+raSaved+") excluído.")
	names := p.texts(testid("aluno-row") + ` td[data-label="Nome"]`)
	if len(names) != 2 || slices.Contains(names, nome) {
		p.t.Errorf("after deleting, the list shows %q", names)
	}
	if status := p.open(studentURL); status != http.StatusNotFound {
		p.t.Errorf("GET %s after deleting: status %d, want 404", studentURL, status)
	}
	if got := p.text(testid("error-page")); !strings.Contains(got, "não encontrado") {
		p.t.Errorf("page of the deleted student says %q, want that it was not found", got)
	}
}
