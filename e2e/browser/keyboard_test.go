package browser

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// focused is the element that has the keyboard focus, as a person sees it.
type focused struct {
	Stop    string // what it is: its data-testid, name, or text
	Ring    bool   // a visible outline or box-shadow marks it
	OnPage  bool   // inside the window, not hidden away
	Invalid string // its aria-invalid
}

// focusedJS describes document.activeElement.
const focusedJS = `(() => {
	const e = document.activeElement;
	const s = getComputedStyle(e);
	const opaque = c => !/rgba\(.*,\s*0\)$/.test(c) && c !== "transparent";
	const r = e.getBoundingClientRect();
	return {
		stop: e.dataset.testid || e.getAttribute("name") || e.id || (e.textContent || "").trim(),
		ring: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && opaque(s.outlineColor)) || s.boxShadow !== "none",
		onPage: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
		invalid: e.getAttribute("aria-invalid") || "",
	};
})()`

// press sends one key to the page.
func (p *tab) press(key string) {
	p.t.Helper()
	run(p, "press key", chromedp.KeyEvent(key))
}

// focus is the element with the focus.
func (p *tab) focus() focused {
	p.t.Helper()
	return eval[focused](p, "focused element", focusedJS)
}

// tabThrough presses Tab n times and returns where the focus went; every
// stop must be on the page and show a focus ring.
func (p *tab) tabThrough(n int) []string {
	p.t.Helper()
	var stops []string
	for range n {
		p.press(kb.Tab)
		f := p.focus()
		if !f.Ring || !f.OnPage {
			p.t.Errorf("%s has the focus without a visible ring (ring %v, on the page %v)", f.Stop, f.Ring, f.OnPage)
		}
		stops = append(stops, f.Stop)
	}
	return stops
}

// skipToContent checks that the first Tab reaches the skip link, shown,
// and that Enter on it moves the focus to the page's content.
func (p *tab) skipToContent() {
	p.t.Helper()
	if stops := p.tabThrough(1); stops[0] != "skip-link" {
		p.t.Fatalf("the first tab stop is %q, want the skip link", stops[0])
	}
	p.press(kb.Enter)
	if got := eval[string](p, "focus after skipping", `document.activeElement.id`); got != "main" {
		p.t.Fatalf("the skip link moved the focus to %q, want the main content", got)
	}
}

// TestKeyboardOnly walks the list and a form with the keyboard alone: a
// skip link first, a tab order that follows the page, a visible focus on
// every stop, errors that take the focus, a form sent with Enter.
func TestKeyboardOnly(t *testing.T) {
	browser := startBrowser(t)
	app := startApp(t, modelstest.SQLite(t))
	password := app.createUser(t, "auxiliar", models.RoleEditor)
	seedScreens(t, app)
	p := newTab(t, browser, app.URL)
	p.signIn("/alunos", "auxiliar", password)

	want := []string{"schooladmin", "Painel", "Alunos", "Turmas", "Lixeira", "account-link", "logout"}
	if got := p.tabThrough(len(want) + 1)[1:]; !slices.Equal(got, want) {
		t.Errorf("tab stops of the top bar: %q, want %q", got, want)
	}
	p.open("/alunos")
	p.skipToContent()
	want = []string{"import-alunos", "new-aluno", "q", "turma", "sort-select", "search-submit",
		"select-page", "bulk-move", "bulk-delete", "export-csv", "export-xlsx", "RA", "Nome", "Turma", "Alterado em"}
	if got := p.tabThrough(len(want) + 6); !slices.Equal(got[:len(want)], want) || !strings.Contains(strings.Join(got[len(want):], ","), "João Pedro Santos") {
		t.Errorf("tab stops of the list: %q, want %q and then the students", got, want)
	}

	p.open("/alunos/new")
	p.skipToContent()
	want = []string{"nome", "turma", "ra", "save", "save-and-new", "Cancelar"}
	if got := p.tabThrough(len(want)); !slices.Equal(got, want) {
		t.Errorf("tab stops of the form: %q, want %q", got, want)
	}
	p.open("/alunos/new")
	p.skipToContent()
	p.tabThrough(4) // to Salvar
	p.press(kb.Enter)
	run(p, "wait for the errors", chromedp.WaitVisible(chromedp.CSS(testid("error-nome"))))
	if f := p.focus(); f.Stop != "nome" || f.Invalid != "true" {
		t.Errorf("after the errors the focus is on %q (aria-invalid %q), want the first invalid field, nome", f.Stop, f.Invalid)
	}
	for _, text := range []string{"Íris Yamamoto", kb.Tab + "5º B", kb.Tab + "2024-0107"} {
		p.press(text)
	}
	p.press(kb.Enter)
	run(p, "wait for the student", chromedp.WaitVisible(chromedp.CSS(testid("aluno-nome"))))
	if got := p.text(testid("aluno-nome")); got != "Íris Yamamoto" {
		t.Errorf("the form sent with Enter saved %q", got)
	}
	expectStatus(t, "student page", p.open(p.path()), http.StatusOK)
}
