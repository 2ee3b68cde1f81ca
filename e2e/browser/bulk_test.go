package browser

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// TestMovingStudentsInBulk is the secretary moving part of a class to
// another turma: select the page, leave one out, "Mover para turma…",
// choose the turma, confirm what will change, and find the students moved
// on the list and the move in a student's history.
func TestMovingStudentsInBulk(t *testing.T) {
	browser := startBrowser(t)
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		app := startApp(t, db)
		password := app.createUser(t, "secretaria", models.RoleEditor)
		p := newTab(t, browser, app.URL)
		p.signIn("/alunos", "secretaria", password)
		for _, s := range []student{
			{"Ana Lima", "4B", "2025-1"}, {"Bruno Reis", "4B", "2025-2"}, {"Carla Dias", "4B", "2025-3"}, {"Davi Souza", "4B", "2025-4"},
		} {
			p.addStudent(s)
		}
		p.open("/alunos?sort=nome")
		p.check(testid("select-page"))
		p.toggle(`input[aria-label="Selecionar Davi Souza"]`) // unchecks him: three remain
		if got := p.text("[data-bulk-count]"); got != "3 selecionados:" {
			t.Errorf("the bar says %q, want 3 selected", got)
		}
		if p.checked(testid("select-page")) {
			t.Error("\"select all on this page\" stays checked with a row unchecked")
		}

		if status := p.click(testid("bulk-move")); status != http.StatusOK {
			t.Fatalf("Mover para turma… gave %d", status)
		}
		p.fill(`input[name="turma"]`, "5C")
		if status := p.click(testid("continue")); status != http.StatusOK {
			t.Fatalf("choosing the turma gave %d", status)
		}
		rows := p.texts(testid("bulk-row"))
		if len(rows) != 3 || !strings.Contains(rows[0], "Ana Lima") || !strings.Contains(rows[0], "4B → 5C") {
			t.Fatalf("the confirmation lists %q, want Ana, Bruno and Carla moving 4B → 5C", rows)
		}
		if got := p.text(testid("bulk-summary")); !strings.Contains(got, "3 alunos vão para a turma 5C") || !strings.Contains(got, "será criada") {
			t.Errorf("summary %q", got)
		}
		if status := p.click(testid("confirm")); status != http.StatusOK || p.path() != "/alunos?sort=nome" {
			t.Fatalf("confirming led to %s (%d), want the list", p.path(), status)
		}
		expectFlash(p, "3 alunos movidos para a turma 5C.")
		if got := strings.Join(p.texts(testid("aluno-row")+` td[data-label="Turma"]`), " "); got != "5C 5C 5C 4B" {
			t.Errorf("turmas on the list: %s, want Davi alone left in 4B", got)
		}

		p.click(testid("aluno-row") + ` td[data-label="Nome"] a`)
		entry := p.text(testid("history-entry"))
		if !strings.Contains(entry, "Aluno alterado") || !strings.Contains(entry, "4B") || !strings.Contains(entry, "5C") {
			t.Errorf("Ana's latest history entry: %q, want the move from 4B to 5C", entry)
		}
	})
}

// toggle clicks a checkbox, whichever way it is (no page load follows).
func (p *tab) toggle(sel string) {
	p.t.Helper()
	run(p, "click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// checked reports whether a checkbox is checked.
func (p *tab) checked(sel string) bool {
	p.t.Helper()
	return run(p, "checked of "+sel, chromedp.JavascriptAttribute[bool](chromedp.CSS(sel), "checked"))
}
