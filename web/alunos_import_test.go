package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
	"schooladmin/web/sheet/sheettest"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// importAnswer is the JSON answer of POST /alunos/import.
type importAnswer struct {
	Created     int `json:"created"`
	Updated     int `json:"updated"`
	Unchanged   int `json:"unchanged"`
	Errors      []importError
	ErrorsTotal int      `json:"errors_total"`
	NewTurmas   []string `json:"new_turmas"`
	DryRun      bool     `json:"dry_run"`
}

type importError struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// importBody posts data as the body of an API import.
func (a *testApp) importBody(query string, data []byte, contentType string) *http.Response {
	a.t.Helper()
	return a.apiRaw(http.MethodPost, "/alunos/import"+query, string(data), "Content-Type", contentType)
}

// multipartFile is a multipart form with data in its field "file" (and
// the fields of extra, name and value pairs).
func multipartFile(t testing.TB, filename string, data []byte, extra ...string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(extra); i += 2 {
		mw.WriteField(extra[i], extra[i+1])
	}
	if filename != "" {
		w, err := mw.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}

// written is what an import may write, counted: students, turmas, search
// words and audit entries.
func (a *testApp) written() string {
	a.t.Helper()
	var out []string
	for _, table := range []any{&models.Aluno{}, &models.Turma{}, &models.AlunoPalavra{}, &models.AuditEvent{}} {
		var n int64
		if err := a.db.Model(table).Count(&n).Error; err != nil {
			a.t.Fatal(err)
		}
		out = append(out, fmt.Sprint(n))
	}
	return strings.Join(out, " ")
}

func (a *testApp) studentByRA(ra string) models.Aluno {
	a.t.Helper()
	var s models.Aluno
	if err := a.db.Where("ra = ?", ra).First(&s).Error; err != nil {
		a.t.Fatalf("student %s: %v", ra, err)
	}
	return s
}

func TestImportAPI(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createAluno("Ana Souza", "1A", "AB-1")
		app.createAluno("Bia Lima", "1A", "R2")
		csv := "\uFEFFRA;Nome;Turma;Observação\r\n" +
			"ab-1;Ana Souza;1a;\r\n" + // the stored student, in other letter cases: unchanged
			"R2;Beatriz Lima;2B;nova turma\r\n" +
			"R3;Caio Prado;2B;\r\n"
		before := app.written()
		resp := app.importBody("?dry_run=true", []byte(csv), "text/csv")
		wantStatus(t, resp, http.StatusOK)
		got := decode[importAnswer](t, resp)
		if got.Created != 1 || got.Updated != 1 || got.Unchanged != 1 || len(got.Errors) != 0 || !got.DryRun || fmt.Sprint(got.NewTurmas) != "[2B]" {
			t.Errorf("dry run answered %+v", got)
		}
		if after := app.written(); after != before {
			t.Errorf("a dry run wrote: %s, before %s", after, before)
		}

		resp = app.importBody("", []byte(csv), "text/csv")
		wantStatus(t, resp, http.StatusOK)
		if got := decode[importAnswer](t, resp); got.Created != 1 || got.Updated != 1 || got.Unchanged != 1 || got.DryRun {
			t.Errorf("import answered %+v", got)
		}
		if s := app.studentByRA("R2"); s.Nome != "Beatriz Lima" || s.Turma != "2B" || s.Version != 2 {
			t.Errorf("R2 stored as %+v", s)
		}
		if s := app.studentByRA("R3"); s.Nome != "Caio Prado" {
			t.Errorf("R3 stored as %+v", s)
		}
		list := decode[[]student](t, app.api(http.MethodGet, "/alunos?q=caio", ""))
		if len(list) != 1 || list[0].RA != "R3" {
			t.Errorf("the imported student is not found by name: %+v", list)
		}
		var ev models.AuditEvent
		if err := app.db.Where("action = ?", models.AuditImport).First(&ev).Error; err != nil ||
			ev.Summary != "arquivo sem nome: 1 novos, 1 alterados, 1 sem mudança" || ev.Actor != "admin" {
			t.Errorf("the import is audited as %+v (%v)", ev, err)
		}
	})
}

