package models

import (
	"context"
	"fmt"
	"testing"

	"gorm.io/gorm"
)

// Ids that are not the database's (a multi-row INSERT numbered as if its
// ids were consecutive where they are not) are corrected from the RAs.
func TestCheckIDsReadsWrongIDsBackByRA(t *testing.T) {
	d, err := Open("sqlite:"+t.TempDir()+"/t.db", DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	alunos := make([]Aluno, 5)
	for i := range alunos {
		alunos[i] = Aluno{Nome: "A", Turma: "1A", RA: fmt.Sprintf("R%d", i), Version: 1}
	}
	err = d.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&alunos).Error; err != nil {
			return err
		}
		want := make([]int64, len(alunos))
		for i := range alunos {
			want[i] = alunos[i].ID
			alunos[i].ID += 2 // as if numbered from the wrong first id
		}
		if err := checkIDs(tx, alunos); err != nil {
			return err
		}
		for i, a := range alunos {
			if a.ID != want[i] {
				t.Errorf("%s has id %d, want %d", a.RA, a.ID, want[i])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
