package models_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

func turmaInput(codigo string, ano int, turno string) models.TurmaInput {
	return models.TurmaInput{Codigo: ptr(codigo), AnoLetivo: &ano, Turno: ptr(turno)}
}

func mustCreateTurma(t *testing.T, s *models.TurmaStore, codigo string) models.Turma {
	t.Helper()
	tu, err := s.Create(context.Background(), tester, turmaInput(codigo, 2026, "manhã"))
	if err != nil {
		t.Fatalf("create turma %s: %v", codigo, err)
	}
	return tu
}

// entityOf is the entity a store error names, "" when none.
func entityOf(err error) models.Entity {
	var re *models.RecordError
	if errors.As(err, &re) {
		return re.Entity
	}
	return ""
}

func TestTurmaCreateValidatesAndStores(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewTurmaStore(db)
		tu, err := s.Create(context.Background(), tester, turmaInput("  5º B ", 2026, " Manhã "))
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(context.Background(), tu.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Codigo != "5º B" || got.AnoLetivo != 2026 || got.Turno != "manhã" || got.Version != 1 || got.Alunos != 0 {
			t.Fatalf("stored %+v", got)
		}
		cases := map[string]models.TurmaInput{
			"codigo": turmaInput("", 2026, ""), "ano_letivo": turmaInput("X", 20260, ""), "turno": turmaInput("X", 2026, "madrugada"),
		}
		for field, in := range cases {
			var verr *models.ValidationError
			if _, err := s.Create(context.Background(), tester, in); !errors.As(err, &verr) || verr.Fields[field] == "" {
				t.Errorf("%s: got %v, want a validation error on %s", field, err, field)
			}
		}
	})
}

func TestTurmaCodigoIsUniqueIgnoringCase(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewTurmaStore(db)
		mustCreateTurma(t, s, "5B")
		_, err := s.Create(context.Background(), tester, turmaInput("5b", 2026, ""))
		if !errors.Is(err, models.ErrDuplicate) || entityOf(err) != models.EntityTurma {
			t.Fatalf("create 5b beside 5B: %v, want a turma duplicate", err)
		}
		other := mustCreateTurma(t, s, "6A")
		if _, err := s.Update(context.Background(), tester, other.ID, other.Version, models.TurmaInput{Codigo: ptr("5B")}, false); !errors.Is(err, models.ErrDuplicate) {
			t.Fatalf("rename 6A to 5B: %v, want a duplicate", err)
		}
	})
}

func TestTurmaRenameMovesStudentsEachAudited(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		turmas, students, audit := models.NewTurmaStore(db), models.NewAlunoStore(db), models.NewAuditStore(db)
		tu := mustCreateTurma(t, turmas, "5B")
		a := mustCreate(t, students, "Ana", "5B", "R1")
		b := mustCreate(t, students, "Bia", "5B", "R2")
		c := mustCreate(t, students, "Caio", "6A", "R3")

		renamed, err := turmas.Update(ctx, tester, tu.ID, tu.Version, models.TurmaInput{Codigo: ptr("5C")}, false)
		if err != nil {
			t.Fatal(err)
		}
		if renamed.Codigo != "5C" || renamed.Version != tu.Version+1 {
			t.Fatalf("renamed %+v", renamed)
		}
		for _, s := range []models.Aluno{a, b} {
			got, err := students.Get(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Turma != "5C" || got.Version != s.Version+1 {
				t.Errorf("%s after the rename: %+v", s.Nome, got)
			}
			history, err := audit.History(ctx, models.AuditAluno, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(history) != 2 || history[0].ChangeList()["turma"] != (models.FieldChange{Old: "5B", New: "5C"}) {
				t.Errorf("%s history %+v, want the move on top of the create", s.Nome, history)
			}
		}
		if got, _ := students.Get(ctx, c.ID); got.Turma != "6A" || got.Version != c.Version {
			t.Errorf("a student of another turma changed: %+v", got)
		}
		if _, err := turmas.Update(ctx, tester, tu.ID, tu.Version, models.TurmaInput{Turno: ptr("tarde")}, false); !errors.Is(err, models.ErrConflict) {
			t.Errorf("update at a stale version: %v, want a conflict", err)
		}
	})
}

func TestTurmaDeleteRefusedWhileItHasStudents(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		turmas, students := models.NewTurmaStore(db), models.NewAlunoStore(db)
		tu := mustCreateTurma(t, turmas, "5B")
		a := mustCreate(t, students, "Ana", "5B", "R1")
		err := turmas.Delete(ctx, tester, tu.ID, nil)
		var re *models.RecordError
		if !errors.Is(err, models.ErrNotEmpty) || !errors.As(err, &re) || re.Count != 1 || re.Name != "5B" {
			t.Fatalf("delete a turma with a student: %v", err)
		}
		if err := students.Delete(ctx, tester, a.ID, nil); err != nil {
			t.Fatal(err)
		}
		if err := turmas.Delete(ctx, tester, tu.ID, nil); err != nil {
			t.Fatalf("delete an empty turma: %v", err)
		}
		if _, err := turmas.Get(ctx, tu.ID); !errors.Is(err, models.ErrNotFound) || entityOf(err) != models.EntityTurma {
			t.Fatalf("get a deleted turma: %v", err)
		}
	})
}

