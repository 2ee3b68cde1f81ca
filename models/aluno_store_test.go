package models_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

var tester = models.Actor{Username: "tester", IP: "127.0.0.1"}

func ptr(s string) *string { return &s }

func input(nome, turma, ra string) models.AlunoInput {
	return models.AlunoInput{Nome: ptr(nome), Turma: ptr(turma), RA: ptr(ra)}
}

func mustCreate(t *testing.T, s *models.AlunoStore, nome, turma, ra string) models.Aluno {
	t.Helper()
	a, err := s.Create(context.Background(), tester, input(nome, turma, ra))
	if err != nil {
		t.Fatalf("create %s: %v", ra, err)
	}
	return a
}

func TestCreateCleansAndStores(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		a := mustCreate(t, s, "  Zoë d'Ávila <b>&  ", " 3º A ", " ab-1.x ")
		got, err := s.Get(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Nome != "Zoë d'Ávila <b>&" || got.Turma != "3º A" || got.RA != "AB-1.X" || got.Version != 1 {
			t.Fatalf("stored %+v", got)
		}
		if got.CreatedAt.IsZero() || !got.CreatedAt.Equal(a.CreatedAt) {
			t.Fatalf("created_at %v, returned %v", got.CreatedAt, a.CreatedAt)
		}
	})
}

func TestCreateRejectsInvalidFields(t *testing.T) {
	long := strings.Repeat("é", models.MaxNome+1)
	cases := []struct {
		name  string
		in    models.AlunoInput
		field string
	}{
		{"empty nome", input("", "1A", "R1"), "nome"},
		{"blank nome", input(" \t ", "1A", "R1"), "nome"},
		{"missing turma", models.AlunoInput{Nome: ptr("Ana"), RA: ptr("R1")}, "turma"},
		{"nome too long", input(long, "1A", "R1"), "nome"},
		{"turma too long", input("Ana", strings.Repeat("x", 21), "R1"), "turma"},
		{"ra too long", input("Ana", "1A", strings.Repeat("9", 21)), "ra"},
		{"ra with space", input("Ana", "1A", "R 1"), "ra"},
		{"ra with accent", input("Ana", "1A", "RÁ1"), "ra"},
		{"nul in nome", input("An\x00a", "1A", "R1"), "nome"},
		{"newline in turma", input("Ana", "1\nA", "R1"), "turma"},
		{"invalid utf-8", input("An\xffa", "1A", "R1"), "nome"},
	}
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Create(context.Background(), tester, tc.in)
				var verr *models.ValidationError
				if !errors.As(err, &verr) || verr.Fields[tc.field] == "" {
					t.Fatalf("want a message for %s, got %v", tc.field, err)
				}
			})
		}
		if _, total, _ := s.List(context.Background(), models.NewListQuery(models.AlunoList, 10, nil)); total != 0 {
			t.Fatalf("%d rows written by invalid input", total)
		}
		// exactly at the limits is fine
		mustCreate(t, s, strings.Repeat("é", models.MaxNome), strings.Repeat("t", 20), strings.Repeat("9", 20))
	})
}

func TestDuplicateRAIsCaseInsensitive(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		a := mustCreate(t, s, "Ana", "1A", "ab-1")
		if _, err := s.Create(context.Background(), tester, input("Bia", "1B", "AB-1")); !errors.Is(err, models.ErrDuplicate) {
			t.Fatalf("want ErrDuplicate, got %v", err)
		}
		if err := s.Delete(context.Background(), tester, a.ID, nil); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, s, "Bia", "1B", "AB-1") // a deleted student's RA is free again
	})
}

func TestConcurrentCreatesOfOneRA(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, dup := 0, 0
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Create(context.Background(), tester, input("Ana", "1A", "SAME-1"))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, models.ErrDuplicate):
					dup++
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok != 1 || dup != 19 {
			t.Fatalf("ok=%d duplicates=%d, want 1 and 19", ok, dup)
		}
	})
}

func TestUpdateOptimisticLocking(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewAlunoStore(db)
		a := mustCreate(t, s, "Ana", "1A", "R1")
		b, err := s.Update(ctx, tester, a.ID, 1, models.AlunoInput{Turma: ptr("2B")}, false)
		if err != nil {
			t.Fatal(err)
		}
		if b.Version != 2 || b.Turma != "2B" || b.Nome != "Ana" {
			t.Fatalf("after patch: %+v", b)
		}
		cur, err := s.Update(ctx, tester, a.ID, 1, models.AlunoInput{Nome: ptr("Outra")}, false)
		if !errors.Is(err, models.ErrConflict) || cur.Version != 2 || cur.Nome != "Ana" {
			t.Fatalf("stale update: %v, current %+v", err, cur)
		}
		same, err := s.Update(ctx, tester, a.ID, 2, input("Ana", "2B", "r1"), true)
		if err != nil || same.Version != 2 {
			t.Fatalf("no-op update bumped the version: %+v %v", same, err)
		}
		mustCreate(t, s, "Bia", "1A", "R2")
		if _, err := s.Update(ctx, tester, a.ID, 2, models.AlunoInput{RA: ptr("r2")}, false); !errors.Is(err, models.ErrDuplicate) {
			t.Fatalf("want ErrDuplicate, got %v", err)
		}
		if _, err := s.Update(ctx, tester, 9999, 1, models.AlunoInput{}, false); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("want ErrNotFound, got %v", err)
		}
	})
}

