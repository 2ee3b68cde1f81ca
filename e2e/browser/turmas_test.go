package browser

import (
	"net/http"
	"regexp"
	"slices"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

var turmaPath = regexp.MustCompile(`^/turmas/\d+$`)

// TestTurmasEndToEnd is the secretary setting up a turma in the browser:
// creating it, adding students from its page, finding them there in
// alphabetical order, renaming the turma (its students move with it),
// and being told a turma with students cannot be deleted.
func TestTurmasEndToEnd(t *testing.T) {
	browser := startBrowser(t)
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		app := startApp(t, db)
		password := app.createUser(t, "secretaria", models.RoleEditor)
		p := newTab(t, browser, app.URL)
		p.signIn("/turmas", "secretaria", password)

		p.click(testid("new-turma"))
		p.fill(turmaField("codigo"), "5º B")
		p.fill(turmaField("ano_letivo"), "2026")
		if status := p.click(testid("save")); status != http.StatusOK || !turmaPath.MatchString(p.path()) {
			t.Fatalf("creating the turma led to %s (status %d)", p.path(), status)
		}
		expectFlash(p, "Turma 5º B adicionada.")
		turma := p.path()

		for _, s := range []student{{"Zeca Moura", "", "2026-502"}, {"Álvaro Dias", "", "2026-501"}} {
			p.open(turma)
			p.click(testid("new-aluno"))
			if got := p.value(field("turma")); got != "5º B" {
				t.Fatalf("the turma's new-student form has turma %q", got)
			}
			p.fill(field("nome"), s.nome)
			p.fill(field("ra"), s.ra)
			if status := p.click(testid("save")); status != http.StatusOK || !studentPath.MatchString(p.path()) {
				t.Fatalf("adding %s led to %s (status %d)", s.nome, p.path(), status)
			}
		}

		p.open(turma + "?sort=nome")
		if got := p.texts(testid("aluno-row") + " .col-nome"); !slices.Equal(got, []string{"Álvaro Dias", "Zeca Moura"}) {
			t.Fatalf("the turma's students in order: %q", got)
		}
		if got := p.text(testid("turma-alunos")); got != "2" {
			t.Errorf("the turma counts %q students, want 2", got)
		}

		p.click(testid("edit"))
		p.fill(turmaField("codigo"), "5º C")
		if status := p.click(testid("save")); status != http.StatusOK || p.path() != turma {
			t.Fatalf("renaming led to %s (status %d)", p.path(), status)
		}
		p.open("/alunos?turma=5%C2%BA%20C")
		if got := p.count(testid("aluno-row")); got != 2 {
			t.Fatalf("%d students in 5º C after the rename, want both", got)
		}

		p.open(turma + "/delete")
		if got := p.text(testid("not-empty")); got == "" {
			t.Fatal("deleting a turma with students is offered")
		}
	})
}

// turmaField is the CSS selector of the turma form's input named name.
func turmaField(name string) string {
	return testid("turma-form") + ` input[name="` + name + `"]`
}
