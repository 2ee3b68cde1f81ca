package models

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ErrDatabaseNotEmpty means an import was pointed at a database that
// already holds data: it loads only into an empty one.
var ErrDatabaseNotEmpty = errors.New("the database is not empty")

// Import loads an export (see Export) into this database, which must be
// empty: new, or only migrated. It reads the file as a stream and loads
// it in one transaction, on SQLite and on MariaDB alike, keeping every
// id, version and time; each table's checksum and row count are compared
// as its end is reached, and a damaged or cut-short file (ErrBadDump)
// rolls everything back. The search words are rebuilt from the names.
// Ids continue after the largest imported one, a deleted student's too.
func (d *Database) Import(ctx context.Context, r io.Reader) (DumpSummary, error) {
	var sum DumpSummary
	tables, err := dumpTables(d.DB)
	if err != nil {
		return sum, err
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return sum, badDump("not gzip-compressed (%v)", err)
	}
	in := &dumpReader{r: bufio.NewReaderSize(zr, 1<<20)}
	head, err := in.control()
	switch {
	case err != nil:
		return sum, err
	case head.Format != dumpFormat:
		return sum, badDump("its first line does not name the format %s", dumpFormat)
	case head.Version < 1 || head.Version > dumpVersion:
		return sum, badDump("format version %d; this schooladmin reads up to version %d (use a newer one)", head.Version, dumpVersion)
	}
	sum.Dialect = head.Dialect
	if err := d.checkEmpty(ctx, tables); err != nil {
		return sum, err
	}
	err = d.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		imp := &importer{ctx: ctx, conn: tx.Statement.ConnPool, dialect: d.Dialect, tables: tables, in: in, sum: &sum}
		return imp.run(tx)
	})
	if err != nil {
		return sum, err
	}
	return sum, d.continueIDs(ctx)
}

// checkEmpty refuses a database that holds anything but what a migration
// makes (the built-in roles and its own settings, which the import
// replaces with the file's).
func (d *Database) checkEmpty(ctx context.Context, tables []*dumpTable) error {
	var found []string
	count := func(table string, where ...any) error {
		var n int64
		if err := d.WithContext(ctx).Table(table).Where(where[0], where[1:]...).Count(&n).Error; err != nil {
			return fmt.Errorf("count %s: %w", table, dbError(err))
		}
		if n > 0 {
			found = append(found, fmt.Sprintf("%d in %s", n, table))
		}
		return nil
	}
	for _, t := range tables {
		var err error
		switch t.name {
		case "role_permissions", "settings":
		case "roles":
			err = count(t.name, "built_in = ?", false)
		default:
			err = count(t.name, "1 = 1")
		}
		if err != nil {
			return err
		}
	}
	if err := count("aluno_palavras", "1 = 1"); err != nil {
		return err
	}
	if len(found) > 0 {
		return fmt.Errorf("%w: it already holds rows (%s)", ErrDatabaseNotEmpty, strings.Join(found, ", "))
	}
	return nil
}

// importer loads the tables of one file in one transaction.
type importer struct {
	ctx     context.Context
	conn    gorm.ConnPool
	dialect string
	tables  []*dumpTable
	in      *dumpReader
	sum     *DumpSummary
}

// run reads every table, then the closing line and the end of the
// stream, where gzip checks its own checksum.
func (imp *importer) run(tx *gorm.DB) error {
	// The migration's own rows make way for the file's.
	for _, table := range []string{"role_permissions", "roles", "settings"} {
		if err := tx.Exec("DELETE FROM " + quoteName(table)).Error; err != nil {
			return fmt.Errorf("clear %s: %w", table, dbError(err))
		}
	}
	for {
		l, err := imp.in.control()
		if err != nil {
			return err
		}
		switch {
		case l.Table != "":
			if err := imp.loadTable(l.Table, l.Columns); err != nil {
				return err
			}
		case l.Complete:
			if l.Tables != len(imp.sum.Tables) {
				return badDump("the closing line counts %d tables, the file has %d", l.Tables, len(imp.sum.Tables))
			}
			if _, err := imp.in.next(); !errors.Is(err, io.EOF) {
				return cmp.Or(err, badDump("line %d: more after the closing line", imp.in.line))
			}
			return imp.continueSQLiteIDs(tx)
		default:
			return badDump("line %d: want a table's first line or the closing line", imp.in.line)
		}
	}
}

