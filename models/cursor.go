package models

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// A cursor marks where the previous page ended: the last row's sort value
// (for nome and turma, its sort key) and id. Continuing from it is an index range scan, however deep the
// page, where OFFSET would read and discard every earlier row.
type cursor struct {
	Value string `json:"v"`
	ID    int64  `json:"id"`
}

// NextCursor is the cursor parameter of the page after one ending with last.
func (q StudentQuery) NextCursor(last Aluno) string {
	b, _ := json.Marshal(q.cursorAfter(last))
	return base64.RawURLEncoding.EncodeToString(b)
}

// cursorAfter is the cursor of the rows after last in the query's order.
func (q StudentQuery) cursorAfter(last Aluno) cursor {
	c := cursor{ID: last.ID}
	switch q.SortKey() {
	case "nome":
		c.Value = last.NomeKey
	case "turma":
		c.Value = last.TurmaKey
	case "ra":
		c.Value = last.RA
	case "created_at":
		c.Value = last.CreatedAt.UTC().Format(time.RFC3339Nano)
	case "updated_at":
		c.Value = last.UpdatedAt.UTC().Format(time.RFC3339Nano)
	}
	return c
}

// parseCursor decodes a cursor parameter for sort key; ok is false when it
// is malformed or was made for another sort.
func parseCursor(raw, sortKey string) (cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	var c cursor
	if err != nil || json.Unmarshal(b, &c) != nil || c.ID <= 0 {
		return cursor{}, false
	}
	switch sortKey {
	case "id":
		return c, c.Value == ""
	case "created_at", "updated_at":
		_, err := time.Parse(time.RFC3339Nano, c.Value)
		return c, err == nil
	case "nome", "turma":
		return c, validSortKey(c.Value)
	}
	return c, true
}

// after restricts db to the rows after the cursor in the query's order.
func (q StudentQuery) after(db *gorm.DB) *gorm.DB {
	c := q.cursor
	op := ">"
	if q.Descending() {
		op = "<"
	}
	col := sortColumns[q.SortKey()]
	if col == "id" {
		return db.Where("id "+op+" ?", c.ID)
	}
	var value any = c.Value
	if col == "created_at" || col == "updated_at" {
		value, _ = time.Parse(time.RFC3339Nano, c.Value)
	}
	return db.Where("("+col+" "+op+" ? OR ("+col+" = ? AND id "+op+" ?))", value, value, c.ID)
}
