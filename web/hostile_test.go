package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"schooladmin/models/modelstest"
)

// hostileValues are field values no field accepts, each with the status
// the API answers: invalid UTF-8 is not JSON text (400); the rest are
// validation failures (422 naming the field).
var hostileValues = []struct {
	name, value string
	status      int
}{
	{"empty", "", http.StatusUnprocessableEntity},
	{"white space only", " \t\n\u00a0\u3000 ", http.StatusUnprocessableEntity},
	{"10000 characters", strings.Repeat("é", 10000), http.StatusUnprocessableEntity},
	{"NUL byte", "An\x00a", http.StatusUnprocessableEntity},
	{"only NUL", "\x00", http.StatusUnprocessableEntity},
	{"control character", "A\u0007na", http.StatusUnprocessableEntity},
	{"line break inside", "Ana\nMaria", http.StatusUnprocessableEntity},
	{"invalid UTF-8", "An\xffa\xc3", http.StatusBadRequest},
}

// hostileBody is a create body with one field replaced by value, written
// by hand so invalid UTF-8 reaches the server as sent.
func hostileBody(field, value string) string {
	fields := map[string]string{"nome": `"Ana"`, "turma": `"1A"`, "ra": `"HOST-1"`}
	encoded, _ := json.Marshal(value)
	if strings.ContainsRune(strings.ToValidUTF8(value, "\uFFFD"), '\uFFFD') && !strings.Contains(value, "\uFFFD") {
		encoded = []byte(`"` + value + `"`) // json.Marshal would repair it
	}
	fields[field] = string(encoded)
	return fmt.Sprintf(`{"nome":%s,"turma":%s,"ra":%s}`, fields["nome"], fields["turma"], fields["ra"])
}

func TestHostileFieldsAPI(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for _, field := range []string{"nome", "turma", "ra"} {
			for _, hv := range hostileValues {
				t.Run(field+" "+hv.name, func(t *testing.T) {
					var headers []string
					if hv.status != http.StatusCreated {
						headers = []string{deliberatelyInvalid, "a value the API refuses"}
					}
					resp := app.api(http.MethodPost, "/alunos", hostileBody(field, hv.value), headers...)
					wantStatus(t, resp, hv.status)
					e := decode[errorBody](t, resp)
					if hv.status == http.StatusUnprocessableEntity && e.Fields[field] == "" {
						t.Fatalf("no message for %s: %+v", field, e)
					}
				})
			}
		}
		assertCount(t, app, 0)
	})
}

func TestHostileFieldsForm(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "HOST-0")
		edit := "/alunos/" + strconv.FormatInt(a.ID, 10)
		for _, field := range []string{"nome", "turma", "ra"} {
			for _, hv := range hostileValues {
				for _, path := range []string{"/alunos", edit} {
					form := url.Values{"nome": {"Bia"}, "turma": {"2B"}, "ra": {"HOST-9"}, "version": {"1"}}
					form.Set(field, hv.value)
					resp := app.postForm(path, form)
					if resp.StatusCode != http.StatusUnprocessableEntity {
						wantStatus(t, resp, http.StatusUnprocessableEntity)
					}
					doc := parseHTML(t, resp)
					if doc.Find(`[data-testid="error-`+field+`"]`).Text() == "" {
						t.Fatalf("POST %s with %s %s: no message beside the field", path, field, hv.name)
					}
				}
			}
		}
		assertCount(t, app, 1)
		var got student
		json.NewDecoder(app.api(http.MethodGet, edit, "").Body).Decode(&got)
		if got.Nome != "Ana" || got.Version != 1 {
			t.Fatalf("a refused edit changed the student: %+v", got)
		}
	})
}

func TestHostileFormEncodingAndVersions(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "HOST-0")
		edit := "/alunos/" + strconv.FormatInt(a.ID, 10)
		tok := app.csrfToken()
		for _, body := range []string{"nome=%zz&_csrf=" + tok, "_csrf=" + tok + "&nome=%", "_csrf=" + tok + "&;;;=&&=="} {
			resp := app.do(http.MethodPost, "/alunos", body, "Accept", browserAccept, "Content-Type", "application/x-www-form-urlencoded")
			if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusForbidden {
				t.Fatalf("form body %q: status %d, want 400, 403 or 422", body, resp.StatusCode)
			}
		}
		for _, v := range []string{"", "abc", "-1", "0", "99999999999999999999", "1e3"} {
			resp := app.postForm(edit, url.Values{"nome": {"Bia"}, "turma": {"2B"}, "ra": {"HOST-0"}, "version": {v}})
			wantStatus(t, resp, http.StatusConflict)
			if parseHTML(t, resp).Find(`[data-testid="conflict"]`).Length() != 1 {
				t.Fatalf("version %q: no conflict warning", v)
			}
		}
		assertCount(t, app, 1)
	})
}

