package models

// SetBatches makes the batched writes use smaller batches until the
// returned function restores them, so a test crosses batches with few rows.
func SetBatches(insert, update int) (restore func()) {
	oldInsert, oldUpdate, oldSQLite := insertBatch, updateBatch, sqliteBatch
	insertBatch, updateBatch, sqliteBatch = insert, update, update
	return func() { insertBatch, updateBatch, sqliteBatch = oldInsert, oldUpdate, oldSQLite }
}