// loadTable loads the rows of the named table, whose file columns are
// columns (a subset of the table's: a column the file lacks takes its
// default), up to and including its end line.
func (imp *importer) loadTable(name string, columns []string) error {
	i := slices.IndexFunc(imp.tables, func(t *dumpTable) bool { return t.name == name })
	if i < 0 {
		return badDump("line %d: unknown table %s (an export of a newer schooladmin?)", imp.in.line, name)
	}
	if slices.ContainsFunc(imp.sum.Tables, func(t DumpTable) bool { return t.Name == name }) {
		return badDump("line %d: table %s appears twice", imp.in.line, name)
	}
	t := imp.tables[i]
	cols := make([]dumpColumn, len(columns))
	for j, c := range columns {
		k := t.column(c)
		if k < 0 {
			return badDump("line %d: table %s has no column %s", imp.in.line, name, c)
		}
		cols[j] = t.columns[k]
	}
	ins := newRowInserter(imp.ctx, imp.conn, batchValues[imp.dialect], name, columns, t.loaded)
	got := DumpTable{Name: name}
	sum := sha256.New()
	var canonical []byte
	for {
		line, err := imp.in.next()
		if errors.Is(err, io.EOF) {
			return badDump("the file ends inside table %s: it was cut short", name)
		}
		if err != nil {
			return err
		}
		if len(line) == 0 || line[0] != '[' {
			return imp.endTable(line, got, sum, ins)
		}
		row, err := decodeRow(line, cols)
		if err != nil {
			return badDump("line %d (table %s): %v", imp.in.line, name, err)
		}
		if canonical, err = appendRow(canonical[:0], row); err != nil {
			return badDump("line %d (table %s): %v", imp.in.line, name, err)
		}
		sum.Write(canonical)
		got.Rows++
		imp.countRounded(row)
		if err := ins.add(row, len(line)); err != nil {
			return err
		}
	}
}

// endTable checks a table's end line against what was read, and loads
// its last batch.
func (imp *importer) endTable(line []byte, got DumpTable, sum hash.Hash, ins *rowInserter) error {
	var end dumpLine
	if err := json.Unmarshal(line, &end); err != nil || end.End != got.Name {
		return badDump("line %d: want a row or the end of table %s", imp.in.line, got.Name)
	}
	got.SHA256 = hexSum(sum)
	if end.Rows != got.Rows || end.SHA256 != got.SHA256 {
		return badDump("table %s: %d rows with checksum %.12s…, but its end line says %d rows with %.12s…: the file was changed or damaged",
			got.Name, got.Rows, got.SHA256, end.Rows, end.SHA256)
	}
	imp.sum.Tables = append(imp.sum.Tables, got)
	return ins.flush()
}

// countRounded counts the times MariaDB will keep to the millisecond.
func (imp *importer) countRounded(row []any) {
	if imp.dialect != "mysql" {
		return
	}
	for _, v := range row {
		if t, ok := v.(time.Time); ok && t.Nanosecond()%int(time.Millisecond) != 0 {
			imp.sum.TimesRounded++
		}
	}
}

// dumpReader reads the decompressed file line by line.
type dumpReader struct {
	r    *bufio.Reader
	buf  []byte
	line int64 // the number of the last line read
}

// next returns the next line without its newline (valid until the next
// call), or io.EOF at the clean end of the stream.
func (d *dumpReader) next() ([]byte, error) {
	d.buf = d.buf[:0]
	for {
		chunk, err := d.r.ReadSlice('\n')
		d.buf = append(d.buf, chunk...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(d.buf) == 0:
			return nil, io.EOF
		case errors.Is(err, io.EOF):
			return nil, badDump("line %d is cut short", d.line+1)
		case err != nil:
			return nil, badDump("after line %d: %v (the file is damaged or cut short)", d.line, err)
		}
		d.line++
		return d.buf[:len(d.buf)-1], nil
	}
}

// control reads a line that must be a control line (not a row).
func (d *dumpReader) control() (dumpLine, error) {
	var l dumpLine
	line, err := d.next()
	if errors.Is(err, io.EOF) {
		return l, badDump("the file ends before its closing line: it was cut short")
	}
	if err != nil {
		return l, err
	}
	if err := json.Unmarshal(line, &l); err != nil {
		return l, badDump("line %d is not what an export holds there", d.line)
	}
	return l, nil
}
