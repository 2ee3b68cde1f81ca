package models

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// TestBulkStepRollsBackForAStudentGoneMidway covers a student deleted
// after Bulk checked the ids: its step names it like an unknown id, and
// the steps before it in the transaction are undone.
func TestBulkStepRollsBackForAStudentGoneMidway(t *testing.T) {
	ctx := context.Background()
	s := migratedAlunoStore(t)
	nome, ra, turma := "Ana", "R1", "1A"
	a, err := s.Create(ctx, Actor{}, AlunoInput{Nome: &nome, RA: &ra, Turma: &turma})
	if err != nil {
		t.Fatal(err)
	}
	move := AlunoBulk{Action: BulkSetTurma, Turma: "2B"}
	err = transaction(ctx, s.db, func(tx *gorm.DB) error {
		if _, err := bulkStep(tx, Actor{}, move, a.ID); err != nil {
			t.Fatalf("moving Ana: %v", err)
		}
		_, err := bulkStep(tx, Actor{}, move, a.ID+1)
		return err
	})
	var verr *ValidationError
	if !errors.As(err, &verr) || !strings.Contains(verr.Fields["ids"], "não encontrado: 2") {
		t.Fatalf("a step for a missing student: %v, want it named", err)
	}
	if got, _ := s.Get(ctx, a.ID); got.Turma != "1A" || got.Version != 1 {
		t.Errorf("Ana after the rollback: %+v", got)
	}
}
