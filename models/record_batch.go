package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// The steps of record.go for many records of one kind at once (an
// import): the same audit entries, versions and conflict rule, one
// statement per batch of records instead of several per record.

// Records per statement. On MariaDB every statement is a round trip,
// which on a busy machine costs more than the rows it carries: an INSERT
// takes insertBatch rows (well under the packet size); an UPDATE's CASE
// expressions cost each row a look through the batch, so updates go by
// updateBatch. The pure-Go SQLite driver looks each parameter up among
// all of a statement's (glebarez/go-sqlite's bind), so there a
// statement's cost grows with the square of its rows, and a round trip
// costs nothing: sqliteBatch rows. (Variables only so that tests can
// cross batches with few rows.)
var (
	insertBatch = 2000
	updateBatch = 500
	sqliteBatch = 50
)

// batchSizes are the rows per INSERT and per UPDATE on db's database.
func batchSizes(db *gorm.DB) (insert, update int) {
	if db.Dialector.Name() == "sqlite" {
		return sqliteBatch, sqliteBatch
	}
	return insertBatch, updateBatch
}

// createRecords inserts rs and records each creation as createRecord
// does. ids sets the id the database gave each record (read back by a
// unique key: a multi-row INSERT's ids are consecutive only under some
// settings, and not on Galera).
func createRecords[T any, P record[T]](tx *gorm.DB, actor Actor, kind recordKind, rs []T, ids func(tx *gorm.DB, rs []T) error) error {
	if len(rs) == 0 {
		return nil
	}
	inserts, _ := batchSizes(tx)
	if err := tx.CreateInBatches(rs, inserts).Error; err != nil {
		return dbError(err)
	}
	if err := ids(tx, rs); err != nil {
		return err
	}
	var zero T
	events := make([]AuditEvent, len(rs))
	for i := range rs {
		r := P(&rs[i])
		ev, err := newAuditEvent(actor, kind.auditType+".create", kind.auditType, r.recordID(), r.auditName(),
			diffFields(P(&zero).auditFields(), r.auditFields()))
		if err != nil {
			return err
		}
		events[i] = ev
	}
	return insertAudit(tx, events)
}

// recordChange is one record of an updateRecords: as locked, and as it
// becomes (stamped by updateRecords).
type recordChange[T any] struct{ cur, next T }

// updateRecords writes columns of every change's next record, stamping
// each with its next version, and records each change, as updateRecord
// does. Each batch is one UPDATE whose columns are CASE expressions on
// the id, guarded by each record's locked version: a record changed since
// it was locked (impossible under the lock, but checked) is ErrConflict.
// values gives a record's values of columns, in that order.
func updateRecords[T any, P record[T]](tx *gorm.DB, actor Actor, kind recordKind, changes []recordChange[T], columns []string, values func(P) []any) error {
	at := now()
	_, size := batchSizes(tx)
	for start := 0; start < len(changes); start += size {
		batch := changes[start:min(start+size, len(changes))]
		ids := make([]int64, len(batch))
		cols := make([][]any, len(columns)) // per column: id, value, id, value ...
		versions := make([]any, 0, 2*len(batch))
		for i := range batch {
			cur, next := P(&batch[i].cur), P(&batch[i].next)
			ids[i] = cur.recordID()
			versions = append(versions, ids[i], cur.recordVersion())
			next.stamp(cur.recordVersion()+1, at)
			for j, v := range values(next) {
				cols[j] = append(cols[j], ids[i], v)
			}
		}
		set := map[string]any{"version": gorm.Expr("version + 1"), "updated_at": at}
		for j, col := range columns {
			set[col] = gorm.Expr(caseOnID(len(batch)), cols[j]...)
		}
		res := tx.Model(new(T)).Where("id IN ?", ids).Where("version = "+caseOnID(len(batch)), versions...).Updates(set)
		if res.Error != nil {
			return dbError(res.Error)
		}
		if res.RowsAffected != int64(len(batch)) {
			return &RecordError{Entity: kind.entity, Err: ErrConflict}
		}
		if err := auditUpdates[T, P](tx, actor, kind, batch); err != nil {
			return err
		}
	}
	return nil
}

// caseOnID is "CASE id WHEN ? THEN ? ... END" for n records.
func caseOnID(n int) string {
	return "CASE id" + strings.Repeat(" WHEN ? THEN ?", n) + " END"
}

// auditUpdates records a batch of updates as updateRecord does each.
func auditUpdates[T any, P record[T]](tx *gorm.DB, actor Actor, kind recordKind, batch []recordChange[T]) error {
	events := make([]AuditEvent, len(batch))
	for i := range batch {
		cur, next := P(&batch[i].cur), P(&batch[i].next)
		ev, err := newAuditEvent(actor, kind.auditType+".update", kind.auditType, cur.recordID(), next.auditName(),
			diffFields(cur.auditFields(), next.auditFields()))
		if err != nil {
			return err
		}
		events[i] = ev
	}
	return insertAudit(tx, events)
}

// insertAudit appends events in batches.
func insertAudit(tx *gorm.DB, events []AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	inserts, _ := batchSizes(tx)
	if err := tx.CreateInBatches(events, inserts).Error; err != nil {
		return fmt.Errorf("audit %s: %w", events[0].Action, dbError(err))
	}
	return nil
}
