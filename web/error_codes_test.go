package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"schooladmin/models"
	"schooladmin/web"
)

// TestErrorAnswersCarryAStableCode drives one request per kind of client
// error through the router and checks the "code" a client tells errors
// apart by (the message is for people and may change).
func TestErrorAnswersCarryAStableCode(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		tu := app.createTurma(`{"codigo":"9Z","ano_letivo":2026}`)
		ana := "/alunos/" + strconv.FormatInt(app.createAluno("Ana", "9Z", "RA-1").ID, 10)
		viewer := app.createUser("viewer", models.RoleViewer)
		cases := []struct {
			name   string
			resp   func() *http.Response
			status int
			code   string
		}{
			{"malformed JSON", func() *http.Response {
				return app.api(http.MethodPost, "/alunos", `{"nome":`, deliberatelyInvalid, "malformed")
			}, 400, "malformed_json"},
			{"not an object", func() *http.Response {
				return app.api(http.MethodPost, "/alunos", `[1]`, deliberatelyInvalid, "an array")
			}, 400, "malformed_json"},
			{"wrong type", func() *http.Response {
				return app.api(http.MethodPost, "/alunos", `{"nome":1,"turma":"1A","ra":"X"}`, deliberatelyInvalid, "a number")
			}, 400, "invalid_type"},
			{"not JSON", func() *http.Response {
				return app.apiRaw(http.MethodPost, "/alunos", `{"nome":"A"}`, "Content-Type", "text/plain", "Accept", "application/json", deliberatelyInvalid, "not JSON")
			}, 415, "unsupported_media_type"},
			{"invalid field", func() *http.Response {
				return app.api(http.MethodPost, "/alunos", `{"nome":"","turma":"1A","ra":"X"}`, deliberatelyInvalid, "empty")
			}, 422, "validation"},
			{"unknown field", func() *http.Response {
				return app.api(http.MethodPost, "/alunos", `{"nome":"B","turma":"1A","ra":"X","idade":9}`, deliberatelyInvalid, "unknown")
			}, 422, "validation"},
			{"bad list parameter", func() *http.Response {
				return app.api(http.MethodGet, "/alunos?per_page=0", "", deliberatelyInvalid, "0")
			}, 422, "validation"},
			{"duplicate ra", func() *http.Response {
				return app.api(http.MethodPost, "/alunos", `{"nome":"B","turma":"1A","ra":"ra-1"}`)
			}, 409, "duplicate_ra"},
			{"duplicate codigo", func() *http.Response { return app.api(http.MethodPost, "/turmas", `{"codigo":"9z","ano_letivo":2026}`) }, 409, "duplicate_codigo"},
			{"no such student", func() *http.Response { return app.api(http.MethodGet, "/alunos/999999", "") }, 404, "not_found"},
			{"no such turma", func() *http.Response { return app.api(http.MethodGet, "/turmas/999999", "") }, 404, "not_found"},
			{"no such path", func() *http.Response { return app.api(http.MethodGet, "/nada", "") }, 404, "not_found"},
			{"method not allowed", func() *http.Response { return app.api(http.MethodPut, "/healthz", `{}`) }, 405, "method_not_allowed"},
			{"no version", func() *http.Response { return app.api(http.MethodPatch, ana, `{"nome":"Bia"}`) }, 428, "version_required"},
			{"stale version", func() *http.Response {
				return app.api(http.MethodPatch, ana, `{"nome":"Bia"}`, "If-Match", `"7"`)
			}, 409, "stale_version"},
			{"bad If-Match", func() *http.Response {
				return app.api(http.MethodPatch, ana, `{"nome":"Bia"}`, "If-Match", "sete")
			}, 400, "invalid_header"},
			{"bad Idempotency-Key", func() *http.Response {
				return app.api(http.MethodPost, "/alunos", `{"nome":"B","turma":"1A","ra":"Y"}`, "Idempotency-Key", "a b", deliberatelyInvalid, "a space")
			}, 400, "invalid_header"},
			{"turma with students", func() *http.Response {
				return app.api(http.MethodDelete, turmaPath(tu), "")
			}, 409, "turma_not_empty"},
			{"no credentials", func() *http.Response { return app.send(app.apiClient, http.MethodGet, "/turmas", "") }, 401, "unauthorized"},
			{"bad token", func() *http.Response {
				return app.api(http.MethodGet, "/turmas", "", "Authorization", "Bearer sa_nope")
			}, 401, "unauthorized"},
			{"no permission", func() *http.Response {
				return app.api(http.MethodDelete, turmaPath(tu), "", "Authorization", "Bearer "+viewer)
			}, 403, "forbidden"},
			{"token scope", func() *http.Response { return app.api(http.MethodGet, "/admin/users", "") }, 403, "forbidden"},
			{"too large", func() *http.Response {
				return app.api(http.MethodPost, "/alunos", `{"nome":"`+strings.Repeat("a", 1<<20)+`","turma":"1A","ra":"Z"}`, deliberatelyInvalid, "too large")
			}, 413, "too_large"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				resp := c.resp()
				wantStatus(t, resp, c.status)
				if e := decode[errorBody](t, resp); e.Code != c.code || e.Error == "" {
					t.Fatalf("body %+v, want code %q", e, c.code)
				}
			})
		}
	})
}

// TestIdempotencyReplaysTheErrorCode checks that a stored error answer,
// replayed, carries its code like the first one, and that the key's own
// errors have theirs.
func TestIdempotencyReplaysTheErrorCode(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createAluno("Ana", "1A", "DUP")
		body := `{"nome":"Bia","turma":"1A","ra":"dup"}`
		for _, replayed := range []string{"", "true"} {
			resp := app.api(http.MethodPost, "/alunos", body, "Idempotency-Key", "k-code")
			wantStatus(t, resp, http.StatusConflict)
			if e := decode[errorBody](t, resp); e.Code != "duplicate_ra" || resp.Header.Get("Idempotent-Replayed") != replayed {
				t.Fatalf("answer %+v (replayed %q), want duplicate_ra", e, resp.Header.Get("Idempotent-Replayed"))
			}
		}
		resp := app.api(http.MethodPost, "/alunos", `{"nome":"Bia","turma":"1A","ra":"other"}`, "Idempotency-Key", "k-code")
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if e := decode[errorBody](t, resp); e.Code != "idempotency_conflict" {
			t.Fatalf("reused key: %+v", e)
		}

		admin, _ := models.NewUserStore(app.db).GetByUsername(t.Context(), "admin")
		pending := `{"nome":"Cai","turma":"1A","ra":"PEND"}`
		if _, _, err := models.NewIdempotencyStore(app.db).Begin(t.Context(), admin.ID, "k-pend", web.Fingerprint([]byte(pending))); err != nil {
			t.Fatal(err)
		}
		resp = app.api(http.MethodPost, "/alunos", pending, "Idempotency-Key", "k-pend")
		wantStatus(t, resp, http.StatusConflict)
		if e := decode[errorBody](t, resp); e.Code != "idempotency_in_progress" {
			t.Fatalf("key in progress: %+v", e)
		}
	})
}