// TestUnicodeRoundTrips stores emoji (a ZWJ sequence and 4-byte
// characters), accents and CJK text through JSON and the form, and reads
// them back unchanged from JSON and from the HTML pages; 120 four-byte
// characters fit the 120-character name.
func TestUnicodeRoundTrips(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		t.Run("120 four-byte characters through the form", func(t *testing.T) {
			wide := strings.Repeat("😀", 120)
			resp := app.postForm("/alunos", url.Values{"nome": {wide}, "turma": {"🏫 3º Ano ç"}, "ra": {"WIDE-1"}}) // an RA "zoe" does not begin
			wantStatus(t, resp, http.StatusSeeOther)
			_, doc := app.page(resp.Header.Get("Location"))
			if s := doc.Find(`[data-testid="aluno-nome"]`).Text(); s != wide {
				t.Fatalf("120 four-byte characters came back as %q", s)
			}
			if s := doc.Find(`[data-testid="aluno-turma"]`).Text(); s != "🏫 3º Ano ç" {
				t.Fatalf("turma came back as %q", s)
			}
		})
		t.Run("emoji ZWJ sequence, accents and CJK through JSON", func(t *testing.T) {
			const nome = "👩‍🏫 Zoë Ærøskøbing 日本"
			a := app.createAluno(nome, "3º Ano ç", "ZOE-1")
			var got student
			json.NewDecoder(app.api(http.MethodGet, "/alunos/"+strconv.FormatInt(a.ID, 10), "").Body).Decode(&got)
			if got.Nome != nome || got.Turma != "3º Ano ç" {
				t.Fatalf("JSON round trip: %q %q", got.Nome, got.Turma)
			}
			_, doc := app.page("/alunos/" + strconv.FormatInt(a.ID, 10))
			if s := doc.Find(`[data-testid="aluno-nome"]`).Text(); s != nome {
				t.Fatalf("HTML page shows %q", s)
			}
			for _, q := range []string{"zoe", "ÆRØSKØBING", "日本"} {
				_, doc := app.page("/alunos?q=" + url.QueryEscape(q))
				if rows := doc.Find(`[data-testid="aluno-row"]`); rows.Length() != 1 || !strings.Contains(rows.Text(), nome) {
					t.Fatalf("search %q: %q", q, rows.Text())
				}
			}
		})
	})
}

// TestSQLMetacharactersAreLiteral stores quotes, comment markers and LIKE
// wildcards as typed, finds them by exact filter without wildcard
// effects, and leaves the table in place.
func TestSQLMetacharactersAreLiteral(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		drop := app.createAluno(`'; DROP TABLE alunos; --`, `%`, "SQL-1")
		wild := app.createAluno(`Ana 100% _real_ \ "x"`, `_`, "SQL-2")
		slash := app.createAluno(`O'Brien \'; --`, `\`, "SQL-3")
		app.createAluno("Comum", "1A", "SQL-4")
		for _, tc := range []struct {
			query string
			want  []int64
		}{
			{"turma=" + url.QueryEscape("%"), []int64{drop.ID}},
			{"turma=" + url.QueryEscape("_"), []int64{wild.ID}},
			{"turma=" + url.QueryEscape(`\`), []int64{slash.ID}},
			{"q=drop", []int64{drop.ID}},
			{"q=" + url.QueryEscape("100%"), []int64{wild.ID}},
			{"q=" + url.QueryEscape(`O'Brien`), []int64{slash.ID}},
			{"q=" + url.QueryEscape("%"), []int64{drop.ID, wild.ID, slash.ID, 0}}, // no letters: no filter
			{"q=" + url.QueryEscape("' OR '1'='1"), nil},
		} {
			resp := app.api(http.MethodGet, "/alunos?"+tc.query, "")
			wantStatus(t, resp, http.StatusOK)
			list := decode[[]student](t, resp)
			if len(list) != len(tc.want) {
				t.Fatalf("%s: %d students, want %d: %+v", tc.query, len(list), len(tc.want), list)
			}
			for i, id := range tc.want {
				if id != 0 && list[i].ID != id {
					t.Fatalf("%s: got %+v", tc.query, list)
				}
			}
		}
		var got student
		json.NewDecoder(app.api(http.MethodGet, "/alunos/"+strconv.FormatInt(wild.ID, 10), "").Body).Decode(&got)
		if got.Nome != `Ana 100% _real_ \ "x"` {
			t.Fatalf("stored as %q", got.Nome)
		}
		assertCount(t, app, 4)
	})
}

