package models_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// trashed lists the trash, newest deletion first.
func trashed(t *testing.T, s *models.AlunoStore) []models.AlunoExcluido {
	t.Helper()
	q, err := models.ParseListQuery(models.TrashList, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	list, total, err := s.Trash(context.Background(), q)
	if err != nil || int(total) != len(list) {
		t.Fatalf("trash: %v (total %d, %d rows)", err, total, len(list))
	}
	return list
}

// turmaCount is the kept count of students of turma codigo.
func turmaCount(t *testing.T, db *models.Database, codigo string) int64 {
	t.Helper()
	q, _ := models.ParseListQuery(models.TurmaList, url.Values{"q": {codigo}})
	list, _, err := models.NewTurmaStore(db).List(context.Background(), q)
	if err != nil || len(list) != 1 {
		t.Fatalf("turma %s: %v %v", codigo, list, err)
	}
	return list[0].Alunos
}

// searchTotal is how many students a name search finds.
func searchTotal(t *testing.T, s *models.AlunoStore, q string) int64 {
	t.Helper()
	_, total, err := s.List(context.Background(), models.ListQuery{Q: q, Sort: "id", Page: 1, PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func TestDeletedStudentGoesToTrashAndComesBackWhole(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewAlunoStore(db)
		a := mustCreate(t, s, "Ana Souza", "1A", "R1")
		a, err := s.Update(ctx, tester, a.ID, a.Version, models.AlunoInput{Nome: ptr("Ana Souza Lima")}, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, models.Actor{Username: "maria"}, a.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctx, a.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("get after delete: %v, want not found", err)
		}
		if n := searchTotal(t, s, "lima"); n != 0 {
			t.Fatalf("search finds %d deleted students", n)
		}
		if n := turmaCount(t, db, "1A"); n != 0 {
			t.Fatalf("1A counts %d after its student was deleted", n)
		}
		list := trashed(t, s)
		if len(list) != 1 || list[0].ID != a.ID || list[0].Nome != a.Nome || list[0].Version != a.Version ||
			list[0].DeletedBy != "maria" || list[0].DeletedAt.IsZero() {
			t.Fatalf("trash %+v, want %+v deleted by maria", list, a)
		}

		back, err := s.Restore(ctx, tester, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, a.ID)
		if err != nil || got != back || got.Version != a.Version || got.RA != "R1" ||
			!got.CreatedAt.Equal(a.CreatedAt) || !got.UpdatedAt.Equal(a.UpdatedAt) {
			t.Fatalf("restored %+v (returned %+v) %v, want %+v", got, back, err, a)
		}
		if n := searchTotal(t, s, "lima"); n != 1 {
			t.Fatalf("search finds %d restored students, want 1", n)
		}
		if n := turmaCount(t, db, "1A"); n != 1 {
			t.Fatalf("1A counts %d after the restore, want 1", n)
		}
		if list := trashed(t, s); len(list) != 0 {
			t.Fatalf("trash after restore: %+v", list)
		}
		events, err := models.NewAuditStore(db).History(ctx, models.AuditAluno, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, ev := range events {
			actions = append(actions, ev.Action)
		}
		want := []string{"student.restore", "student.delete", "student.update", "student.create"}
		if !equal(actions, want) {
			t.Fatalf("history %v, want %v", actions, want)
		}
	})
}

func TestDeletedRAIsFreeAndRestoreNamesItsNewHolder(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewAlunoStore(db)
		a := mustCreate(t, s, "Ana", "1A", "R1")
		if err := s.Delete(ctx, tester, a.ID, nil); err != nil {
			t.Fatal(err)
		}
		b := mustCreate(t, s, "Bia", "1B", "r1")
		_, err := s.Restore(ctx, tester, a.ID)
		var taken *models.RATakenError
		if !errors.Is(err, models.ErrDuplicate) || !errors.As(err, &taken) || taken.Holder.ID != b.ID || taken.Holder.Nome != "Bia" {
			t.Fatalf("restore onto a taken RA: %v, want a duplicate naming Bia", err)
		}
		if list := trashed(t, s); len(list) != 1 || list[0].ID != a.ID {
			t.Fatalf("a refused restore changed the trash: %+v", list)
		}
		if n := turmaCount(t, db, "1A"); n != 0 {
			t.Fatalf("a refused restore left 1A counting %d", n)
		}
	})
}

func TestRestoreRecreatesADeletedTurma(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s, turmas := models.NewAlunoStore(db), models.NewTurmaStore(db)
		a := mustCreate(t, s, "Ana", "7C", "R1")
		if err := s.Delete(ctx, tester, a.ID, nil); err != nil {
			t.Fatal(err)
		}
		q, _ := models.ParseListQuery(models.TurmaList, url.Values{"q": {"7C"}})
		list, _, err := turmas.List(ctx, q)
		if err != nil || len(list) != 1 {
			t.Fatalf("turma 7C: %v %v", list, err)
		}
		if err := turmas.Delete(ctx, tester, list[0].ID, nil); err != nil {
			t.Fatalf("delete the emptied turma: %v", err)
		}
		back, err := s.Restore(ctx, tester, a.ID)
		if err != nil || back.Turma != "7C" {
			t.Fatalf("restore: %+v %v", back, err)
		}
		if n := turmaCount(t, db, "7C"); n != 1 {
			t.Fatalf("recreated 7C counts %d, want 1", n)
		}
	})
}

func TestTrashIsPurgedAfterRetention(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewAlunoStore(db)
		a := mustCreate(t, s, "Ana", "1A", "R1")
		b := mustCreate(t, s, "Bia", "1A", "R2")
		for _, id := range []int64{a.ID, b.ID} {
			if err := s.Delete(ctx, tester, id, nil); err != nil {
				t.Fatal(err)
			}
		}
		retention := 30 * 24 * time.Hour
		if n, err := s.PurgeTrash(ctx, models.SystemActor, time.Now().Add(-retention)); err != nil || n != 0 {
			t.Fatalf("purge of fresh deletions: %d %v, want none", n, err)
		}
		// 31 days later
		later := time.Now().Add(31 * 24 * time.Hour)
		if n, err := s.PurgeTrash(ctx, models.SystemActor, later.Add(-retention)); err != nil || n != 2 {
			t.Fatalf("purge after the retention: %d %v, want 2", n, err)
		}
		if list := trashed(t, s); len(list) != 0 {
			t.Fatalf("trash after the purge: %+v", list)
		}
		if _, err := s.Restore(ctx, tester, a.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("restore of a purged student: %v, want not found", err)
		}
		events, err := models.NewAuditStore(db).History(ctx, models.AuditAluno, a.ID)
		if err != nil || len(events) == 0 || events[0].Action != "student.purge" || events[0].Actor != "system" {
			t.Fatalf("history after the purge: %+v %v", events, err)
		}
	})
}
