package models

import (
	"context"

	"gorm.io/gorm"
)

// RAStrategyIDs lists, in order, the ids that a search that begins some
// RAs selects with the given strategy (names: some names match too;
// probe: many match), following the cursor from page to page, for tests
// to compare every strategy on every database.
func (s *AlunoStore) RAStrategyIDs(ctx context.Context, q ListQuery, names, probe bool) ([]int64, error) {
	q.words = q.searchWords()
	var ids []int64
	for {
		query, order, walk := q.withRA(s.reads.WithContext(ctx).Model(&Aluno{}), newRAMatch(raPrefixOf(q.Q)), names, probe)
		read := s.listPage
		if !walk {
			read = func(query *gorm.DB, q ListQuery, order string, total int64) ([]Aluno, int64, error) {
				return s.listIDsFirst(ctx, query, q, order, total)
			}
		}
		page, _, err := read(query, q, order, 1)
		if err != nil {
			return nil, err
		}
		for _, a := range page {
			ids = append(ids, a.ID)
		}
		if len(page) < q.PerPage {
			return ids, nil
		}
		c, _ := parseCursor(q.NextCursor(page[len(page)-1].SortValue(q.SortKey()), page[len(page)-1].ID), q.sortColumn())
		q.cursor = &c
	}
}

// SetBatches makes the batched writes use smaller batches until the
// returned function restores them, so a test crosses batches with few rows.
func SetBatches(insert, update int) (restore func()) {
	oldInsert, oldUpdate, oldSQLite := insertBatch, updateBatch, sqliteBatch
	insertBatch, updateBatch, sqliteBatch = insert, update, update
	return func() { insertBatch, updateBatch, sqliteBatch = oldInsert, oldUpdate, oldSQLite }
}
