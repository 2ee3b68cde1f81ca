package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"schooladmin/models"
	"schooladmin/web"
)

func TestIdempotencyKeyReplaysTheFirstAnswer(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		body := `{"nome":"Ana","turma":"1A","ra":"IDEM-1"}`
		first := app.api(http.MethodPost, "/alunos", body, "Idempotency-Key", "k-1")
		wantStatus(t, first, http.StatusCreated)
		firstBody, _ := io.ReadAll(first.Body)

		again := app.api(http.MethodPost, "/alunos", body, "Idempotency-Key", "k-1")
		wantStatus(t, again, http.StatusCreated)
		againBody, _ := io.ReadAll(again.Body)
		if string(againBody) != string(firstBody) || again.Header.Get("Location") != first.Header.Get("Location") ||
			again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay differs:\n%s\n%s", firstBody, againBody)
		}
		assertCount(t, app, 1)

		other := app.api(http.MethodPost, "/alunos", `{"nome":"Bia","turma":"1A","ra":"IDEM-2"}`, "Idempotency-Key", "k-1")
		wantStatus(t, other, http.StatusUnprocessableEntity)
		decode[errorBody](t, other)

		// keys belong to their user: another user's k-1 is a new request
		token := app.createUser("editor", models.RoleEditor)
		resp := app.api(http.MethodPost, "/alunos", `{"nome":"Bia","turma":"1A","ra":"IDEM-2"}`,
			"Idempotency-Key", "k-1", "Authorization", "Bearer "+token)
		wantStatus(t, resp, http.StatusCreated)
		assertCount(t, app, 2)
	})
}

func TestIdempotencyKeyStoresClientErrors(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createAluno("Ana", "1A", "DUP")
		body := `{"nome":"Bia","turma":"1A","ra":"dup"}`
		wantStatus(t, app.api(http.MethodPost, "/alunos", body, "Idempotency-Key", "k-2"), http.StatusConflict)
		// even once the RA is free, the same key answers as the first time
		wantStatus(t, app.api(http.MethodDelete, "/alunos/1", ""), http.StatusNoContent)
		resp := app.api(http.MethodPost, "/alunos", body, "Idempotency-Key", "k-2")
		wantStatus(t, resp, http.StatusConflict)
		if resp.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatal("a stored error was not replayed")
		}
		for _, bad := range []string{"k ey", strings.Repeat("k", 256), "chave-ç"} {
			wantStatus(t, app.api(http.MethodPost, "/alunos", body, "Idempotency-Key", bad, deliberatelyInvalid, "a bad key"), http.StatusBadRequest)
		}
	})
}

func TestIdempotencyKeyConcurrentDuplicate(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		// a first request still in progress (claimed, no answer yet)
		admin, _ := models.NewUserStore(app.db).GetByUsername(t.Context(), "admin")
		body := `{"nome":"Ana","turma":"1A","ra":"IDEM-3"}`
		if _, claimed, err := models.NewIdempotencyStore(app.db).Begin(t.Context(), admin.ID, "k-3", web.Fingerprint([]byte(body))); err != nil || !claimed {
			t.Fatalf("claim: %v %v", claimed, err)
		}
		wantStatus(t, app.api(http.MethodPost, "/alunos", body, "Idempotency-Key", "k-3"), http.StatusConflict)

		// ten clients racing with one key: exactly one student, no 5xx
		codes := app.concurrentPosts(10, `{"nome":"Bia","turma":"1A","ra":"RACE"}`, "Idempotency-Key", "race")
		if codes[http.StatusCreated]+codes[http.StatusConflict] != 10 {
			t.Errorf("statuses %v, want only 201 and 409", codes)
		}
		assertCount(t, app, 1)
	})
}
