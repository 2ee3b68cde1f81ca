package models_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// TestTurmaCaseIsIgnored checks that turmas differing only in letter case
// (or accents) are one turma on every database: a new spelling is stored
// as the existing one, the filter matches either, and the filter's list
// names each turma once.
func TestTurmaCaseIsIgnored(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewAlunoStore(db)
		first := mustCreate(t, s, "Ana", "1A", "R1")
		if a := mustCreate(t, s, "Bia", "1a", "R2"); a.Turma != "1A" {
			t.Errorf("created in 1a: stored %q, want the existing 1A", a.Turma)
		}
		if a := mustCreate(t, s, "Caio", "Única", "R3"); a.Turma != "Única" {
			t.Errorf("a new turma is stored as typed: %q", a.Turma)
		}
		if a := mustCreate(t, s, "Davi", "UNICA", "R4"); a.Turma != "Única" {
			t.Errorf("created in UNICA: stored %q, want Única", a.Turma)
		}
		moved, err := s.Update(ctx, tester, first.ID, first.Version, models.AlunoInput{Turma: ptr("única")}, false)
		if err != nil || moved.Turma != "Única" {
			t.Fatalf("moved to única: %q, %v", moved.Turma, err)
		}
		// a turma's spelling changes by renaming the turma (TurmaStore.Update),
		// not through one of its students
		alone := mustCreate(t, s, "Eva", "3b", "R5")
		if same, err := s.Update(ctx, tester, alone.ID, alone.Version, models.AlunoInput{Turma: ptr("3B")}, false); err != nil || same.Turma != "3b" || same.Version != alone.Version {
			t.Fatalf("3B for the student of 3b: %+v, %v; want it unchanged", same, err)
		}
		// a spelling an earlier version stored beside another
		at := time.Now().UTC()
		if err := db.Exec("INSERT INTO alunos (nome, turma, ra, version, created_at, updated_at, nome_key, turma_key) VALUES (?, ?, ?, 1, ?, ?, ?, ?)",
			"Fabi", "3B", "R6", at, at, models.SortKey("Fabi"), models.SortKey("3B")).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("UPDATE alunos SET turma = '3b' WHERE ra = 'R5'").Error; err != nil {
			t.Fatal(err)
		}
		for turma, want := range map[string][]string{"1a": {"R2"}, "1A": {"R2"}, "unica": {"R1", "R3", "R4"}, "3B": {"R5", "R6"}, "3b": {"R5", "R6"}} {
			list, total, err := s.List(ctx, mustParse(t, "turma="+turma))
			if err != nil || !slices.Equal(ras(list), want) || total != int64(len(want)) {
				t.Errorf("turma=%s: %v (total %d, %v), want %v", turma, ras(list), total, err, want)
			}
		}
		turmas, err := models.NewTurmaStore(db).Codigos(ctx)
		if err != nil || !slices.Equal(turmas, []string{"1A", "3b", "Única"}) {
			t.Errorf("turmas %q, %v; want each once, in order", turmas, err)
		}
	})
}
