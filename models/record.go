package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The steps every versioned, audited entity (students, turmas) writes
// with: create with its audit entry, lock and check the version, update
// or delete at that version with its audit entry. Each store composes
// them inside its own transaction and adds what only it derives (search
// words, moved students, kept counts).

// record is a stored row with a version and an audit trail. P is its
// pointer type, through which the steps read and stamp it.
type record[T any] interface {
	*T
	recordID() int64
	recordVersion() int64
	// stamp sets the version and the time of the change.
	stamp(version int64, at time.Time)
	// auditFields are the fields people see, in a fixed order, as the
	// audit trail records them.
	auditFields() []fieldValue
	// auditName is the record as the audit trail's summary names it.
	auditName() string
}

// fieldValue is one field of a record as the audit trail shows it.
type fieldValue struct{ name, value string }

// recordKind is what the steps need to know of an entity.
type recordKind struct {
	entity Entity
	// auditType is the audit trail's object type; actions are
	// auditType+".create", ".update" and ".delete".
	auditType string
}

// diffFields lists the fields whose values differ between two records'
// auditFields (a zero record for a create or delete).
func diffFields(old, new []fieldValue) map[string]FieldChange {
	changes := map[string]FieldChange{}
	for i := range old {
		if old[i].value != new[i].value {
			changes[old[i].name] = FieldChange{Old: old[i].value, New: new[i].value}
		}
	}
	return changes
}

// createRecord inserts r and records its creation.
func createRecord[T any, P record[T]](tx *gorm.DB, actor Actor, kind recordKind, r P) error {
	if err := tx.Create(r).Error; err != nil {
		return dbError(err)
	}
	var zero T
	return recordAudit(tx, actor, kind.auditType+".create", kind.auditType, r.recordID(), r.auditName(),
		diffFields(P(&zero).auditFields(), r.auditFields()))
}

// getRecord reads record id of kind, or a not-found error naming it.
func getRecord[T any](db *gorm.DB, kind recordKind, id int64) (T, error) {
	var r T
	if err := db.First(&r, id).Error; err != nil {
		return r, about(kind.entity, "", fmt.Errorf("get %s %d: %w", kind.entity, id, dbError(err)))
	}
	return r, nil
}

// lockRecord reads record id inside a transaction and locks its row until
// the transaction ends, so the version compared is the latest committed
// one (SQLite locks the whole database anyway). With a version, a record
// at another version gives ErrConflict together with the current record,
// so the caller can show what changed.
func lockRecord[T any, P record[T]](tx *gorm.DB, kind recordKind, id int64, version *int64) (T, error) {
	cur, err := getRecord[T](tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}), kind, id)
	if err != nil {
		return cur, err
	}
	if version != nil && P(&cur).recordVersion() != *version {
		return cur, &RecordError{Entity: kind.entity, Err: ErrConflict}
	}
	return cur, nil
}

// updateRecord writes columns of record cur, stamping next with the next
// version, and records the change from cur to next. A row changed since
// it was locked (impossible under the lock, but checked) is ErrConflict.
func updateRecord[T any, P record[T]](tx *gorm.DB, actor Actor, kind recordKind, cur, next P, columns map[string]any) error {
	at := now()
	version := cur.recordVersion() + 1
	next.stamp(version, at)
	columns["version"], columns["updated_at"] = version, at
	res := tx.Model(next).Where("id = ? AND version = ?", cur.recordID(), cur.recordVersion()).Updates(columns)
	if res.Error != nil {
		return dbError(res.Error)
	}
	if res.RowsAffected == 0 {
		return &RecordError{Entity: kind.entity, Err: ErrConflict}
	}
	return recordAudit(tx, actor, kind.auditType+".update", kind.auditType, cur.recordID(), next.auditName(),
		diffFields(cur.auditFields(), next.auditFields()))
}

// deleteRecord removes record cur at its version and records the deletion.
func deleteRecord[T any, P record[T]](tx *gorm.DB, actor Actor, kind recordKind, cur P) error {
	res := tx.Where("id = ? AND version = ?", cur.recordID(), cur.recordVersion()).Delete(cur)
	if res.Error != nil {
		return dbError(res.Error)
	}
	if res.RowsAffected != 1 {
		return &RecordError{Entity: kind.entity, Err: ErrConflict}
	}
	var zero T
	return recordAudit(tx, actor, kind.auditType+".delete", kind.auditType, cur.recordID(), cur.auditName(),
		diffFields(cur.auditFields(), P(&zero).auditFields()))
}
