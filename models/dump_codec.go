package models

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// An export file is a gzip-compressed stream of lines, each a JSON value:
//
//	{"format":"schooladmin-export","version":1,"dialect":"sqlite","created_at":"..."}
//	{"table":"roles","columns":["id","name",...]}
//	[1,"Admin",true,"2026-01-02T03:04:05.123Z",...]      one line per row
//	{"end":"roles","rows":3,"sha256":"..."}
//	... every table the same way ...
//	{"complete":true,"tables":10}
//
// A row is a JSON array of its values in the columns' order, in one
// canonical encoding: integers in decimal, text as JSON strings, flags as
// true/false, times as RFC 3339 strings in UTC with no trailing zeros,
// NULL as null. The checksum of a table is the SHA-256 of its rows so
// encoded, each followed by a newline, in primary key order: the import
// encodes what it decoded the same way and compares, so a changed value
// or a missing row is caught, and two databases holding the same rows
// give the same checksums whatever their kind.

// Format of the export file.
const (
	dumpFormat  = "schooladmin-export"
	dumpVersion = 1
)

// ErrBadDump means the file is not a schooladmin export, or is damaged
// or cut short: the import stops and keeps nothing.
var ErrBadDump = errors.New("not a complete, intact schooladmin export")

func badDump(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadDump, fmt.Sprintf(format, args...))
}

// dumpLine is any line of the file that is not a row: the header, a
// table's start or end, the closing line.
type dumpLine struct {
	Format    string    `json:"format,omitempty"`
	Version   int       `json:"version,omitempty"`
	Dialect   string    `json:"dialect,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	Table     string    `json:"table,omitempty"`
	Columns   []string  `json:"columns,omitempty"`
	End       string    `json:"end,omitempty"`
	Rows      int64     `json:"rows,omitempty"`
	SHA256    string    `json:"sha256,omitempty"`
	Complete  bool      `json:"complete,omitempty"`
	Tables    int       `json:"tables,omitempty"`
}

// valueKind is what a column holds, and how it is encoded.
type valueKind int

const (
	kindInt valueKind = iota
	kindString
	kindBool
	kindTime
)

// scanTarget returns a destination for rows.Scan of a column of kind k
// that accepts NULL (a damaged row is copied as it is, for check to name).
func scanTarget(k valueKind) any {
	switch k {
	case kindInt:
		return new(sql.NullInt64)
	case kindString:
		return new(sql.NullString)
	case kindBool:
		return new(sql.NullBool)
	}
	return new(sql.NullTime)
}

// scanned is the value a scanTarget holds: nil, int64, string, bool or a
// UTC time.
func scanned(target any) any {
	switch v := target.(type) {
	case *sql.NullInt64:
		if v.Valid {
			return v.Int64
		}
	case *sql.NullString:
		if v.Valid {
			return v.String
		}
	case *sql.NullBool:
		if v.Valid {
			return v.Bool
		}
	case *sql.NullTime:
		if v.Valid {
			return v.Time.UTC()
		}
	}
	return nil
}

// appendRow appends the canonical encoding of a row and a newline.
func appendRow(b []byte, row []any) ([]byte, error) {
	b = append(b, '[')
	for i, v := range row {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendValue(b, v); err != nil {
			return b, err
		}
	}
	return append(b, ']', '\n'), nil
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case time.Time:
		return append(v.UTC().AppendFormat(append(b, '"'), time.RFC3339Nano), '"'), nil
	case string:
		if !utf8.ValidString(v) {
			// JSON would replace the bad bytes: the copy would differ.
			return b, fmt.Errorf("text that is not valid UTF-8: %q", v)
		}
		s, err := json.Marshal(v)
		return append(b, s...), err
	}
	return b, fmt.Errorf("no export encoding for %T", v)
}

// decodeRow reads a row line into values of the columns' kinds.
func decodeRow(line []byte, columns []dumpColumn) ([]any, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return nil, err
	}
	if len(raw) != len(columns) {
		return nil, fmt.Errorf("%d values for %d columns", len(raw), len(columns))
	}
	row := make([]any, len(raw))
	for i, r := range raw {
		v, err := decodeValue(r, columns[i].kind)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", columns[i].name, err)
		}
		row[i] = v
	}
	return row, nil
}

func decodeValue(raw json.RawMessage, kind valueKind) (any, error) {
	if bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	switch kind {
	case kindInt:
		return strconv.ParseInt(string(raw), 10, 64)
	case kindBool:
		return strconv.ParseBool(string(raw))
	}
	var s string
	if len(raw) == 0 || raw[0] != '"' {
		return nil, fmt.Errorf("want a string, got %.20s", raw)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	if kind == kindString {
		return s, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t.UTC(), err
}
