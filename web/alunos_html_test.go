package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestHTMLListEmptyState(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		resp, doc := app.page("/alunos")
		wantStatus(t, resp, http.StatusOK)
		if doc.Find(`[data-testid="empty-state"]`).Length() != 1 || doc.Find(`[data-testid="aluno-row"]`).Length() != 0 {
			t.Fatal("an empty list shows no empty state")
		}
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("Cache-Control %q", resp.Header.Get("Cache-Control"))
		}
	})
}

func TestHTMLListSearchFilterSortPage(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createAluno("João <b>Silva</b>", "1A", "R1")
		app.createAluno("Maria José", "1B", "R2")
		app.createAluno("Pedro Alves", "1A", "R3")

		_, doc := app.page("/alunos?q=JOAO")
		rows := doc.Find(`[data-testid="aluno-row"]`)
		if rows.Length() != 1 || !strings.Contains(rows.Text(), "João <b>Silva</b>") {
			t.Fatalf("search rows: %q", rows.Text())
		}
		if doc.Find(`[data-testid="aluno-row"] b`).Length() != 0 {
			t.Fatal("a name was not escaped")
		}
		if v, _ := doc.Find(`input[name="q"]`).Attr("value"); v != "JOAO" {
			t.Fatalf("search box lost the query: %q", v)
		}

		_, doc = app.page("/alunos?turma=1A&sort=-nome")
		var ras []string
		doc.Find(`[data-testid="aluno-row"] td[data-label="RA"]`).Each(func(_ int, s *goquery.Selection) { ras = append(ras, s.Text()) })
		if strings.Join(ras, ",") != "R3,R1" {
			t.Fatalf("turma 1A by -nome: %v", ras)
		}
		if sel := doc.Find(`select[name="turma"] option[selected]`).Text(); sel != "1A" {
			t.Fatalf("selected turma %q", sel)
		}
		if s, _ := doc.Find(`th[aria-sort="descending"] a`).Attr("href"); !strings.Contains(s, "sort=nome") {
			t.Fatalf("descending header links to %q, want ascending", s)
		}

		_, doc = app.page("/alunos?per_page=2")
		next, ok := doc.Find(`[data-testid="pagination"] a[rel="next"]`).Attr("href")
		if !ok || !strings.Contains(next, "page=2") || !strings.Contains(next, "per_page=2") {
			t.Fatalf("next link %q", next)
		}
		_, doc = app.page(next)
		if got := doc.Find(`[data-testid="range"]`).Text(); got != "3–3 de 3" {
			t.Fatalf("range %q", got)
		}

		_, doc = app.page("/alunos?q=ninguem")
		if doc.Find(`[data-testid="empty-state"]`).Length() != 1 {
			t.Fatal("no empty state for a search without results")
		}
		resp, _ := app.page("/alunos?per_page=9999")
		wantStatus(t, resp, http.StatusUnprocessableEntity)
	})
}

func TestHTMLCreateFlow(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		// invalid: 422, typed values kept, each error beside its field
		resp := app.postForm("/alunos", url.Values{"nome": {"Zoë <i>"}, "turma": {""}, "ra": {"a b"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		doc := parseHTML(t, resp)
		if v, _ := doc.Find(`input[name="nome"]`).Attr("value"); v != "Zoë <i>" {
			t.Fatalf("typed nome lost: %q", v)
		}
		for _, f := range []string{"turma", "ra"} {
			if doc.Find(`[data-testid="error-`+f+`"]`).Text() == "" {
				t.Fatalf("no error beside %s", f)
			}
		}
		if doc.Find(`[data-testid="error-nome"]`).Length() != 0 {
			t.Fatal("a valid field shows an error")
		}

		// valid: 303 to the student's page, which shows the flash once
		resp = app.postForm("/alunos", url.Values{"nome": {"Zoë d'Ávila"}, "turma": {"1A"}, "ra": {"z-1"}})
		wantStatus(t, resp, http.StatusSeeOther)
		loc := resp.Header.Get("Location")
		if !strings.HasPrefix(loc, "/alunos/") {
			t.Fatalf("redirect to %q", loc)
		}
		_, doc = app.page(loc)
		if got := doc.Find(`[data-testid="flash"]`).Text(); got != "Aluno adicionado com sucesso!" {
			t.Fatalf("flash %q", got)
		}
		if doc.Find(`[data-testid="aluno-ra"]`).Text() != "Z-1" || doc.Find(`[data-testid="aluno-nome"]`).Text() != "Zoë d'Ávila" {
			t.Fatal("student page shows other values")
		}
		_, doc = app.page(loc)
		if doc.Find(`[data-testid="flash"]`).Length() != 0 {
			t.Fatal("flash shown twice")
		}

		// duplicate RA: the form again, with the message beside ra
		resp = app.postForm("/alunos", url.Values{"nome": {"Outra"}, "turma": {"1A"}, "ra": {"Z-1"}})
		wantStatus(t, resp, http.StatusConflict)
		if parseHTML(t, resp).Find(`[data-testid="error-ra"]`).Text() == "" {
			t.Fatal("duplicate RA without a message")
		}
	})
}

func TestHTMLEditAndStaleEdit(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		path := "/alunos/" + strconv.FormatInt(a.ID, 10)
		_, doc := app.page(path + "/edit")
		version, _ := doc.Find(`input[name="version"]`).Attr("value")
		if version != "1" {
			t.Fatalf("edit form version %q", version)
		}
		// someone else changes the student meanwhile
		wantStatus(t, app.api(http.MethodPatch, path, `{"turma":"9Z","version":1}`), http.StatusOK)

		resp := app.postForm(path, url.Values{"nome": {"Ana Paula"}, "turma": {"1A"}, "ra": {"R1"}, "version": {version}})
		wantStatus(t, resp, http.StatusConflict)
		doc = parseHTML(t, resp)
		if doc.Find(`[data-testid="conflict"]`).Length() != 1 || doc.Find(`[data-testid="current-turma"]`).Text() != "9Z" {
			t.Fatal("stale edit does not show the current values")
		}
		if v, _ := doc.Find(`input[name="nome"]`).Attr("value"); v != "Ana Paula" {
			t.Fatalf("typed value lost: %q", v)
		}
		if s := decode[student](t, app.api(http.MethodGet, path, "")); s.Turma != "9Z" || s.Nome != "Ana" {
			t.Fatalf("stale edit overwrote: %+v", s)
		}
		// saving again, knowingly, from the refreshed form
		newVersion, _ := doc.Find(`input[name="version"]`).Attr("value")
		resp = app.postForm(path, url.Values{"nome": {"Ana Paula"}, "turma": {"1A"}, "ra": {"R1"}, "version": {newVersion}})
		wantStatus(t, resp, http.StatusSeeOther)
		if s := decode[student](t, app.api(http.MethodGet, path, "")); s.Nome != "Ana Paula" || s.Version != 3 {
			t.Fatalf("after saving: %+v", s)
		}
	})
}

