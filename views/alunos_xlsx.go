package views

import (
	"archive/zip"
	"errors"
	"io"

	"github.com/xuri/excelize/v2"

	"schooladmin/models"
)

// xlsxWidths are the columns' widths, in characters, in SheetColumns' order.
var xlsxWidths = []float64{16, 45, 10, 18, 18}

// xlsxDateFormat shows dates as the screens do: day first, to the minute.
const xlsxDateFormat = "dd/mm/yyyy hh:mm"

// AlunosXLSX writes students as an Excel workbook through excelize's
// StreamWriter: one sheet, its header row bold and frozen, the columns
// widened, dates as date cells in Brasília time. The rows go to a
// temporary buffer (a file past 16 MiB); the workbook reaches the writer
// on Close.
type AlunosXLSX struct {
	out   io.Writer
	file  *excelize.File
	sheet *excelize.StreamWriter
	date  int // the date cells' style
	rows  int // rows written, the header included
	cells []any
}

// NewAlunosXLSX starts a workbook that Close writes to out.
func NewAlunosXLSX(out io.Writer) (*AlunosXLSX, error) {
	f := excelize.NewFile()
	s, err := startXLSX(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	s.out = out
	return s, nil
}

func startXLSX(f *excelize.File) (*AlunosXLSX, error) {
	if err := f.SetSheetName("Sheet1", "Alunos"); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	format := xlsxDateFormat
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter("Alunos")
	if err != nil {
		return nil, err
	}
	for i, w := range xlsxWidths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	header := make([]any, len(SheetColumns))
	for i, name := range SheetColumns {
		header[i] = excelize.Cell{StyleID: bold, Value: name}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, err
	}
	return &AlunosXLSX{file: f, sheet: sw, date: date, rows: 1, cells: make([]any, len(SheetColumns))}, nil
}

// Write adds a row per student. Past the worksheet's last row it gives
// ErrSheetFull.
func (s *AlunosXLSX) Write(alunos []models.Aluno) error {
	for i := range alunos {
		a := &alunos[i]
		if s.rows >= excelize.TotalRows {
			return ErrSheetFull
		}
		s.rows++
		cell, err := excelize.CoordinatesToCellName(1, s.rows)
		if err != nil {
			return err
		}
		s.cells[0], s.cells[1], s.cells[2] = a.RA, a.Nome, a.Turma
		s.cells[3] = excelize.Cell{StyleID: s.date, Value: a.CreatedAt.In(schoolTime)}
		s.cells[4] = excelize.Cell{StyleID: s.date, Value: a.UpdatedAt.In(schoolTime)}
		if err := s.sheet.SetRow(cell, s.cells); err != nil {
			return err
		}
	}
	return nil
}

// Flush does nothing: the workbook is a zip file whose parts are
// written on Close.
func (s *AlunosXLSX) Flush() error { return nil }

// Close writes the workbook to the writer and removes the temporary
// buffer. excelize's own WriteTo would first build the whole zip in
// memory; its zip writer hook lets the zip go straight to the writer.
func (s *AlunosXLSX) Close() error {
	defer s.file.Close()
	if err := s.sheet.Flush(); err != nil {
		return err
	}
	var zw *zip.Writer
	s.file.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw = zip.NewWriter(s.out)
		return zw
	})
	buf, err := s.file.WriteToBuffer()
	if err == nil && (zw == nil || buf.Len() != 0) {
		err = errors.New("xlsx: the workbook did not go through the zip writer hook")
	}
	return err
}
