package views

import (
	"bufio"
	"encoding/csv"
	"io"
	"strings"

	"schooladmin/models"
)

// AlunosCSV writes students as CSV: UTF-8 with a byte-order mark (so Excel
// reads the accents right), CRLF line ends and RFC 4180 quoting, through
// encoding/csv.
type AlunosCSV struct {
	w   *csv.Writer
	row []string
}

// csvBuffer is how much CSV is kept before it goes to the writer: the
// header and the first rows stay here until the first Flush, so a
// failure to read the first page can still be answered with an error.
const csvBuffer = 32 << 10

// NewAlunosCSV starts a CSV file on w, its fields separated by delimiter
// (',' or ';'), with the header row.
func NewAlunosCSV(w io.Writer, delimiter rune) (*AlunosCSV, error) {
	bw := bufio.NewWriterSize(w, csvBuffer)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(bw) // writes into bw itself, which is large enough
	cw.Comma, cw.UseCRLF = delimiter, true
	if err := cw.Write(SheetColumns); err != nil {
		return nil, err
	}
	return &AlunosCSV{w: cw, row: make([]string, len(SheetColumns))}, nil
}

// Write adds a row per student.
func (s *AlunosCSV) Write(alunos []models.Aluno) error {
	for i := range alunos {
		sheetRow(&alunos[i], s.row)
		for j, cell := range s.row {
			s.row[j] = defuseFormula(cell)
		}
		if err := s.w.Write(s.row); err != nil {
			return err
		}
	}
	return nil
}

// Flush sends the buffered rows on.
func (s *AlunosCSV) Flush() error {
	s.w.Flush()
	return s.w.Error()
}

// Close ends the file.
func (s *AlunosCSV) Close() error { return s.Flush() }

// defuseFormula keeps a spreadsheet from running a cell as a formula
// (OWASP's CSV injection advice): a cell that begins with = + - @, a tab
// or a carriage return gets a leading apostrophe, which the spreadsheet
// shows as text. The import removes it again.
func defuseFormula(cell string) string {
	if cell != "" && strings.IndexByte("=+-@\t\r", cell[0]) >= 0 {
		return "'" + cell
	}
	return cell
}
