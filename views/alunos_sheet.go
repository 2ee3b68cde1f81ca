package views

import (
	"errors"
	"time"

	"schooladmin/models"
)

// SheetColumns name the columns of a students spreadsheet, in order, as
// its header row writes them (the external contract fixes them).
var SheetColumns = []string{"ra", "nome", "turma", "criado_em", "alterado_em"}

// AlunosSheet writes a students spreadsheet a page at a time, so an
// export never holds more than a page of students.
type AlunosSheet interface {
	// Write adds the students as rows; it keeps nothing of the slice.
	Write(alunos []models.Aluno) error
	// Flush sends what is buffered to the writer the sheet was made on.
	Flush() error
	// Close finishes the file; nothing may be written after it.
	Close() error
}

// ErrSheetFull means the students do not fit in one worksheet.
var ErrSheetFull = errors.New("too many rows for one worksheet")

// SheetFileName is the file name of an export made at now with extension
// ext: alunos-YYYY-MM-DD.ext, the date as it is in Brasília.
func SheetFileName(ext string, now time.Time) string {
	return "alunos-" + now.In(schoolTime).Format("2006-01-02") + "." + ext
}

// sheetTimeLayout writes dates as text: Brasília time, year first, which
// every spreadsheet reads as a date whatever its language.
const sheetTimeLayout = "2006-01-02 15:04:05"