func TestDeleteWithVersion(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewAlunoStore(db)
		a := mustCreate(t, s, "Ana", "1A", "R1")
		stale := int64(7)
		if err := s.Delete(ctx, tester, a.ID, &stale); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("want ErrConflict, got %v", err)
		}
		if err := s.Delete(ctx, tester, a.ID, &a.Version); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, tester, a.ID, nil); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("want ErrNotFound, got %v", err)
		}
	})
}

func TestListSearchFilterSortPage(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewAlunoStore(db)
		mustCreate(t, s, "João da Silva", "1A", "A-1")
		mustCreate(t, s, "MARIA JOSÉ Souza", "1B", "B-2")
		mustCreate(t, s, "Ana 100% Silveira", "1A", "C-3")
		mustCreate(t, s, "Pedro_Alves", "2A", "JOAO")
		cases := []struct {
			query string
			want  []string // RAs in order
		}{
			{"", []string{"A-1", "B-2", "C-3", "JOAO"}},
			{"q=joao", []string{"A-1", "JOAO"}},
			{"q=JOSE+mar", []string{"B-2"}},
			{"q=silv", []string{"A-1", "C-3"}},
			{"q=ilva", nil},
			{"q=100%25", []string{"C-3"}},
			{"q=%25", []string{"A-1", "B-2", "C-3", "JOAO"}},
			{"q=_", []string{"A-1", "B-2", "C-3", "JOAO"}},
			{"q=alves", []string{"JOAO"}},
			{"q=b-2", []string{"B-2"}},
			{"turma=1A", []string{"A-1", "C-3"}},
			{"turma=1A&q=ana", []string{"C-3"}},
			{"sort=-ra", []string{"JOAO", "C-3", "B-2", "A-1"}},
			{"sort=turma", []string{"A-1", "C-3", "B-2", "JOAO"}},
			{"sort=-turma", []string{"JOAO", "B-2", "C-3", "A-1"}},
			{"per_page=2&page=2", []string{"C-3", "JOAO"}},
			{"per_page=2&page=3", nil},
		}
		for _, tc := range cases {
			t.Run(tc.query, func(t *testing.T) {
				v, _ := url.ParseQuery(tc.query)
				q, err := models.ParseListQuery(models.AlunoList, v)
				if err != nil {
					t.Fatal(err)
				}
				list, total, err := s.List(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, a := range list {
					got = append(got, a.RA)
				}
				if strings.Join(got, ",") != strings.Join(tc.want, ",") {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
				if q.Page == 1 && total != int64(len(tc.want)) {
					t.Fatalf("total %d, want %d", total, len(tc.want))
				}
			})
		}
		turmas, err := models.NewTurmaStore(db).Codigos(ctx)
		if err != nil || strings.Join(turmas, ",") != "1A,1B,2A" {
			t.Fatalf("turmas %v %v", turmas, err)
		}
	})
}

func TestParseStudentQueryRejects(t *testing.T) {
	// a cursor of sort=nome from before the sort keys carried the name itself
	oldCursor := "sort=nome&cursor=" + base64.RawURLEncoding.EncodeToString([]byte(`{"v":"Ana Souza","id":3}`))
	for _, raw := range []string{"sort=senha", "sort=--id", "page=0", "page=x", "per_page=501", "per_page=0", "per_page=1e3", oldCursor} {
		v, _ := url.ParseQuery(raw)
		_, err := models.ParseListQuery(models.AlunoList, v)
		var verr *models.ValidationError
		if !errors.As(err, &verr) {
			t.Errorf("%s: want a validation error, got %v", raw, err)
		}
	}
}

func TestStudentChangesAreAudited(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewAlunoStore(db)
		a := mustCreate(t, s, "Ana", "1A", "R1")
		if _, err := s.Update(ctx, tester, a.ID, 1, models.AlunoInput{Turma: ptr("2B"), Nome: ptr("Ana")}, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Update(ctx, tester, a.ID, 1, models.AlunoInput{Turma: ptr("3C")}, false); !errors.Is(err, models.ErrConflict) {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, tester, a.ID, nil); err != nil {
			t.Fatal(err)
		}
		events, err := models.NewAuditStore(db).History(ctx, models.AuditAluno, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, ev := range events {
			actions = append(actions, ev.Action)
			if ev.Actor != "tester" || ev.IP != "127.0.0.1" {
				t.Fatalf("event %+v", ev)
			}
		}
		if strings.Join(actions, ",") != "student.delete,student.update,student.create" {
			t.Fatalf("history %v (a failed update must leave no record)", actions)
		}
		if ch := events[1].ChangeList(); len(ch) != 1 || ch["turma"] != (models.FieldChange{Old: "1A", New: "2B"}) {
			t.Fatalf("update changes %v", ch)
		}
		if ch := events[2].ChangeList(); ch["ra"].New != "R1" || ch["ra"].Old != "" {
			t.Fatalf("create changes %v", ch)
		}
	})
}
