package views

import (
	"archive/zip"
	"errors"
	"io"

	"github.com/xuri/excelize/v2"

	"schooladmin/models"
)

// excelizeXLSX writes the workbook AlunosXLSX writes the obvious way,
// through excelize's StreamWriter: the reference AlunosXLSX is compared
// with. It was the export's writer at first, but its stream keeps up to
// 32 MiB of rows in memory and sends nothing before the last row
// (bench/RESULTS.md, "Exports").
type excelizeXLSX struct {
	out   io.Writer
	file  *excelize.File
	sheet *excelize.StreamWriter
	date  int // the date cells' style
	rows  int // rows written, the header included
	cells []any
}

// newExcelizeXLSX starts a workbook that Close writes to out.
func newExcelizeXLSX(out io.Writer) (*excelizeXLSX, error) {
	f := excelize.NewFile()
	s, err := startExcelizeXLSX(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	s.out = out
	return s, nil
}

func startExcelizeXLSX(f *excelize.File) (*excelizeXLSX, error) {
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
	return &excelizeXLSX{file: f, sheet: sw, date: date, rows: 1, cells: make([]any, len(SheetColumns))}, nil
}

// Write adds a row per student. Past the worksheet's last row it gives
// ErrSheetFull.
func (s *excelizeXLSX) Write(alunos []models.Aluno) error {
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
func (s *excelizeXLSX) Flush() error { return nil }

// Close writes the workbook to the writer and removes the temporary
// buffer. excelize's own WriteTo would first build the whole zip in
// memory; its zip writer hook lets the zip go straight to the writer.
func (s *excelizeXLSX) Close() error {
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
