package views

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"schooladmin/models"
)

// xlsxWidths are the columns' widths, in characters, in SheetColumns' order.
var xlsxWidths = []float64{16, 45, 10, 18, 18}

// xlsxDateFormat shows dates as the screens do: day first, to the minute.
const xlsxDateFormat = "dd/mm/yyyy hh:mm"

// xlsxMaxRows is the last row of a worksheet.
const xlsxMaxRows = 1 << 20

// XLSXMaxAlunos is how many students fit under the header row.
const XLSXMaxAlunos = xlsxMaxRows - 1

// AlunosXLSX writes students as an Excel workbook straight to its writer:
// a zip whose worksheet is compressed as the rows arrive, so memory stays
// at one page however long the list. It writes by hand the few parts a
// workbook needs (one sheet "Alunos", its header row bold and frozen, the
// columns widened, dates as date cells in Brasília time, text as inline
// strings, which no spreadsheet runs as a formula). excelize's
// StreamWriter, which writes the same workbook, is what the tests compare
// it with; it holds up to 32 MiB of rows and sends nothing before the last
// one (bench/RESULTS.md, "Exports").
type AlunosXLSX struct {
	buf   *bufio.Writer
	zip   *zip.Writer
	sheet io.Writer // the worksheet, inside the zip
	rows  int       // rows written, the header included
	xml   []byte    // one page of rows, reused
}

// NewAlunosXLSX starts a workbook on w with its header row. Nothing
// reaches w before the first Flush.
func NewAlunosXLSX(w io.Writer) (*AlunosXLSX, error) {
	s := &AlunosXLSX{buf: bufio.NewWriterSize(w, csvBuffer)}
	s.zip = zip.NewWriter(s.buf) // writes into buf itself, which is large enough
	// The fastest level: the rows repeat enough that it still shrinks the
	// sheet about eightfold, at a fraction of the default level's time.
	s.zip.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, part := range xlsxParts {
		f, err := s.zip.Create(part.name)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(f, xmlHeader+part.xml); err != nil {
			return nil, err
		}
	}
	var err error
	if s.sheet, err = s.zip.Create("xl/worksheets/sheet1.xml"); err != nil {
		return nil, err
	}
	s.xml = append(s.xml, xmlHeader+sheetStart...)
	s.xml = append(s.xml, `<row r="1">`...)
	for i, name := range SheetColumns {
		s.xml = appendTextCell(s.xml, i, 1, styleBold, name)
	}
	s.xml = append(s.xml, `</row>`...)
	s.rows = 1
	return s, nil
}

// Write adds a row per student. Past the worksheet's last row it gives
// ErrSheetFull.
func (s *AlunosXLSX) Write(alunos []models.Aluno) error {
	b := s.xml
	for i := range alunos {
		a := &alunos[i]
		if s.rows >= xlsxMaxRows {
			return ErrSheetFull
		}
		s.rows++
		b = append(b, `<row r="`...)
		b = strconv.AppendInt(b, int64(s.rows), 10)
		b = append(b, `">`...)
		b = appendTextCell(b, 0, s.rows, 0, a.RA)
		b = appendTextCell(b, 1, s.rows, 0, a.Nome)
		b = appendTextCell(b, 2, s.rows, 0, a.Turma)
		b = appendDateCell(b, 3, s.rows, a.CreatedAt)
		b = appendDateCell(b, 4, s.rows, a.UpdatedAt)
		b = append(b, `</row>`...)
	}
	_, err := s.sheet.Write(b)
	s.xml = b[:0]
	return err
}

// Flush sends on what the compressor has finished.
func (s *AlunosXLSX) Flush() error {
	if len(s.xml) > 0 { // the header row, when no student was written
		if _, err := s.sheet.Write(s.xml); err != nil {
			return err
		}
		s.xml = s.xml[:0]
	}
	return s.zip.Flush()
}

// Close ends the worksheet and the zip.
func (s *AlunosXLSX) Close() error {
	if err := s.Flush(); err != nil {
		return err
	}
	if _, err := io.WriteString(s.sheet, sheetEnd); err != nil {
		return err
	}
	if err := s.zip.Close(); err != nil {
		return err
	}
	return s.buf.Flush()
}

// Cell styles, indexes of cellXfs in xlsxStyles.
const (
	styleBold = 1
	styleDate = 2
)

// appendCellStart appends `<c r="D7"` and the style.
func appendCellStart(b []byte, col, row, style int) []byte {
	b = append(b, `<c r="`...)
	b = append(b, byte('A'+col))
	b = strconv.AppendInt(b, int64(row), 10)
	b = append(b, '"')
	if style != 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, '"')
	}
	return b
}

// appendTextCell appends an inline string cell.
func appendTextCell(b []byte, col, row, style int, text string) []byte {
	b = appendCellStart(b, col, row, style)
	b = append(b, ` t="inlineStr"><is><t xml:space="preserve">`...)
	b = appendXMLText(b, text)
	return append(b, `</t></is></c>`...)
}

// appendDateCell appends t as Excel's serial date of Brasília's wall clock
// (days since 30 December 1899), shown in the date format.
func appendDateCell(b []byte, col, row int, t time.Time) []byte {
	b = appendCellStart(b, col, row, styleDate)
	b = append(b, `><v>`...)
	b = strconv.AppendFloat(b, excelSerial(t), 'f', -1, 64)
	return append(b, `</v></c>`...)
}

// excelEpoch is day 0 of Excel's 1900 date system, as it counts every day
// after February 1900 (it believes 1900 was a leap year).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// excelSerial is t's wall clock in Brasília as Excel's serial date, to the
// millisecond.
func excelSerial(t time.Time) float64 {
	wall := t.In(schoolTime)
	y, m, d := wall.Date()
	h, mi, sec := wall.Clock()
	local := time.Date(y, m, d, h, mi, sec, wall.Nanosecond(), time.UTC)
	return float64(local.Sub(excelEpoch).Milliseconds()) / float64(24*time.Hour/time.Millisecond)
}

// appendXMLText appends s escaped for XML text. A character XML 1.0 does
// not allow (control characters, invalid UTF-8) would make the file
// unreadable; it becomes U+FFFD.
func appendXMLText(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' {
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '\t' || r == '\n' || r == '\r':
			b = append(b, c)
		case r == utf8.RuneError && size == 1, r < 0x20, r == 0xFFFE, r == 0xFFFF:
			b = utf8.AppendRune(b, utf8.RuneError)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}
