package dataset

import (
	"context"
	"fmt"
	"slices"

	"schooladmin/models"
)

// checkNames are names whose search words are easy to get wrong.
var checkNames = []string{
	"João d'Ávila", "  ÉLIDA Müller-Sá ", "Maria Eduarda dos Santos Santos", "Ñandú 3º Conceição", "Zoë O’Brien Iñárritu",
}

// CheckSearch creates students through the app's own store, compares the
// search data it stored (busca, word rows) with what the loader would
// store, and deletes them again: the loader must fill them exactly as the
// app does, or searches would measure something else.
func CheckSearch(ctx context.Context, db *models.Database) error {
	store := models.NewStudentStore(db)
	actor := models.Actor{Username: "bench"}
	m := db.Migrator()
	busca, words := m.HasColumn("alunos", "busca"), m.HasTable("aluno_palavras")
	for i, nome := range checkNames {
		turma, ra := "CHECK", fmt.Sprintf("CHECK-%d", i)
		a, err := store.Create(ctx, actor, models.AlunoInput{Nome: &nome, Turma: &turma, RA: &ra})
		if err != nil {
			return fmt.Errorf("create check student: %w", err)
		}
		err = compareSearch(ctx, db, a.ID, a.Nome, busca, words)
		if derr := store.Delete(ctx, actor, a.ID, nil); derr != nil && err == nil {
			err = fmt.Errorf("delete check student: %w", derr)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func compareSearch(ctx context.Context, db *models.Database, id int64, nome string, busca, words bool) error {
	if busca {
		var got string
		if err := db.WithContext(ctx).Raw("SELECT busca FROM alunos WHERE id = ?", id).Scan(&got).Error; err != nil {
			return err
		}
		if want := SearchKey(nome); got != want {
			return fmt.Errorf("busca of %q: the app stores %q, the loader would store %q", nome, got, want)
		}
	}
	if words {
		var got []string
		if err := db.WithContext(ctx).Raw("SELECT palavra FROM aluno_palavras WHERE aluno_id = ?", id).Scan(&got).Error; err != nil {
			return err
		}
		want := DistinctWords(nome)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("words of %q: the app stores %q, the loader would store %q", nome, got, want)
		}
	}
	return nil
}
