package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models/modelstest"
	"schooladmin/web"
)

// uploadAs posts data from client's import form, with the session's CSRF
// token as the form sends it.
func (a *testApp) uploadAs(client *http.Client, filename string, data []byte) *http.Response {
	a.t.Helper()
	_, doc := a.pageAs(client, "/alunos/import")
	tok, _ := doc.Find(`[data-testid="import-form"] input[name="_csrf"]`).Attr("value")
	body, ct := multipartFile(a.t, filename, data, "_csrf", tok)
	return a.send(client, http.MethodPost, "/alunos/import", body, "Accept", browserAccept, "Content-Type", ct)
}

// testids is the text of each element with data-testid id, its table
// cells separated by a space.
func testids(doc *goquery.Document, id string) []string {
	var out []string
	doc.Find(`[data-testid="` + id + `"]`).Each(func(_ int, s *goquery.Selection) {
		words := strings.Fields(s.Text())
		if cells := s.Find("td"); cells.Length() > 0 {
			words = strings.Fields(strings.Join(cells.Map(func(_ int, c *goquery.Selection) string { return c.Text() }), " "))
		}
		out = append(out, strings.Join(words, " "))
	})
	return out
}

func text(doc *goquery.Document, id string) string { return strings.Join(testids(doc, id), "|") }

// Upload, preview (which survives a reload), confirm, see the students.
func TestImportInTheBrowser(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createAluno("Ana Souza", "1A", "R1")
		_, list := app.page("/alunos")
		if list.Find(`[data-testid="import-alunos"]`).AttrOr("href", "") != "/alunos/import" {
			t.Error("the list does not lead to the import")
		}
		_, form := app.page("/alunos/import")
		if form.Find(`[data-testid="import-form"][enctype="multipart/form-data"] input[type="file"][name="file"]`).Length() != 1 {
			t.Fatal("the import page has no file input")
		}

		resp := app.uploadAs(app.client, "alunos 2027.csv", []byte("ra;nome;turma\r\nR1;Ana Souza;2A\r\nR2;Bia Lima;2A\r\nR3;Caio;2A\r\n"))
		wantStatus(t, resp, http.StatusSeeOther)
		preview := resp.Header.Get("Location")
		if !strings.HasPrefix(preview, "/alunos/import/") {
			t.Fatalf("the upload leads to %q", preview)
		}
		before := app.written()
		for range 2 { // a reload shows the same preview and writes nothing
			resp, doc := app.page(preview)
			wantStatus(t, resp, http.StatusOK)
			if got := text(doc, "import-created") + " " + text(doc, "import-updated") + " " + text(doc, "import-unchanged"); got != "2 1 0" {
				t.Errorf("counts %q, want 2 1 0", got)
			}
			if got := text(doc, "import-filename"); got != "alunos 2027.csv" {
				t.Errorf("file name %q", got)
			}
			rows := testids(doc, "import-row")
			if len(rows) != 3 || rows[0] != "2 Alterado R1 Ana Souza 2A (antes: 1A)" || rows[1] != "3 Novo R2 Bia Lima 2A" {
				t.Errorf("rows %q", rows)
			}
			if doc.Find(`[data-testid="confirm-import"]`).Length() != 1 || doc.Find(`[data-testid="import-errors"]`).Length() != 0 {
				t.Error("a clean file has no confirm button, or shows errors")
			}
		}
		if after := app.written(); after != before {
			t.Errorf("the preview wrote: %s, before %s", after, before)
		}

		resp = app.postForm(preview, url.Values{})
		if flash := app.followFlash(app.client, resp); flash != "Importação concluída: 2 novos, 1 alterados, 0 sem mudança." {
			t.Errorf("flash %q", flash)
		}
		if resp.Header.Get("Location") != "/alunos" {
			t.Errorf("confirmed, led to %q", resp.Header.Get("Location"))
		}
		_, doc := app.page("/alunos?turma=2A")
		if got := doc.Find(`tbody tr`).Length(); got != 3 {
			t.Errorf("turma 2A lists %d students after the import, want 3", got)
		}
		resp = app.do(http.MethodGet, preview, "", "Accept", browserAccept)
		if flash := app.followFlash(app.client, resp); !strings.Contains(flash, "expirou ou já foi importada") {
			t.Errorf("an imported preview: flash %q", flash)
		}
	})
}

// A file with errors shows each with its line and column, and cannot be
// confirmed.
func TestImportPreviewListsErrors(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	resp := app.uploadAs(app.client, "a.csv", []byte("ra,nome,turma\nR1,,1A\nR2,Bia,1A\nr2,Bia,1B\n"))
	wantStatus(t, resp, http.StatusSeeOther)
	preview := resp.Header.Get("Location")
	_, doc := app.page(preview)
	want := []string{"2", "Nome", "Informe o nome.", "4", "RA", "O RA R2 já aparece na linha 3: cada aluno só pode aparecer uma vez."}
	var got []string
	doc.Find(`[data-testid="import-error"] td`).Each(func(_ int, s *goquery.Selection) { got = append(got, s.Text()) })
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("errors %q, want %q", got, want)
	}
	if doc.Find(`[data-testid="confirm-import"]`).Length() != 0 {
		t.Error("a file with errors can be confirmed")
	}
	before := app.written()
	resp = app.postForm(preview, url.Values{})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if after := app.written(); after != before {
		t.Errorf("confirming a file with errors wrote: %s, before %s", after, before)
	}
}

// A preview belongs to the session that uploaded the file.
func TestImportPreviewIsTheSessions(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	resp := app.uploadAs(app.client, "a.csv", []byte("ra,nome,turma\nR1,Ana,1A\n"))
	preview := resp.Header.Get("Location")
	other, _ := app.browserAs("outra.secretaria", "Admin")
	resp = app.send(other, http.MethodGet, preview, "", "Accept", browserAccept)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/alunos/import" {
		t.Errorf("another session's preview: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp = app.api(http.MethodGet, preview, "")
	wantStatus(t, resp, http.StatusNotFound)
}

// The upload form says why a file was not taken.
func TestImportUploadRefusals(t *testing.T) {
	cfg := web.DefaultConfig
	cfg.ImportMaxBytes = 2 << 20
	app := newTestAppWith(t, modelstest.SQLite(t), cfg)
	cases := []struct {
		name     string
		filename string
		data     []byte
		status   int
		message  string
	}{
		{"no file", "", nil, http.StatusUnprocessableEntity, "Escolha o arquivo da planilha (CSV ou .xlsx)."},
		{"an empty file", "a.csv", nil, http.StatusUnprocessableEntity, "O arquivo enviado está vazio."},
		{"over the limit", "a.csv", make([]byte, 2<<20+1), http.StatusRequestEntityTooLarge,
			"O arquivo passa de 2 MiB, o limite da importação: divida-o em arquivos menores."},
	}
	for _, tc := range cases {
		resp := app.uploadAs(app.client, tc.filename, tc.data)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.status)
			continue
		}
		if got := text(parseHTML(t, resp), "form-message"); got != tc.message {
			t.Errorf("%s: message %q, want %q", tc.name, got, tc.message)
		}
	}
}
