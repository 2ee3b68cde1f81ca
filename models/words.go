package models

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// AlunoPalavra indexes one word of a student's name (lower case, without
// accents) so that "q begins a word of nome" is an index range scan
// (palavra LIKE 'w%') instead of a scan of every name.
type AlunoPalavra struct {
	AlunoID int64  `gorm:"primaryKey;autoIncrement:false;index:idx_aluno_palavras_palavra,priority:2"`
	Palavra string `gorm:"primaryKey;size:120;index:idx_aluno_palavras_palavra,priority:1"`
}

// TableName names the table.
func (AlunoPalavra) TableName() string { return "aluno_palavras" }

// nameWords are the distinct search words of a name.
func nameWords(nome string) []string {
	seen := map[string]bool{}
	var words []string
	for _, w := range searchWords(nome) {
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

// indexWords replaces the word rows of student id, in the caller's transaction.
func indexWords(tx *gorm.DB, id int64, nome string, replace bool) error {
	if replace {
		if err := tx.Where("aluno_id = ?", id).Delete(&AlunoPalavra{}).Error; err != nil {
			return dbError(err)
		}
	}
	words := nameWords(nome)
	if len(words) == 0 {
		return nil
	}
	rows := make([]AlunoPalavra, len(words))
	for i, w := range words {
		rows[i] = AlunoPalavra{AlunoID: id, Palavra: w}
	}
	return dbError(tx.Create(&rows).Error)
}

// indexWordsOf replaces the word rows of many students at once, in the
// caller's transaction: indexWords for a batch, in a few statements.
func indexWordsOf(tx *gorm.DB, alunos []Aluno, replace bool) error {
	if len(alunos) == 0 {
		return nil
	}
	var rows []AlunoPalavra
	ids := make([]int64, len(alunos))
	for i, a := range alunos {
		ids[i] = a.ID
		for _, w := range nameWords(a.Nome) {
			rows = append(rows, AlunoPalavra{AlunoID: a.ID, Palavra: w})
		}
	}
	if replace {
		if err := tx.Where("aluno_id IN ?", ids).Delete(&AlunoPalavra{}).Error; err != nil {
			return dbError(err)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	// in word order, so that each batch inserts into the word index
	// (palavra, aluno_id) page after page rather than all over it
	slices.SortFunc(rows, func(a, b AlunoPalavra) int { return strings.Compare(a.Palavra, b.Palavra) })
	inserts, _ := batchSizes(tx)
	return dbError(tx.CreateInBatches(rows, 4*inserts).Error)
}

// backfillWords indexes the names of students that have no word rows yet
// (a database from before the word index), in batches, once: a setting
// remembers that it is done, so later start-ups cost nothing.
func backfillWords(ctx context.Context, d *Database) error {
	const done = "search_words_indexed"
	if v, err := d.setting(ctx, done); err != nil || v != "" {
		return err
	}
	const batch = 1000
	for last := int64(0); ; {
		var alunos []Aluno
		err := d.WithContext(ctx).Select("id, nome").
			Where("id > ? AND NOT EXISTS (SELECT 1 FROM aluno_palavras p WHERE p.aluno_id = alunos.id)", last).
			Order("id").Limit(batch).Find(&alunos).Error
		if err != nil {
			return fmt.Errorf("backfill search words: %w", dbError(err))
		}
		if len(alunos) == 0 {
			break
		}
		err = transaction(ctx, d.DB, func(tx *gorm.DB) error {
			for _, a := range alunos {
				if err := indexWords(tx, a.ID, a.Nome, false); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		last = alunos[len(alunos)-1].ID
	}
	_, err := d.EnsureSetting(ctx, done, func() (string, error) { return "1", nil })
	return err
}
