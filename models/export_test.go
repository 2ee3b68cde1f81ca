package models

// SetBatches makes the batched writes use smaller batches until the
// returned function restores them, so a test crosses batches with few rows.
func SetBatches(insert, update int) (restore func()) {
	oldInsert, oldUpdate := insertBatch, updateBatch
	insertBatch, updateBatch = insert, update
	return func() { insertBatch, updateBatch = oldInsert, oldUpdate }
}
