package apiclient_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"schooladmin/e2e/apiclient"
	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
	"schooladmin/web/openapi/apitest"
)

// client is the generated client on the real router, as an Editor with a
// students-scope token. Its transport also validates every exchange
// against the document it was generated from.
func client(t *testing.T, db *models.Database) *apiclient.ClientWithResponses {
	t.Helper()
	s, err := web.New(web.DefaultConfig, db, []byte(strings.Repeat("k", 32)), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(apitest.OnlyVia(t, s.Echo))
	t.Cleanup(srv.Close)
	ctx, actor := context.Background(), models.Actor{Username: "e2e"}
	hash, err := s.Hasher().Hash(ctx, "uma senha longa o bastante")
	if err != nil {
		t.Fatal(err)
	}
	u, err := models.NewUserStore(db).Create(ctx, actor, models.NewUser{Username: "secretaria", PasswordHash: hash, Roles: []string{models.RoleEditor}})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := models.NewTokenStore(db).Create(ctx, actor, u.ID, "e2e", models.ScopeStudents, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := apiclient.NewClientWithResponses(srv.URL,
		apiclient.WithHTTPClient(&http.Client{Transport: apitest.Transport{T: t}}),
		apiclient.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ptr[T any](v T) *T { return &v }

// TestStudentThroughTheGeneratedClient creates, lists, changes and deletes
// a student through the client generated from the OpenAPI document.
func TestStudentThroughTheGeneratedClient(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		c, ctx := client(t, db), t.Context()

		created, err := c.CreateAlunoWithResponse(ctx, &apiclient.CreateAlunoParams{IdempotencyKey: ptr("e2e-1")},
			apiclient.AlunoNew{Nome: "Ana Souza", Turma: "5A", Ra: "2024-001"})
		if err != nil || created.JSON201 == nil {
			t.Fatalf("create: %v %s", err, body(created.Body))
		}
		ana := created.JSON201.Aluno
		if ana.Ra != "2024-001" || created.Headers201.Location != "/alunos/"+itoa(ana.Id) {
			t.Fatalf("created %+v at %q", ana, created.Headers201.Location)
		}

		list, err := c.ListAlunosWithResponse(ctx, &apiclient.ListAlunosParams{Q: ptr("ana"), Sort: ptr(apiclient.ListAlunosParamsSortMinusNome)})
		if err != nil || list.JSON200 == nil || len(*list.JSON200) != 1 || list.Headers200.XTotalCount != 1 {
			t.Fatalf("list: %v %s", err, body(list.Body))
		}

		got, err := c.GetAlunoWithResponse(ctx, ana.Id)
		if err != nil || got.JSON200 == nil || got.Headers200.ETag != `"1"` {
			t.Fatalf("get: %v %s", err, body(got.Body))
		}
		patched, err := c.UpdateAlunoWithResponse(ctx, ana.Id, &apiclient.UpdateAlunoParams{IfMatch: ptr(got.Headers200.ETag)},
			apiclient.AlunoChange{Turma: ptr("5B")})
		if err != nil || patched.JSON200 == nil || patched.JSON200.Turma != "5B" || patched.JSON200.Version != 2 {
			t.Fatalf("patch: %v %s", err, body(patched.Body))
		}
		stale, err := c.UpdateAlunoWithResponse(ctx, ana.Id, &apiclient.UpdateAlunoParams{IfMatch: ptr(`"1"`)},
			apiclient.AlunoChange{Nome: ptr("Ana")})
		if err != nil || stale.JSON409 == nil || stale.JSON409.Code != apiclient.ErrorCodeStaleVersion {
			t.Fatalf("stale patch: %v %s", err, body(stale.Body))
		}

		deleted, err := c.DeleteAlunoWithResponse(ctx, ana.Id, &apiclient.DeleteAlunoParams{IfMatch: ptr(`"2"`)})
		if err != nil || deleted.StatusCode() != http.StatusNoContent {
			t.Fatalf("delete: %v %s", err, body(deleted.Body))
		}
		gone, err := c.GetAlunoWithResponse(ctx, ana.Id)
		if err != nil || gone.JSON404 == nil || gone.JSON404.Code != apiclient.ErrorCodeNotFound {
			t.Fatalf("after delete: %v %s", err, body(gone.Body))
		}
	})
}

// TestTurmaThroughTheGeneratedClient does the same with a turma, which
// cannot be deleted while it has students.
func TestTurmaThroughTheGeneratedClient(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		c, ctx := client(t, db), t.Context()

		created, err := c.CreateTurmaWithResponse(ctx, nil, apiclient.TurmaNew{Codigo: "7C", AnoLetivo: 2026, Turno: ptr("manhã")})
		if err != nil || created.JSON201 == nil {
			t.Fatalf("create: %v %s", err, body(created.Body))
		}
		turma := created.JSON201.Turma
		aluno, err := c.CreateAlunoWithResponse(ctx, nil, apiclient.AlunoNew{Nome: "Bruno", Turma: "7C", Ra: "2026-7"})
		if err != nil || aluno.JSON201 == nil {
			t.Fatalf("create student: %v %s", err, body(aluno.Body))
		}

		list, err := c.ListTurmasWithResponse(ctx, &apiclient.ListTurmasParams{AnoLetivo: ptr(2026)})
		if err != nil || list.JSON200 == nil || len(*list.JSON200) != 1 || (*list.JSON200)[0].Codigo != "7C" {
			t.Fatalf("list: %v %s", err, body(list.Body))
		}
		patched, err := c.UpdateTurmaWithResponse(ctx, turma.Id, nil, apiclient.TurmaChange{Turno: ptr("tarde"), Version: ptr(turma.Version)})
		if err != nil || patched.JSON200 == nil || patched.JSON200.Turno != apiclient.Tarde {
			t.Fatalf("patch: %v %s", err, body(patched.Body))
		}

		refused, err := c.DeleteTurmaWithResponse(ctx, turma.Id, nil)
		if err != nil || refused.JSON409 == nil || refused.JSON409.Code != apiclient.ErrorCodeTurmaNotEmpty {
			t.Fatalf("delete with a student: %v %s", err, body(refused.Body))
		}
		if r, err := c.DeleteAlunoWithResponse(ctx, aluno.JSON201.Aluno.Id, nil); err != nil || r.StatusCode() != http.StatusNoContent {
			t.Fatalf("delete the student: %v", err)
		}
		if r, err := c.DeleteTurmaWithResponse(ctx, turma.Id, nil); err != nil || r.StatusCode() != http.StatusNoContent {
			t.Fatalf("delete: %v %s", err, body(r.Body))
		}
	})
}

func body(b []byte) string { return string(b) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
