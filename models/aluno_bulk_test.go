package models_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

func TestBulkSetTurmaMovesEachAsAnEdit(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s, audit := models.NewAlunoStore(db), models.NewAuditStore(db)
		a := mustCreate(t, s, "Ana", "1A", "R1")
		b := mustCreate(t, s, "Bia", "1B", "R2")
		c := mustCreate(t, s, "Caio", "2A", "R3")
		d := mustCreate(t, s, "Davi", "1A", "R4")

		// "2a" is turma 2A in another letter case: Caio stays, unchanged.
		n, err := s.Bulk(ctx, tester, models.AlunoBulk{Action: models.BulkSetTurma, IDs: []int64{b.ID, a.ID, c.ID}, Turma: " 2a "})
		if err != nil || n != 2 {
			t.Fatalf("set_turma: %d, %v; want 2 students moved", n, err)
		}
		for _, want := range []struct {
			was     models.Aluno
			turma   string
			version int64
		}{{a, "2A", 2}, {b, "2A", 2}, {c, "2A", 1}, {d, "1A", 1}} {
			got, err := s.Get(ctx, want.was.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Turma != want.turma || got.Version != want.version {
				t.Errorf("%s: turma %s version %d, want %s at %d", got.Nome, got.Turma, got.Version, want.turma, want.version)
			}
		}
		history, err := audit.History(ctx, models.AuditAluno, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != 2 || history[0].Action != "student.update" || history[0].ChangeList()["turma"] != (models.FieldChange{Old: "1A", New: "2A"}) {
			t.Errorf("Ana's history %+v, want the move on top", history)
		}
		for codigo, want := range map[string]int64{"1A": 1, "1B": 0, "2A": 3} {
			if got := turmaCount(t, db, codigo); got != want {
				t.Errorf("turma %s counts %d students, want %d", codigo, got, want)
			}
		}

		// A new code makes the turma, once.
		if n, err := s.Bulk(ctx, tester, models.AlunoBulk{Action: models.BulkSetTurma, IDs: []int64{a.ID, d.ID}, Turma: "9Z"}); err != nil || n != 2 {
			t.Fatalf("set_turma to a new turma: %d, %v", n, err)
		}
		if got := turmaCount(t, db, "9Z"); got != 2 {
			t.Errorf("new turma 9Z counts %d, want 2", got)
		}
	})
}

func TestBulkDeleteRemovesEachAsADelete(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s, audit := models.NewAlunoStore(db), models.NewAuditStore(db)
		a := mustCreate(t, s, "Ana Lima", "1A", "R1")
		b := mustCreate(t, s, "Bia Lima", "1A", "R2")
		c := mustCreate(t, s, "Caio Lima", "1B", "R3")
		n, err := s.Bulk(ctx, tester, models.AlunoBulk{Action: models.BulkDelete, IDs: []int64{c.ID, a.ID}})
		if err != nil || n != 2 {
			t.Fatalf("delete: %d, %v", n, err)
		}
		for _, gone := range []models.Aluno{a, c} {
			if _, err := s.Get(ctx, gone.ID); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%s after the bulk delete: %v", gone.Nome, err)
			}
			history, _ := audit.History(ctx, models.AuditAluno, gone.ID)
			if len(history) == 0 || history[0].Action != "student.delete" {
				t.Errorf("%s's history %+v, want the delete on top", gone.Nome, history)
			}
		}
		if got := raList(walkAll(t, s, nil, 10)); strings.Join(got, " ") != "R2" {
			t.Errorf("left %v, want R2", got)
		}
		q, _ := models.ParseListQuery(models.AlunoList, map[string][]string{"q": {"lima"}})
		if list, total, _ := s.List(ctx, q); total != 1 || len(list) != 1 || list[0].ID != b.ID {
			t.Errorf("search after the delete: %d %+v, want Bia alone", total, list)
		}
		if turmaCount(t, db, "1A") != 1 || turmaCount(t, db, "1B") != 0 {
			t.Errorf("turma counts 1A %d, 1B %d, want 1 and 0", turmaCount(t, db, "1A"), turmaCount(t, db, "1B"))
		}
	})
}