func TestTurmaListSearchSortPage(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewTurmaStore(db)
		for _, c := range []string{"Zeta", "Ébano", "alfa", "5%B", "5B"} {
			mustCreateTurma(t, s, c)
		}
		list := func(raw string) []string {
			t.Helper()
			v, _ := url.ParseQuery(raw)
			q, err := models.ParseListQuery(models.TurmaList, v)
			if err != nil {
				t.Fatal(err)
			}
			turmas, _, err := s.List(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, tu := range turmas {
				codes = append(codes, tu.Codigo)
			}
			return codes
		}
		if got := list(""); !equal(got, []string{"5%B", "5B", "alfa", "Ébano", "Zeta"}) {
			t.Errorf("default order %v", got)
		}
		if got := list("sort=-codigo&per_page=2&page=2"); !equal(got, []string{"alfa", "5B"}) {
			t.Errorf("second page descending %v", got)
		}
		if got := list("q=eb"); !equal(got, []string{"Ébano"}) {
			t.Errorf("q=eb %v", got)
		}
		if got := list("q=5%25"); !equal(got, []string{"5%B"}) {
			t.Errorf("q=5%% found %v: %% must be literal", got)
		}
		if _, err := models.ParseListQuery(models.TurmaList, url.Values{"sort": {"nome"}}); err == nil {
			t.Error("sort=nome accepted for turmas")
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestStudentsJoinTurmasIgnoringCaseAndKeepTheirCounts(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		turmas, students := models.NewTurmaStore(db), models.NewAlunoStore(db)
		count := func(codigo string) int64 {
			t.Helper()
			q, _ := models.ParseListQuery(models.TurmaList, url.Values{"q": {codigo}})
			list, _, err := turmas.List(ctx, q)
			if err != nil || len(list) != 1 {
				t.Fatalf("turma %s: %v %v", codigo, list, err)
			}
			return list[0].Alunos
		}
		a := mustCreate(t, students, "Ana", "5B", "R1")
		b := mustCreate(t, students, "Bia", "5b", "R2")
		if b.Turma != "5B" {
			t.Fatalf("5b stored as %q, want the turma's spelling 5B", b.Turma)
		}
		if n := count("5B"); n != 2 {
			t.Fatalf("5B counts %d students, want 2", n)
		}
		moved, err := students.Update(ctx, tester, b.ID, b.Version, models.AlunoInput{Turma: ptr("6A")}, false)
		if err != nil || moved.Turma != "6A" {
			t.Fatalf("move to 6A: %+v %v", moved, err)
		}
		if got, err := turmas.Codigos(ctx); err != nil || strings.Join(got, ",") != "5B,6A" {
			t.Fatalf("turmas %v %v, want 5B and the new 6A", got, err)
		}
		if count("5B") != 1 || count("6A") != 1 {
			t.Fatalf("after the move: 5B %d, 6A %d", count("5B"), count("6A"))
		}
		same, err := students.Update(ctx, tester, a.ID, a.Version, models.AlunoInput{Turma: ptr("5b")}, false)
		if err != nil || same.Turma != "5B" || same.Version != a.Version {
			t.Fatalf("5b for a student of 5B changed it: %+v %v", same, err)
		}
		if err := students.Delete(ctx, tester, a.ID, nil); err != nil {
			t.Fatal(err)
		}
		if count("5B") != 0 {
			t.Fatalf("5B counts %d after its student left", count("5B"))
		}
	})
}

func TestMigrationMakesTurmasOfStoredTurmaNames(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		// students as an older version stored them: no turmas table rows
		for i, turma := range []string{"1A", "1A", "1a", "2B"} {
			if err := db.Exec("INSERT INTO alunos (nome, turma, ra, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
				"Aluno", turma, fmt.Sprintf("OLD-%d", i), time.Now(), time.Now()).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Exec("DELETE FROM turmas").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("DELETE FROM settings WHERE `key` = 'turmas_backfilled' OR `key` LIKE 'sort_keys%'").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		q, _ := models.ParseListQuery(models.TurmaList, url.Values{})
		list, _, err := models.NewTurmaStore(db).List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tu := range list {
			got = append(got, fmt.Sprintf("%s:%d", tu.Codigo, tu.Alunos))
		}
		if strings.Join(got, ",") != "1A:3,2B:1" {
			t.Fatalf("turmas after the migration %v, want 1A:3 (1a merged into it) and 2B:1", got)
		}
		var lower int64
		db.Raw("SELECT COUNT(*) FROM alunos WHERE turma = '1a'").Scan(&lower)
		if lower != 0 && db.Dialect == "sqlite" {
			t.Fatalf("%d students still spell 1a", lower)
		}
	})
}
