package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
)

// Run one of these briefly, e.g.:
//
//	go test -run='^$' -fuzz='^FuzzCreateStudentJSON$' -fuzztime=10s ./web/
//
// Without -fuzz, go test runs their seed corpora as ordinary tests.

// fuzzApp is the real router on a SQLite database in a temp dir, with an
// administrator's API token and one student (id 1, version 1), called
// in-process without a network.
type fuzzApp struct {
	handler http.Handler
	token   string
}

func newFuzzApp(f *testing.F) *fuzzApp {
	f.Helper()
	db := modelstest.SQLite(f)
	s, err := web.New(web.DefaultConfig, db, []byte(strings.Repeat("f", 32)), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		f.Fatal(err)
	}
	ctx, actor := context.Background(), models.Actor{Username: "fuzz"}
	hash, err := s.Hasher().Hash(ctx, testPassword)
	if err != nil {
		f.Fatal(err)
	}
	u, err := models.NewUserStore(db).Create(ctx, actor, models.NewUser{Username: "admin", PasswordHash: hash, Roles: []string{models.RoleAdmin}})
	if err != nil {
		f.Fatal(err)
	}
	token, _, err := models.NewTokenStore(db).Create(ctx, actor, u.ID, "fuzz", models.ScopeStudents, nil)
	if err != nil {
		f.Fatal(err)
	}
	nome, turma, ra := "Semente", "1A", "SEED-1"
	if _, err := models.NewAlunoStore(db).Create(ctx, actor, models.AlunoInput{Nome: &nome, Turma: &turma, RA: &ra}); err != nil {
		f.Fatal(err)
	}
	return &fuzzApp{handler: s.Echo, token: token}
}

// serve runs one request; headers are name, value pairs.
func (a *fuzzApp) serve(req *http.Request, headers ...string) *httptest.ResponseRecorder {
	req.Header.Set("Authorization", "Bearer "+a.token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	return rec
}

// checkAnswer fails unless the status is one of allowed and an error
// answer in JSON carries an "error" message.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder, allowed ...int) {
	t.Helper()
	if !slices.Contains(allowed, rec.Code) {
		t.Fatalf("status %d, want one of %v; body %.300s", rec.Code, allowed, rec.Body.String())
	}
	if rec.Code >= 400 && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		var e struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
			t.Fatalf("status %d with body %.300s: want a JSON error message", rec.Code, rec.Body.String())
		}
	}
}

// FuzzCreateStudentJSON posts arbitrary bodies, content types and
// idempotency keys to POST /alunos: the answer is always one of the
// contract's statuses for it, never a 500.
func FuzzCreateStudentJSON(f *testing.F) {
	for _, seed := range []struct{ body, contentType, key string }{
		{`{"nome":"Ana","turma":"1A","ra":"R1"}`, "application/json", ""},
		{`{"nome":"Ana","turma":"1A","ra":"R1"}`, "application/json; charset=utf-8", "k1"},
		{`{"nome":"Ana","turma":"1A","ra":"seed-1"}`, "application/json", ""},
		{`{"nome":" ","turma":"","ra":"a b"}`, "application/json", ""},
		{`{"nome":"A\u0000na","turma":"1A","ra":"R2","id":7,"created_at":"x"}`, "application/json", ""},
		{`{"nome":5,"turma":null,"ra":[]}`, "application/json", ""},
		{`{"nome":"Ana","turma":"1A","ra":"R3","version":"1"}`, "application/vnd.api+json", ""},
		{`{"nome":"Ana"`, "application/json", ""},
		{`[{"nome":"Ana"}]`, "application/json", ""},
		{`null`, "application/json", "k2"},
		{`{"a":1} {"b":2}`, "application/json", ""},
		{"{\"nome\":\"An\xffa\"}", "application/json", ""},
		{`{"nome":"Ana","turma":"1A","ra":"R4"}`, "text/plain", ""},
		{`{"nome":"Ana","turma":"1A","ra":"R5"}`, "", "\x00bad key"},
		{`{"nome":"👩‍🏫 Zoë","turma":"3º","ra":"Z-1"}`, "application/json", strings.Repeat("k", 300)},
		{`{"nome":"'; DROP TABLE alunos; --","turma":"%","ra":"X.1"}`, "application/json", ""},
	} {
		f.Add([]byte(seed.body), seed.contentType, seed.key)
	}
	app := newFuzzApp(f)
	f.Fuzz(func(t *testing.T, body []byte, contentType, key string) {
		req := httptest.NewRequest(http.MethodPost, "/alunos", strings.NewReader(string(body)))
		headers := []string{"Content-Type", contentType}
		if key != "" {
			headers = append(headers, "Idempotency-Key", key)
		}
		rec := app.serve(req, headers...)
		checkAnswer(t, rec, http.StatusCreated, http.StatusBadRequest, http.StatusConflict,
			http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity)
	})
}

// FuzzStudentForm posts arbitrary form bodies to the new-student and
// edit-student forms as a browser would (Accept: text/html): success
// redirects, invalid input re-renders the form, never a 500.
func FuzzStudentForm(f *testing.F) {
	for _, seed := range []string{
		"nome=Ana&turma=1A&ra=R1",
		"nome=Ana&turma=1A&ra=SEED-1&version=1",
		"nome=&turma=+&ra=%00",
		"nome=%zz&turma=1A",
		"nome=An%FFa&turma=1A&ra=R2&version=abc",
		"nome=%F0%9F%91%A9%E2%80%8D%F0%9F%8F%AB&turma=3%C2%BA&ra=Z-1&version=99999999999999999999",
		"nome=O%27Brien+%25+_&turma=%5C&ra=R3&version=-1",
		"=&&==;&nome",
		"nome=" + strings.Repeat("a", 5000) + "&turma=1A&ra=R4",
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	app := newFuzzApp(f)
	f.Fuzz(func(t *testing.T, body string, edit bool) {
		path := "/alunos"
		if edit {
			path = "/alunos/1"
		}
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		rec := app.serve(req, "Content-Type", "application/x-www-form-urlencoded", "Accept", browserAccept)
		checkAnswer(t, rec, http.StatusSeeOther, http.StatusBadRequest, http.StatusConflict,
			http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity)
		if rec.Code != http.StatusSeeOther && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("status %d answered a browser with %q", rec.Code, rec.Header().Get("Content-Type"))
		}
	})
}

// FuzzListQuery sends arbitrary query strings to GET /alunos, for the
// JSON list and the HTML page: 200 or a clear 422, never a 500.
func FuzzListQuery(f *testing.F) {
	for _, seed := range []string{
		"", "q=ana&turma=1A&sort=-nome&page=2&per_page=10", "sort=password", "sort=nome%3Bdrop", "page=0",
		"page=99999999999999999999", "per_page=501", "per_page=1.5", "q=%25&turma=_", "q=%27+OR+1%3D1+--",
		"q=%00%FF&turma=%5C", "page=1073741824&per_page=500", "sort=--id", "q=a+b+c+d+e+f+g+h+i+j", "%zz=1&&=&q",
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	app := newFuzzApp(f)
	f.Fuzz(func(t *testing.T, rawQuery string, html bool) {
		req := httptest.NewRequest(http.MethodGet, "/alunos", nil)
		req.URL.RawQuery = rawQuery
		accept := "application/json"
		if html {
			accept = browserAccept
		}
		rec := app.serve(req, "Accept", accept)
		checkAnswer(t, rec, http.StatusOK, http.StatusUnprocessableEntity)
	})
}
