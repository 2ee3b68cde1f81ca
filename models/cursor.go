package models

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A cursor marks where the previous page ended: the last row's value in
// the sort column (for text people read, its sort key) and id. Continuing
// from it is an index range scan, however deep the page, where OFFSET
// would read and discard every earlier row.
type cursor struct {
	Value string `json:"v"`
	ID    int64  `json:"id"`
}

// NextCursor is the cursor parameter of the page after one ending with the
// row whose sort column holds value and whose id is id.
func (q ListQuery) NextCursor(value string, id int64) string {
	if q.sortColumn() == "id" {
		value = ""
	}
	b, _ := json.Marshal(cursor{Value: value, ID: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

// timeColumn reports whether col holds times, which cursors carry in RFC
// 3339.
func timeColumn(col string) bool { return strings.HasSuffix(col, "_at") }

// CursorTime is how a cursor carries a time.
func CursorTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// parseCursor decodes a cursor parameter for the sort column; ok is false
// when it is malformed or was made for another sort.
func parseCursor(raw, column string) (cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	var c cursor
	if err != nil || json.Unmarshal(b, &c) != nil || c.ID <= 0 {
		return cursor{}, false
	}
	switch {
	case column == "id":
		return c, c.Value == ""
	case timeColumn(column):
		_, err := time.Parse(time.RFC3339Nano, c.Value)
		return c, err == nil
	case strings.HasSuffix(column, "_key"):
		return c, validSortKey(c.Value)
	}
	return c, true
}

// after restricts db to the rows after the cursor in the query's order.
func (q ListQuery) after(db *gorm.DB) *gorm.DB {
	c := q.cursor
	op := ">"
	if q.Descending() {
		op = "<"
	}
	col := q.sortColumn()
	switch {
	case col == "id":
		return db.Where("id "+op+" ?", c.ID)
	case slices.Contains(q.spec.Unique, q.SortKey()): // the id breaks no ties
		return db.Where(col+" "+op+" ?", c.Value)
	}
	var value any = c.Value
	if timeColumn(col) {
		value, _ = time.Parse(time.RFC3339Nano, c.Value)
	}
	return db.Where("("+col+" "+op+" ? OR ("+col+" = ? AND id "+op+" ?))", value, value, c.ID)
}
