package browser

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// TestTypingAClassList is the secretary typing a class list: "Salvar e
// adicionar outro" saves and opens an empty form with the turma kept;
// while a form is being sent its buttons say so and take no second click.
func TestTypingAClassList(t *testing.T) {
	browser := startBrowser(t)
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		app := startApp(t, db)
		password := app.createUser(t, "secretaria", models.RoleEditor)
		p := newTab(t, browser, app.URL)
		p.signIn("/alunos", "secretaria", password)
		p.open("/alunos/new")
		p.fill(field("nome"), "Ana Lima")
		p.fill(field("turma"), "4º ano B")
		p.fill(field("ra"), "2025-401")

		p.noteButtonsWhenSent()
		status := p.click(testid("save-and-new"))
		next := "/alunos/new?" + url.Values{"turma": {"4º ano B"}}.Encode()
		if status != http.StatusOK || p.path() != next {
			t.Fatalf("Salvar e adicionar outro led to %s (status %d), want %s", p.path(), status, next)
		}
		if got, want := p.buttonsWhenSent(), "Salvar|Salvando… disabled|disabled"; got != want {
			t.Errorf("while the form was sent its buttons were %q, want %q (pressed one busy, all disabled)", got, want)
		}
		expectFlash(p, "Aluno Ana Lima (RA 2025-401) adicionado. Agora o próximo.")
		if got := p.value(field("turma")); got != "4º ano B" {
			t.Errorf("the next form's turma is %q, want the one just used", got)
		}
		if got := p.value(field("nome")); got != "" {
			t.Errorf("the next form's nome is %q, want it empty", got)
		}
		p.fill(field("nome"), "Bruno Reis")
		p.fill(field("ra"), "2025-402")
		if status := p.click(testid("save")); status != http.StatusOK || !studentPath.MatchString(p.path()) {
			t.Fatalf("saving the second student led to %s (status %d)", p.path(), status)
		}
		expectStudent(p, "Bruno Reis", "4º ano B", "2025-402")
	})
}

// noteButtonsWhenSent makes the page note, in its session storage, what
// the submit buttons of a form look like once the form is being sent
// (after the page's own script ran: a window listener runs after the
// document's), so the next page can tell.
func (p *tab) noteButtonsWhenSent() {
	p.t.Helper()
	run(p, "note buttons", chromedp.Evaluate[any](`window.addEventListener("submit", (e) => {
		const buttons = [...e.target.querySelectorAll('button[type="submit"]')];
		sessionStorage.setItem("sent", buttons.map((b) => b.textContent.trim()).join("|") + " " +
			buttons.map((b) => b.disabled ? "disabled" : "enabled").join("|"));
	}); null`))
}

// buttonsWhenSent is what noteButtonsWhenSent noted: the buttons' texts
// and states.
func (p *tab) buttonsWhenSent() string {
	p.t.Helper()
	return run(p, "read note", chromedp.Evaluate[string](`sessionStorage.getItem("sent") || ""`))
}