func TestHTMLDeleteWithConfirmation(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		path := "/alunos/" + strconv.FormatInt(a.ID, 10)
		resp, doc := app.page(path + "/delete")
		wantStatus(t, resp, http.StatusOK)
		form := doc.Find(`[data-testid="confirm-delete"] form`)
		action, _ := form.Attr("action")
		version, _ := form.Find(`input[name="version"]`).Attr("value")
		if action != path+"/delete" || version != "1" {
			t.Fatalf("confirmation form posts to %q with version %q", action, version)
		}
		wantStatus(t, app.api(http.MethodGet, path, ""), http.StatusOK) // GET changed nothing

		resp = app.postForm(action, url.Values{"version": {version}})
		wantStatus(t, resp, http.StatusSeeOther)
		if resp.Header.Get("Location") != "/alunos" {
			t.Fatalf("redirect to %q", resp.Header.Get("Location"))
		}
		wantStatus(t, app.api(http.MethodGet, path, ""), http.StatusNotFound)
		_, doc = app.page("/alunos")
		if doc.Find(`[data-testid="flash"]`).Text() != "Aluno Ana (RA R1) excluído." {
			t.Fatal("no flash after delete")
		}
	})
}

func TestHTMLStaleDeleteKeepsStudent(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		path := "/alunos/" + strconv.FormatInt(a.ID, 10)
		wantStatus(t, app.api(http.MethodPatch, path, `{"turma":"2B","version":1}`), http.StatusOK)
		resp := app.postForm(path+"/delete", url.Values{"version": {"1"}})
		wantStatus(t, resp, http.StatusSeeOther)
		wantStatus(t, app.api(http.MethodGet, path, ""), http.StatusOK)
	})
}

func TestHTMLErrorPages(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for _, path := range []string{"/alunos/999", "/alunos/999/edit", "/nada/aqui"} {
			resp, doc := app.page(path)
			wantStatus(t, resp, http.StatusNotFound)
			if doc.Find(`[data-testid="error-page"]`).Length() != 1 {
				t.Fatalf("%s: no friendly 404 page", path)
			}
		}
	})
}

func TestHTMLFormWithoutCSRFIsRefused(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for _, token := range []string{"", "forged"} {
			resp := app.postForm("/alunos", url.Values{"_csrf": {token}, "nome": {"Ana"}, "turma": {"1A"}, "ra": {"R1"}})
			wantStatus(t, resp, http.StatusForbidden)
		}
		resp := app.do(http.MethodPost, "/alunos", `{"nome":"Ana","turma":"1A","ra":"R1"}`,
			"Content-Type", "application/json", "Sec-Fetch-Site", "cross-site")
		wantStatus(t, resp, http.StatusForbidden)
		// a cookie-carrying JSON call needs the header token
		app.csrfToken() // gets a session cookie
		wantStatus(t, app.browserAPI(http.MethodPost, "/alunos", `{"nome":"Ana","turma":"1A","ra":"R1"}`), http.StatusForbidden)
		wantStatus(t, app.browserAPI(http.MethodPost, "/alunos", `{"nome":"Ana","turma":"1A","ra":"R1"}`, "X-CSRF-Token", app.csrfToken()), http.StatusCreated)
		assertCount(t, app, 1)
	})
}

func TestHTMLStudentPageShowsHistory(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		path := "/alunos/" + strconv.FormatInt(a.ID, 10)
		wantStatus(t, app.api(http.MethodPatch, path, `{"turma":"2B","version":1}`), http.StatusOK)
		_, doc := app.page(path)
		entries := doc.Find(`[data-testid="history-entry"]`)
		if entries.Length() != 2 {
			t.Fatalf("%d history entries, want 2", entries.Length())
		}
		first := entries.First()
		if !strings.Contains(first.Text(), "Aluno alterado") || !strings.Contains(first.Text(), "admin") ||
			first.Find("td.old").Text() != "1A" || first.Find("td.new").Text() != "2B" {
			t.Fatalf("latest entry %q", first.Text())
		}
	})
}
