package browser

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// walkthroughTimeout bounds a scenario in which several people take turns
// in the same tab, each signing in and out.
const walkthroughTimeout = 2 * time.Minute

// newSharedTab opens a tab like newTab, with cookies of its own, whose
// steps all end within walkthroughTimeout: the tab is the one browser
// window that several people use in turn.
func newSharedTab(t *testing.T, browser context.Context, base string) *tab {
	t.Helper()
	return newTabWithin(t, browser, base, walkthroughTimeout)
}

// newTabWithin opens a tab like newTab whose steps all end within limit.
func newTabWithin(t *testing.T, browser context.Context, base string, limit time.Duration) *tab {
	t.Helper()
	tabCtx, cancelTab := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, limit)
	t.Cleanup(cancel)
	return &tab{t: t, ctx: ctx, base: base}
}

// check ticks a checkbox that leads nowhere, and makes sure it is ticked.
func (p *tab) check(sel string) {
	p.t.Helper()
	run(p, "tick "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if !run(p, "checked of "+sel, chromedp.JavascriptAttribute[bool](chromedp.CSS(sel), "checked")) {
		p.t.Fatalf("%s is not ticked after a click", sel)
	}
}

// bodyText is all the text the page shows.
func (p *tab) bodyText() string {
	p.t.Helper()
	return p.text("body")
}

// signOut presses "Sair" and expects the login form, with no session
// controls left on the page.
func (p *tab) signOut() {
	p.t.Helper()
	if got := p.text(testid("logout")); got != "Sair" {
		p.t.Errorf("logout button says %q, want Sair", got)
	}
	if status := p.click(testid("logout")); status != http.StatusOK || p.path() != "/login" {
		p.t.Fatalf("Sair led to %s (status %d), want /login", p.path(), status)
	}
	p.text(testid("login")) // waits for the login form to show
	if n := p.count(testid("logout")); n != 0 {
		p.t.Errorf("the login page after Sair still shows %d logout buttons", n)
	}
	if n := p.count(testid("account-link")); n != 0 {
		p.t.Errorf("the login page after Sair still links to an account")
	}
}

// menuLink is the CSS selector of the main menu's entry leading to href.
func menuLink(href string) string {
	return `nav.menu a[href="` + href + `"]`
}

// userField is the CSS selector of the user form's input named name.
func userField(name string) string {
	return testid("user-form") + ` input[name="` + name + `"]`
}

// roleBox is the CSS selector of the user form's checkbox for role.
func roleBox(role string) string {
	return testid("roles") + ` input[type="checkbox"][name="roles"][value="` + role + `"]`
}

// userRoles reads the users table: username → the roles column.
func (p *tab) userRoles() map[string]string {
	p.t.Helper()
	names := p.texts(testid("user-row") + " " + testid("user-name"))
	roles := p.texts(testid("user-row") + " " + testid("user-roles"))
	if len(names) != len(roles) {
		p.t.Fatalf("users table: %d names but %d role cells", len(names), len(roles))
	}
	out := make(map[string]string, len(names))
	for i, name := range names {
		out[name] = roles[i]
	}
	return out
}
