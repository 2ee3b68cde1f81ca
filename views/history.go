package views

import (
	"maps"
	"slices"

	"schooladmin/models"
)

// ChangeRow is one changed field of an audit event.
type ChangeRow struct {
	Field, Old, New string
}

// ChangeRows lists an event's field changes in field order.
func ChangeRows(ev models.AuditEvent) []ChangeRow {
	changes := ev.ChangeList()
	rows := make([]ChangeRow, 0, len(changes))
	for _, field := range slices.Sorted(maps.Keys(changes)) {
		ch := changes[field]
		rows = append(rows, ChangeRow{Field: FieldLabel(field), Old: FieldValue(field, ch.Old), New: FieldValue(field, ch.New)})
	}
	return rows
}
