package views

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"schooladmin/models"
)

// randomAlunos makes students whose text holds what XML must escape,
// what a spreadsheet could take for a formula, accents and emoji.
func randomAlunos(r *rand.Rand, n int) []models.Aluno {
	pieces := []string{"Ana", "José", "Ícaro", " da ", "&", "<b>", ">", `"`, "'", "=1+1", "+", "-", "@", "👩‍👩‍👧", "ß", "Ñ", " ", "\u00a0", "中文"}
	text := func() string {
		var b strings.Builder
		for range 1 + r.IntN(6) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return strings.TrimSpace(b.String()) + "x"
	}
	base := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	alunos := make([]models.Aluno, n)
	for i := range alunos {
		created := base.Add(time.Duration(r.Int64N(int64(100 * 365 * 24 * time.Hour)))).Truncate(time.Millisecond)
		alunos[i] = models.Aluno{ID: int64(i + 1), RA: "RA-" + strconv.Itoa(r.IntN(1e6)), Nome: text(), Turma: text(),
			CreatedAt: created, UpdatedAt: created.Add(time.Duration(r.Int64N(int64(time.Hour))))}
	}
	return alunos
}

// writeSheet writes alunos through sheet in pages of three.
func writeSheet(t *testing.T, sheet AlunosSheet, alunos []models.Aluno) {
	t.Helper()
	for page := range slices.Chunk(alunos, 3) {
		if err := sheet.Write(page); err != nil {
			t.Fatal(err)
		}
		if err := sheet.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := sheet.Close(); err != nil {
		t.Fatal(err)
	}
}

func openXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestAlunosXLSXMatchesExcelize holds the hand-written workbook to the one
// excelize's StreamWriter writes, as excelize reads them back: the same
// sheet, cells, dates, styles, frozen header and widths.
func TestAlunosXLSXMatchesExcelize(t *testing.T) {
	alunos := randomAlunos(rand.New(rand.NewPCG(1, 2)), 200)
	var got, want bytes.Buffer
	fast, err := NewAlunosXLSX(&got)
	if err != nil {
		t.Fatal(err)
	}
	writeSheet(t, fast, alunos)
	ref, err := newExcelizeXLSX(&want)
	if err != nil {
		t.Fatal(err)
	}
	writeSheet(t, ref, alunos)
	g, w := openXLSX(t, got.Bytes()), openXLSX(t, want.Bytes())
	if gs, ws := g.GetSheetList(), w.GetSheetList(); !slices.Equal(gs, ws) {
		t.Fatalf("sheets %q, want %q", gs, ws)
	}
	gotRows, _ := g.GetRows("Alunos")
	wantRows, _ := w.GetRows("Alunos")
	if len(gotRows) != len(alunos)+1 || len(gotRows) != len(wantRows) {
		t.Fatalf("%d rows, excelize %d, want %d", len(gotRows), len(wantRows), len(alunos)+1)
	}
	for i := range gotRows {
		if !slices.Equal(gotRows[i], wantRows[i]) {
			t.Errorf("row %d: %q, excelize %q", i+1, gotRows[i], wantRows[i])
		}
	}
	for row := 1; row <= len(alunos)+1; row++ {
		for col := range SheetColumns {
			cell, _ := excelize.CoordinatesToCellName(col+1, row)
			compareCells(t, g, w, cell)
		}
	}
	gp, _ := g.GetPanes("Alunos")
	wp, _ := w.GetPanes("Alunos")
	if gp.Freeze != wp.Freeze || gp.YSplit != wp.YSplit || gp.TopLeftCell != wp.TopLeftCell || !gp.Freeze {
		t.Errorf("panes %+v, excelize %+v", gp, wp)
	}
	for col := range SheetColumns {
		name, _ := excelize.ColumnNumberToName(col + 1)
		gw, _ := g.GetColWidth("Alunos", name)
		ww, _ := w.GetColWidth("Alunos", name)
		if gw != ww {
			t.Errorf("column %s: width %v, excelize %v", name, gw, ww)
		}
	}
}

// compareCells compares a cell's raw value (dates within a millisecond),
// boldness and number format in the two workbooks.
func compareCells(t *testing.T, g, w *excelize.File, cell string) {
	t.Helper()
	raw := excelize.Options{RawCellValue: true}
	gv, _ := g.GetCellValue("Alunos", cell, raw)
	wv, _ := w.GetCellValue("Alunos", cell, raw)
	gf, gErr := strconv.ParseFloat(gv, 64)
	wf, wErr := strconv.ParseFloat(wv, 64)
	switch {
	case gErr == nil && wErr == nil:
		if math.Abs(gf-wf) > 1.5/86400000 {
			t.Errorf("%s: %v, excelize %v", cell, gf, wf)
		}
	case gv != wv:
		t.Errorf("%s: %q, excelize %q", cell, gv, wv)
	}
	gs, ws := cellStyle(t, g, cell), cellStyle(t, w, cell)
	gBold, wBold := gs.Font != nil && gs.Font.Bold, ws.Font != nil && ws.Font.Bold
	if gBold != wBold || numFmt(gs) != numFmt(ws) {
		t.Errorf("%s: bold %v, format %q; excelize bold %v, format %q", cell, gBold, numFmt(gs), wBold, numFmt(ws))
	}
}

func cellStyle(t *testing.T, f *excelize.File, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle("Alunos", cell)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func numFmt(s *excelize.Style) string {
	if s.CustomNumFmt != nil {
		return *s.CustomNumFmt
	}
	return strconv.Itoa(s.NumFmt)
}

func TestAlunosXLSXKeepsTheFileReadableWithInvalidText(t *testing.T) {
	var b bytes.Buffer
	s, err := NewAlunosXLSX(&b)
	if err != nil {
		t.Fatal(err)
	}
	a := models.Aluno{RA: "R\x00", Nome: "Ana\x01\x1f\uFFFE\xff\tBia", Turma: "1A", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	writeSheet(t, s, []models.Aluno{a})
	rows, err := openXLSX(t, b.Bytes()).GetRows("Alunos")
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows %q, %v", rows, err)
	}
	if rows[1][0] != "R\uFFFD" || rows[1][1] != "Ana\uFFFD\uFFFD\uFFFD\uFFFD\tBia" {
		t.Errorf("invalid characters read back as %q, want U+FFFD in their place", rows[1][:2])
	}
}
