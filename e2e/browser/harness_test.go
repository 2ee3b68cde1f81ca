package browser

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"schooladmin/auth"
	"schooladmin/e2e/e2etest"
	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
)

const (
	// browserTimeout bounds the whole browser's life in one test.
	browserTimeout = 3 * time.Minute
	// flowTimeout bounds one scenario in one tab.
	flowTimeout = 60 * time.Second
	// stepTimeout bounds one wait, so a missing element fails fast.
	stepTimeout = 10 * time.Second
)

// app is the real application, wired as cmd wires it, served over HTTP
// on a test database.
type app struct {
	URL    string
	db     *models.Database
	server *web.Server
}

func startApp(t *testing.T, db *models.Database) *app {
	t.Helper()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := web.New(web.DefaultConfig, db, []byte(strings.Repeat("k", 32)), log)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	ts := httptest.NewServer(srv.Echo)
	t.Cleanup(ts.Close)
	return &app{URL: ts.URL, db: db, server: srv}
}

// createUser adds a user with the roles and returns a new random password.
func (a *app) createUser(t *testing.T, username string, roles ...string) string {
	t.Helper()
	ctx := context.Background()
	password := auth.GeneratePassword()
	hash, err := a.server.Hasher().Hash(ctx, password)
	if err != nil {
		t.Fatalf("hash password: %v", err)
	}
	nu := models.NewUser{Username: username, PasswordHash: hash, Roles: roles}
	if _, err := models.NewUserStore(a.db).Create(ctx, models.Actor{Username: "e2e"}, nu); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return password
}

// findChromium returns the path of a Chromium-based browser, or "".
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}

// startBrowser starts a headless Chromium with a fresh profile and returns
// its context; tabs are opened with newTab. Without a browser the test is
// skipped (failed when every suite is required).
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	return startBrowserWithin(t, browserTimeout)
}

// startBrowserWithin is startBrowser for a test that needs the browser
// longer than browserTimeout.
func startBrowserWithin(t *testing.T, lifetime time.Duration) context.Context {
	t.Helper()
	path := findChromium()
	if path == "" {
		modelstest.SkipUnlessRequired(t, "chromium not found (looked for chromium, chromium-browser, google-chrome; apt-get install chromium)")
	}
	var out e2etest.LockedBuffer
	ctx, cancel := context.WithTimeout(context.Background(), lifetime)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 800),
		chromedp.CombinedOutput(&out),
	)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc() // waits for the browser to exit, before TempDir goes
		cancel()
		if t.Failed() {
			t.Logf("chromium output (D-Bus noise left out):\n%s", withoutDBus(out.String()))
		}
	})
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return browserCtx
}

// withoutDBus drops the lines in which Chromium complains that a
// container has no D-Bus: they are always there and never the cause.
func withoutDBus(log string) string {
	var kept []string
	for line := range strings.Lines(log) {
		if !strings.Contains(line, "dbus") {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "")
}

// tab is one browser tab, with its own cookies, on the app at base. Every
// method fails the test at once, saying what it waited for.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// newTab opens a tab in a fresh browser context (no cookies shared with
// other tabs) whose steps all end within flowTimeout.
func newTab(t *testing.T, browser context.Context, base string) *tab {
	t.Helper()
	tabCtx, cancelTab := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, flowTimeout)
	t.Cleanup(cancel)
	return &tab{t: t, ctx: ctx, base: base}
}

// run runs one action within stepTimeout.
func run[T any](p *tab, what string, action chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// open loads path and returns the HTTP status of the page shown.
func (p *tab) open(path string) int {
	p.t.Helper()
	resp := run(p, "open "+path, chromedp.NavigateResponse(p.base+path))
	return int(resp.Status)
}

// click clicks the element and waits for the page it leads to; it returns
// that page's HTTP status (after redirects).
func (p *tab) click(sel string) int {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		p.t.Fatalf("click %s: %v", sel, err)
	}
	return int(resp.Status)
}

// fill replaces the input's value by typing text into it.
func (p *tab) fill(sel, text string) {
	p.t.Helper()
	run(p, "clear "+sel, chromedp.Clear(chromedp.CSS(sel)))
	run(p, "type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// text is the visible text of the first element that matches sel.
func (p *tab) text(sel string) string {
	p.t.Helper()
	return strings.TrimSpace(run(p, "visible "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)))
}

// value is the current value of an input.
func (p *tab) value(sel string) string {
	p.t.Helper()
	return run(p, "value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// attr is an attribute of the first element that matches sel ("" if unset).
func (p *tab) attr(sel, name string) string {
	p.t.Helper()
	return run(p, name+" of "+sel, chromedp.AttributeValue(chromedp.CSS(sel), name)).Value
}

// count is how many elements match sel now; it does not wait for any.
func (p *tab) count(sel string) int {
	p.t.Helper()
	return len(run(p, "count "+sel, chromedp.Nodes(chromedp.CSSAll(sel), chromedp.AtLeast(0))))
}

// texts is the visible text of every element that matches sel now.
func (p *tab) texts(sel string) []string {
	p.t.Helper()
	nodes := run(p, "find "+sel, chromedp.Nodes(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		text := run(p, "text of "+sel, chromedp.Text(chromedp.NodeIDs{n.NodeID}))
		out = append(out, strings.TrimSpace(text))
	}
	return out
}

// path is the current address, without scheme and host.
func (p *tab) path() string {
	p.t.Helper()
	loc := run(p, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		p.t.Fatalf("location %q: %v", loc, err)
	}
	return u.RequestURI()
}

// signIn opens path, is sent to the login form, signs in there and is
// taken back to path.
func (p *tab) signIn(path, username, password string) {
	p.t.Helper()
	p.open(path)
	if got, want := p.path(), "/login?next="+url.QueryEscape(path); got != want {
		p.t.Fatalf("signed out, %s led to %s, want %s", path, got, want)
	}
	p.fill(testid("login")+` input[name="username"]`, username)
	p.fill(testid("login")+` input[name="password"]`, password)
	if status := p.click(testid("login-submit")); status != http.StatusOK || p.path() != path {
		p.t.Fatalf("signing in led to %s (status %d), want %s", p.path(), status, path)
	}
}

// student is what the new-student form asks for.
type student struct{ nome, turma, ra string }

// addStudent creates a student through the new-student form, so the tests
// depend on the screens and not on the store's API. It sets the values
// without typing them, which is faster.
func (p *tab) addStudent(s student) {
	p.t.Helper()
	p.open("/alunos/new")
	for name, value := range map[string]string{"nome": s.nome, "turma": s.turma, "ra": s.ra} {
		run(p, "set "+name, chromedp.SetValue(chromedp.CSS(field(name)), value))
	}
	if status := p.click(testid("save")); status != http.StatusOK {
		p.t.Fatalf("add student %q: status %d", s.nome, status)
	}
}

// field is the CSS selector of the student form's input named name.
func field(name string) string {
	return testid("aluno-form") + ` input[name="` + name + `"]`
}

// testid is the CSS selector of the element with that data-testid.
func testid(id string) string { return `[data-testid="` + id + `"]` }