// The file may come as XLSX, as a multipart form's "file" field, and
// named by Content-Disposition; the audit entry names it.
func TestImportAPIFormats(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		xlsx := sheettest.Workbook(t, [][]any{{"turma", "ra", "nome"}, {"3C", "X1", "Xavier"}, {"3C", 20240002, "Yara"}})
		resp := app.apiRaw(http.MethodPost, "/alunos/import", string(xlsx), "Content-Type", xlsxType,
			"Content-Disposition", `attachment; filename="turma 3C.xlsx"`)
		wantStatus(t, resp, http.StatusOK)
		if got := decode[importAnswer](t, resp); got.Created != 2 {
			t.Errorf("XLSX import answered %+v", got)
		}
		app.studentByRA("20240002")

		body, ct := multipartFile(t, `C:\Users\secretaria\alunos.csv`, []byte("ra,nome,turma\nZ1,Zoë,3C\n"))
		resp = app.apiRaw(http.MethodPost, "/alunos/import", body, "Content-Type", ct)
		wantStatus(t, resp, http.StatusOK)
		if got := decode[importAnswer](t, resp); got.Created != 1 {
			t.Errorf("multipart import answered %+v", got)
		}
		var summaries []string
		app.db.Model(&models.AuditEvent{}).Where("action = ?", models.AuditImport).Order("id").Pluck("summary", &summaries)
		want := "[turma 3C.xlsx: 2 novos, 0 alterados, 0 sem mudança alunos.csv: 1 novos, 0 alterados, 0 sem mudança]"
		if fmt.Sprint(summaries) != want {
			t.Errorf("imports audited as %q, want %q", summaries, want)
		}
		if tu := app.turmaOf("3C"); tu.Alunos != 3 {
			t.Errorf("turma 3C counts %d students, want 3", tu.Alunos)
		}
	})
}

// A body over MAX_BODY_BYTES (1 MiB) but within IMPORT_MAX_BYTES is read
// whole: the import has its own limit.
func TestImportAPITakesFilesOverTheBodyLimit(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	pad := strings.Repeat("x", 700_000) // an ignored column
	csv := "ra,nome,turma,obs\nP1,Ana,1A," + pad + "\nP2,Bia,1A," + pad + "\n"
	resp := app.importBody("", []byte(csv), "text/csv")
	wantStatus(t, resp, http.StatusOK)
	if got := decode[importAnswer](t, resp); got.Created != 2 {
		t.Errorf("answered %+v", got)
	}
	resp = app.api(http.MethodPost, "/alunos", `{"nome":"`+strings.Repeat("x", 2<<20)+`"}`, deliberatelyInvalid, "a body over the limit")
	wantStatus(t, resp, http.StatusRequestEntityTooLarge)
}

func TestImportAPIFileOverTheLimitIs413(t *testing.T) {
	cfg := web.DefaultConfig
	cfg.ImportMaxBytes = 4 << 10
	app := newTestAppWith(t, modelstest.SQLite(t), cfg)
	csv := "ra,nome,turma\n" + strings.Repeat("R1,Ana,1A\n", 500) // 5 KB
	before := app.written()
	for name, resp := range map[string]*http.Response{
		"with Content-Length": app.importBody("", []byte(csv), "text/csv"),
		"chunked":             app.importChunked(csv),
		"multipart":           app.importMultipart(csv),
	} {
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: %d, want 413", name, resp.StatusCode)
			continue
		}
		if got := decode[errorBody](t, resp); got.Error != "O arquivo passa de 4.096 bytes, o limite da importação: divida-o em arquivos menores." {
			t.Errorf("%s: %q", name, got.Error)
		}
	}
	if after := app.written(); after != before {
		t.Errorf("wrote %s, before %s", after, before)
	}
}