func TestListParametersOutOfRange(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createAluno("Ana", "1A", "R1")
		for _, q := range []string{"page=99999999999999999999", "page=1e3", "page=%00", "per_page=-0", "per_page=100000",
			"sort=-", "sort=--nome", "sort=nome,id", "sort=NOME", "sort=" + url.QueryEscape("nome desc"), "sort=%00"} {
			wantStatus(t, app.api(http.MethodGet, "/alunos?"+q, "", deliberatelyInvalid, "out of range"), http.StatusUnprocessableEntity)
			resp, doc := app.page("/alunos?" + q)
			wantStatus(t, resp, http.StatusUnprocessableEntity)
			if doc.Find(`[data-testid="error-page"]`).Length() != 1 {
				t.Fatalf("%s: no error page", q)
			}
		}
		for _, q := range []string{"page=1073741824&per_page=500", "turma=" + strings.Repeat("x", 10000),
			"q=" + url.QueryEscape(strings.Repeat("\x00", 100)), "q=" + strings.Repeat("%27%22%5C", 1000)} {
			wantStatus(t, app.api(http.MethodGet, "/alunos?"+q, ""), http.StatusOK)
			resp, _ := app.page("/alunos?" + q)
			wantStatus(t, resp, http.StatusOK)
		}
		// A search of 1,200 different words may be answered or refused as
		// too long, never fail.
		var words []string
		for i := range 1200 {
			words = append(words, "w"+strconv.Itoa(i))
		}
		long := "/alunos?q=" + url.QueryEscape(strings.Join(words, " "))
		if resp := app.api(http.MethodGet, long, ""); resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusUnprocessableEntity {
			wantStatus(t, resp, http.StatusUnprocessableEntity)
		}
		if resp, _ := app.page(long); resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusUnprocessableEntity {
			wantStatus(t, resp, http.StatusUnprocessableEntity)
		}
	})
}

// endless yields an unbounded run of 'a' without holding it in memory.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

// TestTenMebibyteBodies sends 10 MiB bodies, with and without
// Content-Length, as JSON and as a form: each is refused with 413 while
// the process allocates far less than the body.
func TestTenMebibyteBodies(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	const size = 10 << 20
	for _, tc := range []struct {
		name, contentType, accept, prefix string
		chunked                           bool
	}{
		{"JSON with Content-Length", "application/json", "", `{"nome":"`, false},
		{"JSON chunked", "application/json", "", `{"nome":"`, true},
		{"form with Content-Length", "application/x-www-form-urlencoded", browserAccept, "nome=", false},
		{"form chunked", "application/x-www-form-urlencoded", browserAccept, "nome=", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := io.MultiReader(strings.NewReader(tc.prefix), io.LimitReader(endless{}, size))
			req, _ := http.NewRequest(http.MethodPost, app.srv.URL+"/alunos", body)
			req.ContentLength = -1
			if !tc.chunked {
				req.ContentLength = int64(len(tc.prefix)) + size
			}
			req.Header.Set("Content-Type", tc.contentType)
			req.Header.Set("Authorization", "Bearer "+app.token)
			req.Header.Set(deliberatelyInvalid, "10 MiB, to be refused unread")
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			resp, err := app.apiClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			io.Copy(io.Discard, resp.Body)
			runtime.ReadMemStats(&after)
			wantStatus(t, resp, http.StatusRequestEntityTooLarge)
			grew := after.TotalAlloc - before.TotalAlloc
			if grew > size/4 {
				t.Fatalf("allocated %d KiB for a refused %d KiB body", grew>>10, size>>10)
			}
			t.Logf("allocated %d KiB", grew>>10)
		})
	}
	assertCount(t, app, 0)
}
