// Package sheet reads the spreadsheets people import, CSV or XLSX, into
// rows of the columns asked for, found by their header names. It bounds
// what it reads (rows, bytes unzipped, problems listed) and reports what
// is wrong with the file line by line, in Portuguese, as a spreadsheet
// numbers its lines: the header is line 1.
package sheet

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Limits bound what Read accepts and keeps.
type Limits struct {
	// MaxRows is how many data rows (below the header, blank rows not
	// counted) a file may have; a longer file is refused whole.
	MaxRows int
	// MaxUnzipped is how many bytes an XLSX file may unzip to, all its
	// parts together: a small file that inflates to gigabytes is refused
	// before anything is inflated.
	MaxUnzipped int64
	// MaxProblems is how many problems are listed; the rest are counted.
	MaxProblems int
}

// Problem is something wrong in the file: at Line (0 for the file as a
// whole), in the column named Field ("" for the whole line).
type Problem struct {
	Line    int
	Field   string
	Message string
}

// Row is one data row: its line and the cells of the columns asked for,
// in the order asked, trimmed of nothing (the caller cleans them).
type Row struct {
	Line  int
	Cells []string
}

// Table is what Read found.
type Table struct {
	Format   string // "csv" or "xlsx"
	Rows     []Row  // empty when the file as a whole or its header is wrong
	Problems []Problem
	// MoreProblems counts the problems beyond Limits.MaxProblems.
	MoreProblems int
	maxProblems  int
}

// newTable starts the table of a file of format.
func newTable(format string, lim Limits) Table {
	return Table{Format: format, maxProblems: max(lim.MaxProblems, 1)}
}

// problem records a problem, listing it while there is room.
func (t *Table) problem(line int, field, message string) {
	if len(t.Problems) >= t.maxProblems {
		t.MoreProblems++
		return
	}
	t.Problems = append(t.Problems, Problem{Line: line, Field: field, Message: message})
}

// fileProblem makes a table refused as a whole.
func fileProblem(format, message string) Table {
	return Table{Format: format, Problems: []Problem{{Line: 0, Message: message}}, maxProblems: 1}
}

var (
	zipMagic   = []byte("PK\x03\x04")
	oleMagic   = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	utf16LEBOM = []byte{0xFF, 0xFE}
	utf16BEBOM = []byte{0xFE, 0xFF}
)

// Read reads data, a CSV or XLSX file told apart by its first bytes, and
// returns the rows of columns (lower-case names without accents, such as
// "ra", "nome", "turma"). The header row names the columns in any order,
// letter case and accents; other columns are ignored.
func Read(data []byte, columns []string, lim Limits) Table {
	var t Table
	switch {
	case len(bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))) == 0:
		return fileProblem("csv", "O arquivo está vazio.")
	case bytes.HasPrefix(data, zipMagic):
		t = readXLSX(data, columns, lim)
	case bytes.HasPrefix(data, oleMagic):
		return fileProblem("xls", "Este arquivo é do Excel 97-2003 (.xls) ou está protegido por senha: "+
			"salve-o como pasta de trabalho do Excel (.xlsx) ou como CSV, sem senha, e envie de novo.")
	case bytes.HasPrefix(data, utf16LEBOM), bytes.HasPrefix(data, utf16BEBOM):
		return fileProblem("csv", "Este arquivo está em UTF-16 (\"Texto Unicode\"): salve-o como CSV UTF-8 ou como .xlsx e envie de novo.")
	default:
		t = readCSV(data, columns, lim)
	}
	if len(t.Problems) > 0 && t.Problems[0].Line <= 1 {
		t.Rows = nil // the file or its header is wrong: no row means anything
	}
	return t
}

// header finds each of columns in the header cells: their indexes, or
// the problems of a column missing or named twice.
func header(t *Table, cells []string, columns []string) []int {
	at := make(map[string][]int, len(columns))
	for i, c := range cells {
		at[headerKey(c)] = append(at[headerKey(c)], i)
	}
	index := make([]int, len(columns))
	for i, name := range columns {
		switch found := at[name]; len(found) {
		case 0:
			t.problem(1, name, "Falta a coluna \""+name+"\" no cabeçalho (linha 1). A primeira linha deve nomear as colunas "+
				strings.Join(columns, ", ")+", em qualquer ordem.")
		case 1:
			index[i] = found[0]
		default:
			letters := make([]string, len(found))
			for j, k := range found {
				letters[j] = ColumnLetter(k)
			}
			t.problem(1, name, "A coluna \""+name+"\" aparece mais de uma vez no cabeçalho (colunas "+
				strings.Join(letters, ", ")+"): deixe só uma.")
		}
	}
	return index
}

// headerKey is a header cell as compared with a column's name: trimmed,
// without the apostrophe a spreadsheet may keep, lower case, no accents.
func headerKey(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "'")
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.TrimSpace(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// pick returns the cells of the wanted columns, copied out of the row
// (so the rest of the row can be freed), with the apostrophe an export
// puts before a text that would read as a formula removed. ok is false
// for a row whose wanted cells are all blank: a blank row, skipped.
func pick(cells []string, index []int) (out []string, ok bool) {
	out = make([]string, len(index))
	for i, k := range index {
		if k < len(cells) {
			out[i] = strings.Clone(unquoteFormula(cells[k]))
		}
		ok = ok || strings.TrimSpace(out[i]) != ""
	}
	return out, ok
}

// unquoteFormula removes the apostrophe the export writes before a text
// beginning with = + - @, a tab or a carriage return (so that no
// spreadsheet runs it as a formula).
func unquoteFormula(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.IndexByte("=+-@\t\r", s[1]) >= 0 {
		return s[1:]
	}
	return s
}

// tooManyRows is the problem of a file with more rows than lim allows.
func tooManyRows(t *Table, line int, lim Limits) {
	t.Rows = nil
	t.problem(line, "", "O arquivo passa de "+Thousands(lim.MaxRows)+" linhas de alunos (linha "+Thousands(line)+
		"): divida-o em arquivos menores e importe um de cada vez.")
}

// ColumnLetter is the spreadsheet letter of the column at index i (0: A,
// 26: AA).
func ColumnLetter(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// Thousands writes n with dots between thousands, as Brazilians read it.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}
