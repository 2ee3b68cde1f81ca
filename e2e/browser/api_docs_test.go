package browser

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"schooladmin/models/modelstest"
	"schooladmin/web/openapi/apitest"
)

// TestAPIDocsShowEveryOperation opens the API's reference page signed
// out: Swagger UI, served by the app itself, draws every operation of the
// OpenAPI document, and the browser reports nothing wrong on the way (a
// script or style the page's Content-Security-Policy refused, a file
// that did not load, an exception).
func TestAPIDocsShowEveryOperation(t *testing.T) {
	browser := startBrowser(t)
	app := startApp(t, modelstest.SQLite(t))
	p := newTab(t, browser, app.URL)
	problems := watchConsole(t, p)

	if status := p.open("/api/docs"); status != http.StatusOK {
		t.Fatalf("/api/docs: status %d", status)
	}
	run(p, "the operations drawn", chromedp.WaitVisible(chromedp.CSS(".opblock")))
	if got, want := p.count(".opblock"), len(apitest.Operations()); got != want {
		t.Errorf("the page shows %d operations, the document has %d", got, want)
	}
	for _, sel := range []string{`[id$="-listAlunos"]`, `[id$="-deleteTurma"]`, `[id$="-getHealth"]`} {
		if p.count(sel) != 1 {
			t.Errorf("no operation %s on the page", sel)
		}
	}
	if title := p.text(".info .title"); title == "" {
		t.Error("the document's title is not shown")
	}
	for _, msg := range problems() {
		t.Errorf("the browser reported: %s", msg)
	}
}

// watchConsole collects the errors and warnings the tab's console shows
// from now on; the returned function stops watching and gives them.
func watchConsole(t *testing.T, p *tab) func() []string {
	t.Helper()
	ctx, cancel := context.WithCancel(p.ctx)
	messages := chromedp.Console(ctx)
	var (
		mu   sync.Mutex
		seen []string
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning {
				mu.Lock()
				seen = append(seen, m.String())
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return seen
	}
}
