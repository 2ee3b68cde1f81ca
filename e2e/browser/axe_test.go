package browser

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// axeSource is axe-core, vendored from the npm registry (see
// testdata/axe/README.md).
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// axeRelease is the axe-core release vendored, and its file's SHA-256.
const (
	axeRelease = "4.14.1"
	axeSHA256  = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
)

func TestVendoredAxeIsThePinnedRelease(t *testing.T) {
	sum := sha256.Sum256([]byte(axeSource))
	if got := hex.EncodeToString(sum[:]); got != axeSHA256 {
		t.Errorf("testdata/axe/axe.min.js has SHA-256 %s, want %s (axe-core %s as published)", got, axeSHA256, axeRelease)
	}
	if !strings.HasPrefix(axeSource, "/*! axe v"+axeRelease+"\n") {
		t.Errorf("testdata/axe/axe.min.js does not start with axe-core %s's banner", axeRelease)
	}
}

// axeViolation is one rule a page breaks, as axe reports it.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct{ Target, Summary string }
}

// axeRun runs axe on the page and returns what it found, every impact.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help,
	nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
})))`

// axeViolations runs axe-core on the page shown, injecting it first.
func (p *tab) axeViolations(screen string) []axeViolation {
	p.t.Helper()
	if !eval[bool](p, "axe loaded?", `typeof axe === "object"`) {
		run(p, "inject axe", chromedp.Evaluate[chromedp.Void](axeSource))
	}
	return run(p, "axe on "+screen, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
}

// axe checks the page shown with axe-core: a violation of impact serious
// or critical fails the test, the others are logged.
func (p *tab) axe(screen string) {
	p.t.Helper()
	for _, v := range p.axeViolations(screen) {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprintf("  %s: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " ")))
		}
		report := fmt.Sprintf("%s: axe %s (%s): %s\n%s", screen, v.ID, v.Impact, v.Help, strings.Join(where, "\n"))
		if v.Impact == "serious" || v.Impact == "critical" {
			p.t.Error(report)
		} else {
			p.t.Log(report)
		}
	}
}

// The harness itself: axe, injected into a page of the app (under its
// Content-Security-Policy), reports an image without a text alternative
// and grey text on grey.
func TestAxeFindsViolations(t *testing.T) {
	browser := startBrowser(t)
	app := startApp(t, modelstest.SQLite(t))
	p := newTab(t, browser, app.URL)
	visit("/login", http.StatusOK)(p)
	eval[bool](p, "break the page", `(() => {
		const img = document.createElement("img");
		img.src = "/favicon.ico";
		const low = document.createElement("p");
		low.textContent = "quase invisível";
		low.className = "card";
		low.setAttribute("data-testid", "low");
		document.querySelector("main").append(img, low);
		document.styleSheets[0].insertRule('[data-testid="low"] { color: #ccc; background: #ddd; }');
		return true;
	})()`)
	found := map[string]string{}
	for _, v := range p.axeViolations("a broken login page") {
		found[v.ID] = v.Impact
	}
	if found["image-alt"] != "critical" || found["color-contrast"] != "serious" {
		t.Errorf("axe found %v, want image-alt (critical) and color-contrast (serious)", found)
	}
}

// axeTimeout bounds the walk of every screen in four screen settings; one
// walk takes about 25 s on two busy cores.
const axeTimeout = 8 * time.Minute

// screen is a state of the app a person can see, reached from the one
// before it in the list.
type screen struct {
	name string
	open func(p *tab)
}

// visit opens path and expects status.
func visit(path string, status int) func(p *tab) {
	return func(p *tab) {
		p.t.Helper()
		if got := p.open(path); got != status {
			p.t.Fatalf("%s: status %d, want %d", path, got, status)
		}
	}
}

// submit presses a form's button and expects status (a form with errors
// comes back with 422).
func submit(button string, status int) func(p *tab) {
	return func(p *tab) {
		p.t.Helper()
		if got := p.click(testid(button)); got != status {
			p.t.Fatalf("%s: status %d, want %d", button, got, status)
		}
	}
}

// everyScreen lists the screens in the order a tab can walk them, signed
// out first, then as an administrator.
func everyScreen(s seeded, username, password string) []screen {
	signIn := func(p *tab) { p.signIn("/", username, password) }
	wrongLogin := func(p *tab) {
		p.fill(testid("login")+` input[name="username"]`, username)
		p.fill(testid("login")+` input[name="password"]`, "not the password")
		submit("login-submit", http.StatusUnauthorized)(p)
	}
	clearNome := func(p *tab) { p.fill(field("nome"), " "); submit("save", http.StatusUnprocessableEntity)(p) }
	newToken := func(p *tab) {
		p.fill(testid("token-form")+` input[name="name"]`, "planilha")
		submit("create-token", http.StatusOK)(p)
	}
	return []screen{
		{"login", visit("/login", http.StatusOK)},
		{"login, wrong password", wrongLogin},
		{"home (Painel)", signIn},
		{"students list", visit("/alunos", http.StatusOK)},
		{"student", visit("/alunos/"+s.aluno, http.StatusOK)},
		{"new student", visit("/alunos/new", http.StatusOK)},
		{"new student, errors", submit("save", http.StatusUnprocessableEntity)},
		{"edit student", visit("/alunos/"+s.aluno+"/edit", http.StatusOK)},
		{"edit student, errors", clearNome},
		{"delete student", visit("/alunos/"+s.aluno+"/delete", http.StatusOK)},
		{"turmas list", visit("/turmas", http.StatusOK)},
		{"turma", visit("/turmas/"+s.turma, http.StatusOK)},
		{"new turma", visit("/turmas/new", http.StatusOK)},
		{"new turma, errors", submit("save", http.StatusUnprocessableEntity)},
		{"edit turma", visit("/turmas/"+s.turma+"/edit", http.StatusOK)},
		{"delete turma", visit("/turmas/"+s.turma+"/delete", http.StatusOK)},
		{"users", visit("/admin/users", http.StatusOK)},
		{"new user", visit("/admin/users/new", http.StatusOK)},
		{"new user, errors", submit("save", http.StatusUnprocessableEntity)},
		{"user", visit("/admin/users/"+s.user, http.StatusOK)},
		{"delete user", visit("/admin/users/"+s.user+"/delete", http.StatusOK)},
		{"roles", visit("/admin/roles", http.StatusOK)},
		{"new role", visit("/admin/roles/new", http.StatusOK)},
		{"new role, errors", submit("save", http.StatusUnprocessableEntity)},
		{"role", visit("/admin/roles/"+s.role, http.StatusOK)},
		{"built-in role", visit("/admin/roles/"+s.builtIn, http.StatusOK)},
		{"copy of a role", visit("/admin/roles/"+s.builtIn+"/copy", http.StatusOK)},
		{"delete role", visit("/admin/roles/"+s.role+"/delete", http.StatusOK)},
		{"audit", visit("/admin/audit", http.StatusOK)},
		{"account", visit("/account", http.StatusOK)},
		{"account, errors", submit("change-password", http.StatusUnprocessableEntity)},
		{"account, new token", newToken},
		{"not found", visit("/nada-aqui", http.StatusNotFound)},
	}
}

// TestAxeOnEveryScreen runs axe-core on every screen, at laptop and phone
// size, in light and dark mode: no violation of impact serious or
// critical (contrast included) may appear.
func TestAxeOnEveryScreen(t *testing.T) {
	browser := startBrowserWithin(t, axeTimeout)
	app := startApp(t, modelstest.SQLite(t))
	password := app.createUser(t, "diretora", models.RoleAdmin)
	screens := everyScreen(seedScreens(t, app), "diretora", password)
	for _, vp := range viewports {
		for _, scheme := range []string{"light", "dark"} {
			t.Run(vp.name+"/"+scheme, func(t *testing.T) {
				p := newTabWithin(t, browser, app.URL, axeTimeout/2)
				p.setViewport(vp)
				p.emulateMedia("", scheme)
				for _, s := range screens {
					s.open(p)
					p.axe(s.name)
				}
			})
		}
	}
}
