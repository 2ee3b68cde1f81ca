package views

import (
	"bufio"
	"encoding/csv"
	"io"
	"strings"

	"schooladmin/models"
)

// csvReference writes the CSV AlunosCSV writes the obvious way, through
// encoding/csv, which was the export's writer at first: the reference
// AlunosCSV is compared with.
type csvReference struct {
	w   *csv.Writer
	row []string
}

// newCSVReference starts a CSV file on w, its fields separated by
// delimiter, with the header row.
func newCSVReference(w io.Writer, delimiter rune) (*csvReference, error) {
	bw := bufio.NewWriterSize(w, csvBuffer)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(bw) // writes into bw itself, which is large enough
	cw.Comma, cw.UseCRLF = delimiter, true
	if err := cw.Write(SheetColumns); err != nil {
		return nil, err
	}
	return &csvReference{w: cw, row: make([]string, len(SheetColumns))}, nil
}

// Write adds a row per student.
func (s *csvReference) Write(alunos []models.Aluno) error {
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
func (s *csvReference) Flush() error {
	s.w.Flush()
	return s.w.Error()
}

// Close ends the file.
func (s *csvReference) Close() error { return s.Flush() }

// defuseFormula is the formula guard the obvious way.
func defuseFormula(cell string) string {
	if cell != "" && strings.IndexByte("=+-@\t\r", cell[0]) >= 0 {
		return "'" + cell
	}
	return cell
}

// sheetRow is a student's cells as text, in SheetColumns' order.
func sheetRow(a *models.Aluno, row []string) {
	row[0], row[1], row[2] = a.RA, a.Nome, a.Turma
	row[3] = a.CreatedAt.In(schoolTime).Format(sheetTimeLayout)
	row[4] = a.UpdatedAt.In(schoolTime).Format(sheetTimeLayout)
}
