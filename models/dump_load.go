package models

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Bounds of one INSERT of an import: rows, and bytes of the file's lines
// (a statement stays far below MariaDB's max_allowed_packet).
const (
	maxBatchRows  = 500
	maxBatchBytes = 1 << 20
)

// batchValues bounds the values bound to one INSERT, per database. The
// SQLite driver matches each placeholder to its argument by a linear
// search, so a statement's cost grows with the square of its values:
// a few hundred is the sweet spot between that and preparing more
// statements. MariaDB gets them interpolated into the text (as the app's
// DSN asks), and fewer round trips are what counts.
var batchValues = map[string]int{"sqlite": 240, "mysql": 30000}

// rowInserter inserts rows of one table in multi-row INSERTs.
type rowInserter struct {
	ctx     context.Context
	conn    gorm.ConnPool
	table   string
	columns []string
	// maxValues bounds the values of one INSERT (see batchValues); maxRows
	// follows from it.
	maxValues, maxRows int
	rows               [][]any
	size               int
	loaded             afterBatch
}

func newRowInserter(ctx context.Context, conn gorm.ConnPool, maxValues int, table string, columns []string, loaded afterBatch) *rowInserter {
	return &rowInserter{ctx: ctx, conn: conn, table: table, columns: columns, loaded: loaded, maxValues: maxValues,
		maxRows: max(1, min(maxBatchRows, maxValues/max(len(columns), 1)))}
}

// add queues a row (size bytes in the file), inserting when a batch is full.
func (ins *rowInserter) add(row []any, size int) error {
	ins.rows = append(ins.rows, row)
	ins.size += size
	if len(ins.rows) >= ins.maxRows || ins.size >= maxBatchBytes {
		return ins.flush()
	}
	return nil
}

// flush inserts the queued rows, then derives what they imply.
func (ins *rowInserter) flush() error {
	if len(ins.rows) == 0 || len(ins.columns) == 0 {
		ins.rows = ins.rows[:0]
		return nil
	}
	quoted := make([]string, len(ins.columns))
	for i, c := range ins.columns {
		quoted[i] = quoteName(c)
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(ins.columns)), ",") + ")"
	var sb strings.Builder
	sb.WriteString("INSERT INTO " + quoteName(ins.table) + " (" + strings.Join(quoted, ", ") + ") VALUES ")
	args := make([]any, 0, len(ins.rows)*len(ins.columns))
	for i, r := range ins.rows {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(one)
		args = append(args, r...)
	}
	if _, err := ins.conn.ExecContext(ins.ctx, sb.String(), args...); err != nil {
		return fmt.Errorf("load %s: %w", ins.table, dbError(err))
	}
	if ins.loaded != nil {
		if err := ins.loaded(ins, ins.columns, ins.rows); err != nil {
			return err
		}
	}
	ins.rows, ins.size = ins.rows[:0], 0
	return nil
}

// loadWordsOf writes the search words of a batch of loaded students, which the
// export leaves out: they follow from the names.
func loadWordsOf(ins *rowInserter, columns []string, rows [][]any) error {
	id, nome := slices.Index(columns, "id"), slices.Index(columns, "nome")
	if id < 0 || nome < 0 {
		return badDump("table alunos without the columns id and nome")
	}
	words := newRowInserter(ins.ctx, ins.conn, ins.maxValues, "aluno_palavras", []string{"aluno_id", "palavra"}, nil)
	for _, r := range rows {
		n, _ := r[nome].(string)
		for _, w := range nameWords(n) {
			if err := words.add([]any{r[id], w}, len(w)+16); err != nil {
				return err
			}
		}
	}
	return words.flush()
}

// maxStudentID is the largest id a student has had, in the trash too.
func maxStudentID(db *gorm.DB) (int64, error) {
	var id int64
	err := db.Raw("SELECT COALESCE(MAX(id), 0) FROM (SELECT id FROM alunos UNION ALL SELECT id FROM alunos_excluidos) ids").Scan(&id).Error
	return id, dbError(err)
}

// continueSQLiteIDs makes SQLite number new students after every imported
// one, the deleted ones included (inserting ids already moved it past
// the live ones), so a restore never meets its id taken.
func (imp *importer) continueSQLiteIDs(tx *gorm.DB) error {
	if imp.dialect != "sqlite" {
		return nil
	}
	last, err := maxStudentID(tx)
	if err != nil || last == 0 {
		return err
	}
	res := tx.Exec("UPDATE sqlite_sequence SET seq = ? WHERE name = 'alunos' AND seq < ?", last, last)
	if res.Error != nil {
		return fmt.Errorf("number new students: %w", dbError(res.Error))
	}
	err = tx.Exec("INSERT INTO sqlite_sequence (name, seq) SELECT 'alunos', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'alunos')", last).Error
	return dbError(err)
}

// continueIDs does the same on MariaDB, after the import's transaction:
// ALTER TABLE would commit it. InnoDB keeps the counter across restarts
// (MariaDB 10.2 and later).
func (d *Database) continueIDs(ctx context.Context) error {
	if d.Dialect != "mysql" {
		return nil
	}
	db := d.WithContext(ctx)
	last, err := maxStudentID(db)
	if err != nil || last == 0 {
		return err
	}
	if err := db.Exec(fmt.Sprintf("ALTER TABLE alunos AUTO_INCREMENT = %d", last+1)).Error; err != nil {
		return fmt.Errorf("number new students: %w", dbError(err))
	}
	return nil
}
