package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xmlInMemory is the largest worksheet or shared-strings part excelize
// keeps in memory; larger ones it unzips to a temporary file and streams.
const xmlInMemory = 4 << 20

// maxHeldPart bounds every other part (styles, theme, images...), which
// excelize holds in memory and may parse whole: a few kilobytes in a
// real list of students.
const maxHeldPart = 4 << 20

// streamedPart reports the parts excelize streams: worksheets and the
// shared strings.
func streamedPart(name string) bool {
	name = strings.ToLower(strings.ReplaceAll(name, `\`, "/"))
	return strings.HasPrefix(name, "xl/worksheets/") || name == "xl/sharedstrings.xml"
}

// notXLSX is the problem of a ZIP file that is no workbook.
func notXLSX() Table {
	return fileProblem("xlsx", "O arquivo é compactado (ZIP) mas não é uma planilha do Excel (.xlsx) que se possa ler: "+
		"abra-o no Excel e salve como .xlsx ou CSV.")
}

// readXLSX reads the first worksheet of an XLSX workbook. The sizes the
// ZIP directory declares are added up before anything is inflated (and
// archive/zip refuses a part that inflates past its declared size), so a
// small file that would inflate to gigabytes costs nothing.
func readXLSX(data []byte, columns []string, lim Limits) Table {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return notXLSX()
	}
	var unzipped uint64
	for _, f := range zr.File {
		unzipped += f.UncompressedSize64
		if f.UncompressedSize64 > maxHeldPart && !streamedPart(f.Name) {
			return fileProblem("xlsx", "A planilha tem uma parte grande demais ("+f.Name+
				"): envie só a lista de alunos, sem imagens, ou um CSV.")
		}
	}
	if unzipped > uint64(lim.MaxUnzipped) {
		return fileProblem("xlsx", "A planilha descompactada passaria de "+mebibytes(lim.MaxUnzipped)+
			", o limite da importação: envie só a lista de alunos, sem imagens nem outras planilhas, ou um CSV.")
	}
	path, ok := firstSheetPath(zr)
	if !ok || !intact(zr) {
		return notXLSX()
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: lim.MaxUnzipped, UnzipXMLSizeLimit: min(lim.MaxUnzipped, xmlInMemory),
	})
	if err != nil {
		return notXLSX()
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return notXLSX()
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return notXLSX()
	}
	defer rows.Close()
	return readSheetRows(rows, zr, path, columns, lim)
}

// intact reports whether every part inflates to the size and checksum
// its directory entry declares (archive/zip stops a part at its declared
// size). excelize reads a broken part as far as it goes and says nothing.
func intact(zr *zip.Reader) bool {
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return false
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return false
		}
	}
	return true
}

// readSheetRows reads the header and the data rows of a worksheet.
func readSheetRows(rows *excelize.Rows, zr *zip.Reader, path string, columns []string, lim Limits) Table {
	t := newTable("xlsx", lim)
	var index []int
	var formulas formulaCellsFound
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Rows = nil
			t.problem(line, "", "Não foi possível ler a linha "+Thousands(line)+" da planilha.")
			return t
		}
		if line == 1 {
			if index = header(&t, cells, columns); len(t.Problems) > 0 {
				return t
			}
			if formulas, err = scanFormulas(zr, path, index, lim); err != nil {
				return notXLSX()
			}
			continue
		}
		picked, ok := pick(cells, index)
		if !ok {
			continue
		}
		if len(t.Rows) == lim.MaxRows {
			tooManyRows(&t, line, lim)
			return t
		}
		if formulas.report(&t, line, columns) {
			continue
		}
		t.Rows = append(t.Rows, Row{Line: line, Cells: picked})
	}
	if rows.Error() != nil {
		t.Rows = nil
		t.problem(0, "", "Não foi possível ler a planilha até o fim: abra-a no Excel e salve de novo.")
	}
	if index == nil && len(t.Problems) == 0 {
		return fileProblem("xlsx", "A primeira planilha do arquivo está vazia.")
	}
	t.MoreProblems += formulas.unlisted
	return t
}

// formulaCellsFound are the formula cells of the wanted columns, by line
// and the column's position among them; at most Limits.MaxProblems are
// kept, the rest counted.
type formulaCellsFound struct {
	at       map[[2]int]bool
	unlisted int
}

// report records the formulas of line as problems.
func (f formulaCellsFound) report(t *Table, line int, columns []string) bool {
	found := false
	for i, name := range columns {
		if f.at[[2]int{line, i}] {
			t.problem(line, name, "A célula tem uma fórmula: a importação lê só valores. "+
				"Copie a coluna e cole como valores (Colar especial > Valores) antes de enviar.")
			found = true
		}
	}
	return found
}

// mebibytes writes n bytes in MiB.
func mebibytes(n int64) string { return strconv.FormatInt(n>>20, 10) + " MiB" }

var errNoSheet = errors.New("no worksheet")