func TestBulkRefusesBadInputAndChangesNothing(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewAlunoStore(db)
		a := mustCreate(t, s, "Ana", "1A", "R1")
		b := mustCreate(t, s, "Bia", "1A", "R2")
		many := make([]int64, models.MaxBulkIDs+1)
		for i := range many {
			many[i] = int64(i + 1)
		}
		for name, tc := range map[string]struct {
			bulk          models.AlunoBulk
			field, naming string
		}{
			"unknown action":   {models.AlunoBulk{Action: "archive", IDs: []int64{a.ID}}, "action", "archive"},
			"no action":        {models.AlunoBulk{IDs: []int64{a.ID}}, "action", ""},
			"no ids":           {models.AlunoBulk{Action: models.BulkDelete}, "ids", ""},
			"too many ids":     {models.AlunoBulk{Action: models.BulkDelete, IDs: many}, "ids", "1000"},
			"repeated id":      {models.AlunoBulk{Action: models.BulkDelete, IDs: []int64{a.ID, b.ID, a.ID}}, "ids", itoa(a.ID)},
			"unknown id":       {models.AlunoBulk{Action: models.BulkDelete, IDs: []int64{a.ID, 987654}}, "ids", "987654"},
			"zero id":          {models.AlunoBulk{Action: models.BulkSetTurma, IDs: []int64{0, b.ID}, Turma: "2A"}, "ids", "0"},
			"no turma":         {models.AlunoBulk{Action: models.BulkSetTurma, IDs: []int64{a.ID}, Turma: "  "}, "turma", ""},
			"turma too long":   {models.AlunoBulk{Action: models.BulkSetTurma, IDs: []int64{a.ID}, Turma: strings.Repeat("x", models.MaxTurma+1)}, "turma", ""},
			"turma unreadable": {models.AlunoBulk{Action: models.BulkSetTurma, IDs: []int64{a.ID}, Turma: "2\x00A"}, "turma", ""},
		} {
			n, err := s.Bulk(ctx, tester, tc.bulk)
			var verr *models.ValidationError
			if !errors.As(err, &verr) || !strings.Contains(verr.Fields[tc.field], tc.naming) || n != 0 {
				t.Errorf("%s: %d, %v (%v); want a message on %s naming %q", name, n, err, verr, tc.field, tc.naming)
			}
		}
		for _, was := range []models.Aluno{a, b} {
			if got, err := s.Get(ctx, was.ID); err != nil || got.Version != 1 || got.Turma != "1A" {
				t.Errorf("%s changed: %+v, %v", was.Nome, got, err)
			}
		}
	})
}

func TestBulkIsAllOrNothing(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewAlunoStore(db)
		a := mustCreate(t, s, "Ana", "1A", "R1")
		b := mustCreate(t, s, "Bia", "1A", "R2")
		// Ana would move, but Bia is gone: neither moves, and the new
		// turma is not made.
		if err := s.Delete(ctx, tester, b.ID, nil); err != nil {
			t.Fatal(err)
		}
		_, err := s.Bulk(ctx, tester, models.AlunoBulk{Action: models.BulkSetTurma, IDs: []int64{a.ID, b.ID}, Turma: "3C"})
		var verr *models.ValidationError
		if !errors.As(err, &verr) || !strings.Contains(verr.Fields["ids"], itoa(b.ID)) {
			t.Fatalf("moving a deleted student: %v", err)
		}
		if got, _ := s.Get(ctx, a.ID); got.Turma != "1A" || got.Version != 1 {
			t.Errorf("Ana moved although the action failed: %+v", got)
		}
		var turmas int64
		db.Model(&models.Turma{}).Where("codigo = ?", "3C").Count(&turmas)
		if turmas != 0 {
			t.Error("turma 3C was created although the action failed")
		}
	})
}

func TestGetManyNamesTheMissing(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		a := mustCreate(t, s, "Bia", "1A", "R1")
		b := mustCreate(t, s, "Ana", "1A", "R2")
		got, err := s.GetMany(context.Background(), []int64{a.ID, b.ID})
		if err != nil || len(got) != 2 || got[0].ID != b.ID || got[1].ID != a.ID {
			t.Fatalf("GetMany: %+v, %v; want Ana and Bia, by name", got, err)
		}
		_, err = s.GetMany(context.Background(), []int64{a.ID, 555, 777})
		var verr *models.ValidationError
		if !errors.As(err, &verr) || !strings.Contains(verr.Fields["ids"], "555, 777") {
			t.Fatalf("GetMany with unknown ids: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
