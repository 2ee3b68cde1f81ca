package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
)

func ptr(s string) *string { return &s }
func ptrInt(n int) *int    { return &n }

// turma is the TURMA object of the contract.
type turma struct {
	ID        int64  `json:"id"`
	Codigo    string `json:"codigo"`
	AnoLetivo int    `json:"ano_letivo"`
	Turno     string `json:"turno"`
	Alunos    int64  `json:"alunos"`
	Version   int64  `json:"version"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func (a *testApp) createTurma(body string) turma {
	a.t.Helper()
	resp := a.api(http.MethodPost, "/turmas", body)
	wantStatus(a.t, resp, http.StatusCreated)
	created := decode[struct {
		Message string
		Turma   turma
	}](a.t, resp)
	if created.Message != "Turma adicionada com sucesso!" || resp.Header.Get("Location") != "/turmas/"+strconv.FormatInt(created.Turma.ID, 10) {
		a.t.Fatalf("created %+v, Location %q", created, resp.Header.Get("Location"))
	}
	return created.Turma
}

func turmaPath(t turma) string { return "/turmas/" + strconv.FormatInt(t.ID, 10) }

func TestTurmaAPICreateReadChangeDelete(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		tu := app.createTurma(`{"codigo":" 5B ","ano_letivo":2026,"turno":"manhã","alunos":99,"id":7}`)
		if tu.Codigo != "5B" || tu.AnoLetivo != 2026 || tu.Turno != "manhã" || tu.Alunos != 0 || tu.Version != 1 {
			t.Fatalf("created %+v", tu)
		}
		resp := app.api(http.MethodGet, turmaPath(tu), "")
		wantStatus(t, resp, http.StatusOK)
		if resp.Header.Get("ETag") != `"1"` || decode[turma](t, resp).Codigo != "5B" {
			t.Fatalf("GET: ETag %q", resp.Header.Get("ETag"))
		}
		wantStatus(t, app.api(http.MethodPatch, turmaPath(tu), `{"turno":"tarde"}`), http.StatusPreconditionRequired)
		resp = app.api(http.MethodPatch, turmaPath(tu), `{"turno":"tarde"}`, "If-Match", `"1"`)
		wantStatus(t, resp, http.StatusOK)
		if got := decode[turma](t, resp); got.Turno != "tarde" || got.Version != 2 || resp.Header.Get("ETag") != `"2"` {
			t.Fatalf("patched %+v", got)
		}
		resp = app.api(http.MethodPut, turmaPath(tu), `{"codigo":"5B","ano_letivo":2027,"version":1}`)
		wantStatus(t, resp, http.StatusConflict)
		if e := decode[errorBody](t, resp); !strings.Contains(e.Error, "turma foi alterada") {
			t.Fatalf("stale PUT: %q", e.Error)
		}
		wantStatus(t, app.api(http.MethodPut, turmaPath(tu), `{"codigo":"5B","version":2}`, deliberatelyInvalid, "PUT without ano_letivo"),
			http.StatusUnprocessableEntity)
		wantStatus(t, app.api(http.MethodDelete, turmaPath(tu), "", "If-Match", `"2"`), http.StatusNoContent)
		resp = app.api(http.MethodGet, turmaPath(tu), "")
		wantStatus(t, resp, http.StatusNotFound)
		if e := decode[errorBody](t, resp); e.Error != "Turma não encontrada." {
			t.Fatalf("404 says %q", e.Error)
		}
		resp = app.api(http.MethodGet, "/turmas/abc", "", deliberatelyInvalid, "an id that is not a number")
		if e := decode[errorBody](t, resp); resp.StatusCode != http.StatusNotFound || e.Error != "Turma não encontrada." {
			t.Fatalf("/turmas/abc: %d %q", resp.StatusCode, e.Error)
		}
	})
}

func TestTurmaAPIRefusesBadInput(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createTurma(`{"codigo":"5B","ano_letivo":2026}`)
		cases := []struct {
			name, body string
			status     int
			field      string
		}{ // all but the first are deliberately invalid requests
			{"duplicate ignoring case", `{"codigo":"5b","ano_letivo":2026}`, http.StatusConflict, "codigo"},
			{"year as text", `{"codigo":"6A","ano_letivo":"2026"}`, http.StatusBadRequest, "ano_letivo"},
			{"unknown turno", `{"codigo":"6A","ano_letivo":2026,"turno":"madrugada"}`, http.StatusUnprocessableEntity, "turno"},
			{"unknown field", `{"codigo":"6A","ano_letivo":2026,"sala":"3"}`, http.StatusUnprocessableEntity, "sala"},
			{"year missing", `{"codigo":"6A"}`, http.StatusUnprocessableEntity, "ano_letivo"},
			{"not an object", `[1]`, http.StatusBadRequest, ""},
		}
		for i, tc := range cases {
			var headers []string
			if i > 0 {
				headers = []string{deliberatelyInvalid, tc.name}
			}
			resp := app.api(http.MethodPost, "/turmas", tc.body, headers...)
			if resp.StatusCode != tc.status {
				t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.status)
				continue
			}
			if e := decode[errorBody](t, resp); tc.field != "" && e.Fields[tc.field] == "" {
				t.Errorf("%s: fields %v lack %s", tc.name, e.Fields, tc.field)
			}
		}
		resp := app.api(http.MethodGet, "/turmas", "")
		if n := len(decode[[]turma](t, resp)); n != 1 {
			t.Fatalf("%d turmas after bad input, want 1", n)
		}
	})
}

func TestTurmaAPIListPagesWithHeaders(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for _, c := range []string{"9C", "1A", "Ébano", "2B"} {
			app.createTurma(`{"codigo":"` + c + `","ano_letivo":2026}`)
		}
		resp := app.api(http.MethodGet, "/turmas?per_page=2&page=2", "")
		wantStatus(t, resp, http.StatusOK)
		var codes []string
		for _, tu := range decode[[]turma](t, resp) {
			codes = append(codes, tu.Codigo)
		}
		if strings.Join(codes, ",") != "9C,Ébano" {
			t.Fatalf("page 2 %v", codes)
		}
		if resp.Header.Get("X-Total-Count") != "4" || !strings.Contains(resp.Header.Get("Link"), `rel="prev"`) {
			t.Fatalf("headers %v", resp.Header)
		}
		wantStatus(t, app.api(http.MethodGet, "/turmas?sort=nome", "", deliberatelyInvalid, "a students' sort"), http.StatusUnprocessableEntity)
	})
}

func TestTurmaAPIIdempotentCreate(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		body := `{"codigo":"5B","ano_letivo":2026}`
		first := app.api(http.MethodPost, "/turmas", body, "Idempotency-Key", "t-1")
		wantStatus(t, first, http.StatusCreated)
		again := app.api(http.MethodPost, "/turmas", body, "Idempotency-Key", "t-1")
		wantStatus(t, again, http.StatusCreated)
		a, _ := io.ReadAll(first.Body)
		b, _ := io.ReadAll(again.Body)
		if string(a) != string(b) || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay differs: %s vs %s", a, b)
		}
	})
}

func TestTurmaDeleteRefusedWithStudents(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		tu := app.createTurma(`{"codigo":"5B","ano_letivo":2026}`)
		app.createAluno("Ana", "5B", "R1")
		resp := app.api(http.MethodDelete, turmaPath(tu), "")
		wantStatus(t, resp, http.StatusConflict)
		if e := decode[errorBody](t, resp); !strings.Contains(e.Error, "5B ainda tem 1 aluno") {
			t.Fatalf("409 says %q", e.Error)
		}
		resp = app.postForm(turmaPath(tu)+"/delete", url.Values{"version": {"1"}})
		wantStatus(t, resp, http.StatusSeeOther)
		_, doc := app.page(resp.Header.Get("Location"))
		if msg := doc.Find(".flash").Text(); !strings.Contains(msg, "ainda tem 1 aluno") {
			t.Fatalf("flash %q", msg)
		}
	})
}

func TestTurmaScreens(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		resp := app.postForm("/turmas", url.Values{"codigo": {"5B"}, "ano_letivo": {"2026"}, "turno": {"manhã"}})
		wantStatus(t, resp, http.StatusSeeOther)
		page := resp.Header.Get("Location")
		app.createAluno("Bruno", "5B", "R2")
		app.createAluno("Ana", "5B", "R1")
		app.createAluno("Caio", "6A", "R3")

		_, doc := app.page(page + "?sort=nome")
		if got := doc.Find(`[data-testid="turma-codigo"]`).Text(); got != "Turma 5B" {
			t.Fatalf("title %q", got)
		}
		var names []string
		doc.Find(`[data-testid="aluno-row"] .col-nome`).Each(func(_ int, s *goquery.Selection) { names = append(names, s.Text()) })
		if strings.Join(names, ",") != "Ana,Bruno" {
			t.Fatalf("the turma's students %v", names)
		}
		if doc.Find(`select[name="turma"]`).Length() != 0 {
			t.Fatal("a turma's page offers a turma filter")
		}
		_, doc = app.page(page + "?q=bru")
		if n := doc.Find(`[data-testid="aluno-row"]`).Length(); n != 1 {
			t.Fatalf("search on the turma's page: %d rows", n)
		}

		resp = app.postForm("/turmas", url.Values{"codigo": {"5b"}, "ano_letivo": {"dois mil"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		doc = parseHTML(t, resp)
		if doc.Find(`[data-testid="error-ano_letivo"]`).Length() != 1 {
			t.Fatal("no message beside ano_letivo")
		}
		resp = app.postForm("/turmas", url.Values{"codigo": {"5b"}, "ano_letivo": {"2026"}})
		wantStatus(t, resp, http.StatusConflict)
		if msg := parseHTML(t, resp).Find(`[data-testid="error-codigo"]`).Text(); !strings.Contains(msg, "código") {
			t.Fatalf("duplicate message %q", msg)
		}

		_, doc = app.page("/turmas")
		if n := doc.Find(`[data-testid="turma-row"]`).Length(); n != 2 {
			t.Fatalf("%d turma rows, want 5B and 6A", n)
		}
		if doc.Find(`nav a[href="/turmas"]`).Length() == 0 {
			t.Fatal("no Turmas entry in the menu")
		}
	})
}

// turmaOf reads a turma through the store, for checks behind the API.
func (a *testApp) turmaOf(codigo string) models.Turma {
	a.t.Helper()
	v := url.Values{"q": {codigo}}
	q, err := models.ParseListQuery(models.TurmaList, v)
	if err != nil {
		a.t.Fatal(err)
	}
	turmas, _, err := models.NewTurmaStore(a.db).List(a.t.Context(), q)
	if err != nil || len(turmas) == 0 {
		a.t.Fatalf("turma %s: %v", codigo, err)
	}
	return turmas[0]
}

func TestTurmaStaleEditMerges(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		tu := app.createTurma(`{"codigo":"5B","ano_letivo":2026,"turno":"manhã"}`)
		path := turmaPath(tu)

		// a colleague changes the shift while this form is open
		form := app.openForm(path+"/edit", "turma-form")
		wantStatus(t, app.api(http.MethodPatch, path, `{"turno":"tarde","version":1}`), http.StatusOK)
		form.Set("codigo", "5C")
		wantStatus(t, app.postForm(path, form), http.StatusSeeOther)
		got := decode[turma](t, app.api(http.MethodGet, path, ""))
		if got.Codigo != "5C" || got.Turno != "tarde" {
			t.Fatalf("after the merged save: %+v, want 5C and the colleague's tarde", got)
		}

		// both change the code: the form comes back with both values
		form = app.openForm(path+"/edit", "turma-form")
		wantStatus(t, app.api(http.MethodPatch, path, `{"codigo":"5D","version":`+strconv.FormatInt(got.Version, 10)+`}`), http.StatusOK)
		form.Set("codigo", "5E")
		resp := app.postForm(path, form)
		wantStatus(t, resp, http.StatusConflict)
		doc := parseHTML(t, resp)
		if doc.Find(`[data-testid="conflict-codigo"]`).Length() != 1 || doc.Find(`[data-testid="current-codigo"]`).Text() != "5D" ||
			doc.Find(`[data-testid="mine-codigo"]`).Text() != "5E" {
			t.Fatalf("conflict form: %q", doc.Find(`[data-testid="turma-form"]`).Text())
		}
		if doc.Find(`[data-testid="conflict-turno"]`).Length() != 0 {
			t.Fatal("the shift nobody changed here is marked as a conflict")
		}
		// saving the form as it came back applies this person's choice
		wantStatus(t, app.postForm(path, formValues(doc.Find(`form[data-testid="turma-form"]`))), http.StatusSeeOther)
		if got := decode[turma](t, app.api(http.MethodGet, path, "")); got.Codigo != "5E" {
			t.Fatalf("after choosing: %+v", got)
		}
	})
}
