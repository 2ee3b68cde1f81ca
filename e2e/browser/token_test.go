package browser

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// TestNewTokenOnAPhone creates an API token on a phone: the page after it
// is /account (a reload cannot make another token), the token fits the
// screen and has a copy button that works, and it is shown only once.
func TestNewTokenOnAPhone(t *testing.T) {
	browser := startBrowser(t)
	app := startApp(t, modelstest.SQLite(t))
	password := app.createUser(t, "diretora", models.RoleAdmin)
	p := newTab(t, browser, app.URL)
	run(p, "set viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	p.signIn("/account", "diretora", password)

	p.fill(testid("token-form")+` input[name="name"]`, "planilha da secretaria")
	if status := p.click(testid("create-token")); status != http.StatusOK || p.path() != "/account" {
		t.Fatalf("creating a token led to %s (status %d), want /account", p.path(), status)
	}
	token := p.text(testid("new-token"))
	overflow := run(p, "token box width", chromedp.Evaluate[float64](`Math.max(
		...['new-token-box', 'new-token'].map(id => document.querySelector('[data-testid="' + id + '"]').getBoundingClientRect().right)
	) - document.documentElement.clientWidth`))
	if overflow > 0 {
		t.Errorf("the new token reaches %.0f px past the screen", overflow)
	}
	if page := run(p, "page width", chromedp.Evaluate[int64](
		`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); page > 0 {
		t.Errorf("the page is %d px wider than the screen", page)
	}
	run(p, "click copy", chromedp.Click(testid("copy-token"), chromedp.NodeVisible))
	// the copy is asynchronous (the clipboard API answers a promise): wait
	// for the button to say how it went
	got := run(p, "copy answered", chromedp.Poll[string](`(() => {
		const t = document.querySelector('[data-testid="copy-token"]').textContent.trim();
		return t === "Copiar token" ? false : t;
	})()`, chromedp.WithPollingTimeout(stepTimeout/2)))
	if got != "Copiado!" {
		t.Errorf("the copy button says %q after a click", got)
	}
	if copied := run(p, "selection or clipboard", chromedp.Evaluate[string](`window.getSelection().toString()`)); copied != "" && copied != token {
		t.Errorf("the copy selected %q, not the token", copied)
	}

	run(p, "reload", chromedp.Reload())
	if p.count(testid("new-token")) != 0 || p.count(testid("token-row")) != 1 {
		t.Fatalf("after a reload: %d tokens shown, %d in the list; want 0 and 1", p.count(testid("new-token")), p.count(testid("token-row")))
	}
}