// importChunked posts csv without a Content-Length.
func (a *testApp) importChunked(csv string) *http.Response {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/alunos/import", io.MultiReader(strings.NewReader(csv)))
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := a.apiClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (a *testApp) importMultipart(csv string) *http.Response {
	a.t.Helper()
	body, ct := multipartFile(a.t, "a.csv", []byte(csv))
	return a.apiRaw(http.MethodPost, "/alunos/import", body, "Content-Type", ct)
}

func TestImportAPIRefusesBadInputAndWritesNothing(t *testing.T) {
	many := func(n int) []byte {
		var b strings.Builder
		b.WriteString("ra,nome,turma\n")
		for i := range n {
			fmt.Fprintf(&b, "M%d,Aluno %d,1A\n", i, i)
		}
		return []byte(b.String())
	}
	cases := []struct {
		name string
		data []byte
		want importError // the first error; a message prefix
	}{
		{"empty file", nil, importError{0, "", "O arquivo está vazio."}},
		{"header missing a column", []byte("ra,nome\nR1,Ana\n"), importError{1, "turma", `Falta a coluna "turma" no cabeçalho`}},
		{"a column twice", []byte("ra,nome,turma,Turma\nR1,Ana,1A,1B\n"), importError{1, "turma", `A coluna "turma" aparece mais de uma vez`}},
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), importError{0, "", "O arquivo tem um caractere nulo"}},
		{"a zip that is not XLSX", sheettest.Zip(t), importError{0, "", "O arquivo é compactado (ZIP) mas não é uma planilha"}},
		{"a formula cell", sheettest.Workbook(t, [][]any{{"ra", "nome", "turma"}, {"R1", "=UPPER(\"ana\")", "1A"}}), importError{2, "nome", "A célula tem uma fórmula"}},
		{"a 10,000-character cell", []byte("ra,nome,turma\nR1," + strings.Repeat("a", 10_000) + ",1A\n"), importError{2, "nome", "O nome pode ter no máximo 120 caracteres."}},
		{"NUL", []byte("ra,nome,turma\nR1,An\x00a,1A\n"), importError{0, "", "O arquivo tem um caractere nulo (NUL) na linha 2"}},
		{"neither UTF-8 nor Windows-1252", []byte("ra,nome,turma\nR1,Jo\x81o,1A\n"), importError{0, "", "O arquivo não é um CSV em UTF-8 nem em Windows-1252"}},
		{"200,000 rows", many(200_000), importError{100_002, "", "O arquivo passa de 100.000 linhas de alunos"}},
		{"a zip bomb", sheettest.Bomb(t, 1<<30, 1<<30), importError{0, "", "A planilha descompactada passaria de 64 MiB"}},
		{"a zip bomb hiding its size", sheettest.Bomb(t, 1<<30, 1<<10), importError{0, "", "O arquivo é compactado (ZIP) mas não é uma planilha"}},
		{"an RA twice", []byte("ra,nome,turma\nR1,Ana,1A\nR2,Bia,1A\nr1,Ana Souza,1A\n"), importError{4, "ra", "O RA R1 já aparece na linha 2"}},
	}
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createAluno("Ana", "1A", "R1")
		before := app.written()
		for _, tc := range cases {
			resp := app.importBody("", tc.data, "text/csv")
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422", tc.name, resp.StatusCode)
				continue
			}
			got := decode[importAnswer](t, resp)
			if len(got.Errors) == 0 || got.Errors[0].Line != tc.want.Line || got.Errors[0].Field != tc.want.Field ||
				!strings.HasPrefix(got.Errors[0].Message, tc.want.Message) {
				t.Errorf("%s: errors %+v, want first %+v", tc.name, got.Errors, tc.want)
			}
		}
		if after := app.written(); after != before {
			t.Errorf("bad input wrote: %s, before %s", after, before)
		}
	})
}

func TestImportAPIParameters(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	resp := app.apiRaw(http.MethodPost, "/alunos/import?dry_run=talvez", "ra,nome,turma\n", "Content-Type", "text/csv", deliberatelyInvalid, "dry_run is not a boolean")
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if got := decode[errorBody](t, resp); got.Fields["dry_run"] == "" {
		t.Errorf("answered %+v", got)
	}
	body, ct := multipartFile(t, "", nil, "outro", "campo")
	resp = app.apiRaw(http.MethodPost, "/alunos/import", body, "Content-Type", ct)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if got := decode[errorBody](t, resp); got.Fields["file"] == "" {
		t.Errorf("a form without the file answered %+v", got)
	}
	resp = app.api(http.MethodGet, "/alunos/import", "")
	wantStatus(t, resp, http.StatusOK)
	if got := decode[map[string]any](t, resp); got["max_bytes"] != float64(20<<20) || got["max_rows"] != float64(100_000) {
		t.Errorf("GET /alunos/import answered %v", got)
	}
}
