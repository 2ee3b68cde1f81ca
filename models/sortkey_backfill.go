package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// backfillSortKeys computes the sort keys of every student once per
// version of the rules (a setting remembers it), in batches: for a
// database from before the keys, whose new columns are empty, and after a
// change of the rules.
func backfillSortKeys(ctx context.Context, d *Database) error {
	done := "sort_keys " + sortKeyVersion
	if v, err := d.setting(ctx, done); err != nil || v != "" {
		return err
	}
	for last := int64(0); last >= 0; {
		err := transaction(ctx, d.DB, func(tx *gorm.DB) error {
			var err error
			last, err = backfillSortKeyBatch(tx, last)
			return err
		})
		if err != nil {
			return fmt.Errorf("backfill sort keys: %w", err)
		}
	}
	_, err := d.EnsureSetting(ctx, done, func() (string, error) { return "1", nil })
	return err
}

// backfillSortKeyBatch updates the keys of the students after id last
// that need it, a batch at a time, and returns the batch's last id, or -1
// after the last batch. The rows stay locked until the transaction ends,
// so a concurrent edit cannot be overwritten with its old name's key.
func backfillSortKeyBatch(tx *gorm.DB, last int64) (int64, error) {
	const batch = 500
	var alunos []Aluno
	err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).
		Select("id, nome, turma, nome_key, turma_key").Where("id > ?", last).
		Order("id").Limit(batch).Find(&alunos).Error
	if err != nil || len(alunos) == 0 {
		return -1, dbError(err)
	}
	var nomes, turmas, ids []any
	for _, a := range alunos {
		if nome, turma := SortKey(a.Nome), SortKey(a.Turma); nome != a.NomeKey || turma != a.TurmaKey {
			nomes, turmas, ids = append(nomes, a.ID, nome), append(turmas, a.ID, turma), append(ids, a.ID)
		}
	}
	if len(ids) > 0 {
		// One statement for the batch, not one round trip per row.
		cases := strings.Repeat(" WHEN ? THEN ?", len(ids))
		sql := "UPDATE alunos SET nome_key = CASE id" + cases + " END, turma_key = CASE id" + cases +
			" END WHERE id IN (?" + strings.Repeat(",?", len(ids)-1) + ")"
		args := append(append(nomes, turmas...), ids...)
		if err := tx.Exec(sql, args...).Error; err != nil {
			return -1, dbError(err)
		}
	}
	if len(alunos) < batch {
		return -1, nil
	}
	return alunos[len(alunos)-1].ID, nil
}
