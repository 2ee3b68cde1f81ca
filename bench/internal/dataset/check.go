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
// search data it stored (busca, word rows, sort keys) with what the loader
// would store, and deletes them again: the loader must fill them exactly
// as the app does, or searches would measure something else.
func CheckSearch(ctx context.Context, db *models.Database) error {
	store := models.NewAlunoStore(db)
	actor := models.Actor{Username: "bench"}
	m := db.Migrator()
	busca, words, keys := m.HasColumn("alunos", "busca"), m.HasTable("aluno_palavras"), m.HasColumn("alunos", "nome_key")
	for i, nome := range checkNames {
		turma, ra := "CHECK", fmt.Sprintf("CHECK-%d", i)
		a, err := store.Create(ctx, actor, models.AlunoInput{Nome: &nome, Turma: &turma, RA: &ra})
		if err != nil {
			return fmt.Errorf("create check student: %w", err)
		}
		err = compareSearch(ctx, db, a.ID, a.Nome, busca, words)
		if err == nil && keys {
			err = compareKeys(ctx, db, a)
		}
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

func compareKeys(ctx context.Context, db *models.Database, a models.Aluno) error {
	var got struct{ NomeKey, TurmaKey string }
	if err := db.WithContext(ctx).Raw("SELECT nome_key, turma_key FROM alunos WHERE id = ?", a.ID).Scan(&got).Error; err != nil {
		return err
	}
	if got.NomeKey != models.SortKey(a.Nome) || got.TurmaKey != models.SortKey(a.Turma) {
		return fmt.Errorf("sort keys of %q, %q: the app stores %q, %q, the loader would store %q, %q", a.Nome, a.Turma,
			got.NomeKey, got.TurmaKey, models.SortKey(a.Nome), models.SortKey(a.Turma))
	}
	return nil
}
