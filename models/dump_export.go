package models

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"

	"gorm.io/gorm"
)

// DumpTable is one table of an export: its name, how many rows and the
// checksum of its rows (see dump_codec.go).
type DumpTable struct {
	Name   string
	Rows   int64
	SHA256 string
}

// DumpSummary describes an export written or an import loaded.
type DumpSummary struct {
	// Dialect is the database the export was made from.
	Dialect string
	Tables  []DumpTable
	// TimesRounded counts times finer than a millisecond that an import
	// into MariaDB kept to the millisecond (its DATETIME(3)).
	TimesRounded int64
}

// Rows is how many rows the named table had, 0 when it was not there.
func (s DumpSummary) Rows(table string) int64 {
	for _, t := range s.Tables {
		if t.Name == table {
			return t.Rows
		}
	}
	return 0
}

// Export writes a complete logical copy of the database to w (see
// dump_codec.go for the format): every table but the derived and
// short-lived ones (notDumped), read in one read-only transaction, so the
// copy is one moment's state while the application keeps working, and
// streamed row by row, so memory stays small whatever the size.
func (d *Database) Export(ctx context.Context, w io.Writer) (DumpSummary, error) {
	sum := DumpSummary{Dialect: d.Dialect}
	tables, err := dumpTables(d.DB)
	if err != nil {
		return sum, err
	}
	zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed) // a valid level cannot fail
	out := bufio.NewWriterSize(zw, 256<<10)
	if err := writeLine(out, dumpLine{Format: dumpFormat, Version: dumpVersion, Dialect: d.Dialect, CreatedAt: now()}); err != nil {
		return sum, err
	}
	err = d.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, t := range tables {
			table, err := exportTable(ctx, tx, d.Dialect, t, out)
			if err != nil {
				return err
			}
			sum.Tables = append(sum.Tables, table)
		}
		return nil
	}, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return sum, err
	}
	if err := writeLine(out, dumpLine{Complete: true, Tables: len(tables)}); err != nil {
		return sum, err
	}
	if err := out.Flush(); err != nil {
		return sum, err
	}
	return sum, zw.Close()
}

// exportTable writes table t: its start line, its rows, its end line.
func exportTable(ctx context.Context, tx *gorm.DB, dialect string, t *dumpTable, out *bufio.Writer) (DumpTable, error) {
	res := DumpTable{Name: t.name}
	names := make([]string, len(t.columns))
	targets := make([]any, len(t.columns))
	for i, c := range t.columns {
		names[i], targets[i] = c.name, scanTarget(c.kind)
	}
	if err := writeLine(out, dumpLine{Table: t.name, Columns: names}); err != nil {
		return res, err
	}
	rows, err := tx.Statement.ConnPool.QueryContext(ctx, t.selectAll(dialect))
	if err != nil {
		return res, fmt.Errorf("export %s: %w", t.name, dbError(err))
	}
	defer rows.Close()
	sum := sha256.New()
	row := make([]any, len(t.columns))
	var line []byte
	for rows.Next() {
		if err := rows.Scan(targets...); err != nil {
			return res, fmt.Errorf("export %s: %w", t.name, err)
		}
		for i := range targets {
			row[i] = scanned(targets[i])
		}
		if line, err = appendRow(line[:0], row); err != nil {
			return res, fmt.Errorf("export %s, row %v: %w", t.name, row[t.column(t.key[0])], err)
		}
		if _, err := out.Write(line); err != nil {
			return res, err
		}
		sum.Write(line)
		res.Rows++
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("export %s: %w", t.name, dbError(err))
	}
	res.SHA256 = hexSum(sum)
	return res, writeLine(out, dumpLine{End: t.name, Rows: res.Rows, SHA256: res.SHA256})
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// writeLine writes a control line.
func writeLine(out *bufio.Writer, l dumpLine) error {
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	if _, err := out.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write the export: %w", err)
	}
	return nil
}
