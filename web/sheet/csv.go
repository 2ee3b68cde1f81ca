package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readCSV reads a CSV file: UTF-8 (with or without a byte-order mark)
// or Windows-1252, what Excel in Portuguese writes; fields separated by
// the comma, semicolon or tab its header uses most.
func readCSV(data []byte, columns []string, lim Limits) Table {
	text, refused := csvText(data)
	if refused != nil {
		return *refused
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = delimiter(text)
	r.LazyQuotes = true // a stray quote in a name is kept, not a failure
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	t := newTable("csv", lim)
	var lines csvLines
	record, err := r.Read()
	if err != nil {
		return fileProblem("csv", "Não foi possível ler o cabeçalho do CSV.")
	}
	lines.next(r, record)
	index := header(&t, record, columns)
	if len(t.Problems) > 0 {
		return t
	}
	for {
		record, err = r.Read()
		if errors.Is(err, io.EOF) {
			return t
		}
		if err != nil {
			var pe *csv.ParseError
			errors.As(err, &pe)
			t.Rows = nil
			t.problem(parseErrorLine(pe), "", "Linha mal formada no CSV: confira as aspas.")
			return t
		}
		line := lines.next(r, record)
		cells, ok := pick(record, index)
		if !ok {
			continue
		}
		if len(t.Rows) == lim.MaxRows {
			tooManyRows(&t, line, lim)
			return t
		}
		if formulaCells(&t, line, record, index, columns) {
			continue
		}
		t.Rows = append(t.Rows, Row{Line: line, Cells: cells})
	}
}

// csvText is the file as UTF-8 text (data itself when it is UTF-8), or
// why it is not a text file.
func csvText(data []byte) ([]byte, *Table) {
	text, ok := decodeText(data)
	if !ok {
		t := fileProblem("csv", "O arquivo não é um CSV em UTF-8 nem em Windows-1252, nem uma planilha .xlsx: "+
			"salve-o no Excel como \"CSV UTF-8\" ou \"Pasta de Trabalho do Excel (.xlsx)\" e envie de novo.")
		return nil, &t
	}
	if nul := bytes.IndexByte(text, 0); nul >= 0 {
		line := strconv.Itoa(bytes.Count(text[:nul], []byte("\n")) + 1)
		t := fileProblem("csv", "O arquivo tem um caractere nulo (NUL) na linha "+line+
			": não parece um CSV de texto. Envie um CSV ou uma planilha .xlsx.")
		return nil, &t
	}
	return text, nil
}

// parseErrorLine is where encoding/csv gave up (0 when it does not say).
func parseErrorLine(pe *csv.ParseError) int {
	if pe == nil {
		return 0
	}
	return pe.StartLine
}

// formulaCells reports the cells a spreadsheet would run as formulas:
// CSV has no formulas, so a text beginning with = came from somewhere
// that meant one (an export writes '= for the text itself).
func formulaCells(t *Table, line int, record []string, index []int, columns []string) bool {
	found := false
	for i, k := range index {
		if k < len(record) && strings.HasPrefix(record[k], "=") {
			t.problem(line, columns[i], "O valor começa com \"=\" e seria lido como fórmula. Se o texto é esse mesmo, "+
				"comece a célula com um apóstrofo ('=...).")
			found = true
		}
	}
	return found
}

// csvLines numbers records as a spreadsheet numbers its rows: one per
// record, blank lines included (encoding/csv skips them), a cell that
// spans several lines counting once.
type csvLines struct{ row, lastLine int }

// next returns the spreadsheet row of record, just read by r.
func (l *csvLines) next(r *csv.Reader, record []string) int {
	start, _ := r.FieldPos(0)
	if l.row == 0 {
		l.row = start // blank lines above the header
	} else {
		l.row += 1 + max(0, start-l.lastLine-1)
	}
	l.lastLine = start
	for _, f := range record {
		l.lastLine += strings.Count(f, "\n")
	}
	return l.row
}

// decodeText is data as UTF-8: data itself without its byte-order mark,
// else decoded from Windows-1252, unless a byte is undefined there too
// (then ok is false).
func decodeText(data []byte) (text []byte, ok bool) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if utf8.Valid(data) {
		return data, true
	}
	text = make([]byte, 0, len(data)+len(data)/8)
	for _, c := range data {
		r := charmap.Windows1252.DecodeByte(c)
		if r == utf8.RuneError {
			return nil, false
		}
		text = utf8.AppendRune(text, r)
	}
	return text, true
}

// delimiter is the comma, semicolon or tab the first line uses most
// outside quotes; a comma when it uses none.
func delimiter(text []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range string(text[:min(len(text), 64<<10)]) {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '\n':
			return mostUsed(counts)
		case r == ',' || r == ';' || r == '\t':
			counts[r]++
		}
	}
	return mostUsed(counts)
}

func mostUsed(counts map[rune]int) rune {
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}
