package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// brasilia is the time zone the exports write dates in.
var brasilia = func() *time.Location {
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		return time.FixedZone("BRT", -3*60*60)
	}
	return loc
}()

const bom = "\uFEFF"

// exportBody GETs an export with the administrator's token and returns
// its body after checking the status and the attachment's name.
func exportBody(t *testing.T, app *testApp, path, ext string) []byte {
	t.Helper()
	before := time.Now().In(brasilia).Format("2006-01-02")
	resp := app.api(http.MethodGet, path, "")
	wantStatus(t, resp, http.StatusOK)
	after := time.Now().In(brasilia).Format("2006-01-02")
	cd := resp.Header.Get("Content-Disposition")
	if cd != `attachment; filename="alunos-`+before+`.`+ext+`"` && cd != `attachment; filename="alunos-`+after+`.`+ext+`"` {
		t.Errorf("Content-Disposition %q, want the attachment alunos-%s.%s", cd, before, ext)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// csvDate is how the CSV writes a stored time: Brasília, to the second.
func csvDate(rfc3339 string) string {
	t, _ := time.Parse(time.RFC3339Nano, rfc3339)
	return t.In(brasilia).Format("2006-01-02 15:04:05")
}

func TestExportCSVBytes(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno(`Ana "Nina" Souza; da Silva, Maria`, "1A", "R1")
		b := app.createAluno("=HYPERLINK(\"http://x\")", "+1", "-R2")
		c := app.createAluno("@SUM(A1)", "1A", "R3")
		resp := app.api(http.MethodGet, "/alunos/export?format=csv", "")
		wantStatus(t, resp, http.StatusOK)
		if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		body := exportBody(t, app, "/alunos/export?format=csv", "csv")
		want := bom + "ra,nome,turma,criado_em,alterado_em\r\n" +
			`R1,"Ana ""Nina"" Souza; da Silva, Maria",1A,` + csvDate(a.CreatedAt) + "," + csvDate(a.UpdatedAt) + "\r\n" +
			`'-R2,"'=HYPERLINK(""http://x"")",'+1,` + csvDate(b.CreatedAt) + "," + csvDate(b.UpdatedAt) + "\r\n" +
			`R3,'@SUM(A1),1A,` + csvDate(c.CreatedAt) + "," + csvDate(c.UpdatedAt) + "\r\n"
		if string(body) != want {
			t.Errorf("CSV\n got: %q\nwant: %q", body, want)
		}

		body = exportBody(t, app, "/alunos/export?format=csv&delimiter=semicolon&turma=1A&sort=-ra", "csv")
		want = bom + "ra;nome;turma;criado_em;alterado_em\r\n" +
			`R3;'@SUM(A1);1A;` + csvDate(c.CreatedAt) + ";" + csvDate(c.UpdatedAt) + "\r\n" +
			`R1;"Ana ""Nina"" Souza; da Silva, Maria";1A;` + csvDate(a.CreatedAt) + ";" + csvDate(a.UpdatedAt) + "\r\n"
		if string(body) != want {
			t.Errorf("CSV with ; for turma 1A by -ra\n got: %q\nwant: %q", body, want)
		}
	})
}

// TestExportCSVFollowsTheList checks the export holds the list's rows,
// in its order, for each filter: every one, not a page.
func TestExportCSVFollowsTheList(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for i, n := range []string{"Bruno Silva", "Álvaro Souza", "Ana Silva", "Carla Dias", "João Silva"} {
			app.createAluno(n, []string{"1A", "2B"}[i%2], "E"+string(rune('1'+i)))
		}
		for path, want := range map[string]string{
			"/alunos/export":                           "E1 E2 E3 E4 E5",
			"/alunos/export?sort=nome":                 "E2 E3 E1 E4 E5",
			"/alunos/export?q=silva&sort=-nome":        "E5 E1 E3",
			"/alunos/export?turma=2B":                  "E2 E4",
			"/alunos/export?q=e3":                      "E3",
			"/alunos/export?q=nobody":                  "",
			"/alunos/export?per_page=1&page=2&sort=ra": "E1 E2 E3 E4 E5",
		} {
			records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(exportBody(t, app, path, "csv"), []byte(bom)))).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			var ras []string
			for _, r := range records[1:] {
				ras = append(ras, r[0])
			}
			if got := strings.Join(ras, " "); got != want {
				t.Errorf("%s: %q, want %q", path, got, want)
			}
		}
	})
}

func TestExportRejectsBadParameters(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for path, field := range map[string]string{
			"/alunos/export?format=pdf":                                "format",
			"/alunos/export?delimiter=tab":                             "delimiter",
			"/alunos/export?sort=senha":                                "sort",
			"/alunos/export?format=xlsx&q=" + strings.Repeat("a+", 11): "q",
		} {
			resp := app.api(http.MethodGet, path, "", deliberatelyInvalid, "a bad export parameter")
			wantStatus(t, resp, http.StatusUnprocessableEntity)
			if e := decode[errorBody](t, resp); e.Fields[field] == "" {
				t.Errorf("%s: %+v, want a message on %s", path, e, field)
			}
		}
		resp, doc := app.page("/alunos/export?format=pdf")
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if !strings.Contains(doc.Find("main").Text(), "csv") {
			t.Errorf("the page for a bad format does not name the formats: %q", doc.Find("main").Text())
		}
	})
}

func TestExportXLSXReadsBack(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana Souza", "1A", "R1")
		app.createAluno("=1+1", "2B", "R2")
		f, err := excelize.OpenReader(bytes.NewReader(exportBody(t, app, "/alunos/export?format=xlsx&sort=ra", "xlsx")))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheet := f.GetSheetList()[0]
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || strings.Join(rows[0], ",") != "ra,nome,turma,criado_em,alterado_em" {
			t.Fatalf("rows %q", rows)
		}
		if rows[2][1] != "=1+1" {
			t.Errorf("a name that looks like a formula: %q, want it as typed", rows[2][1])
		}
		if formula, _ := f.GetCellFormula(sheet, "B3"); formula != "" {
			t.Errorf("B3 became the formula %q", formula)
		}
		if !cellBold(t, f, sheet, "A1") || !cellBold(t, f, sheet, "E1") || cellBold(t, f, sheet, "A2") {
			t.Error("the header row is not bold, or a data row is")
		}
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("panes %+v, %v: want the header row frozen", panes, err)
		}
		unset, _ := f.GetColWidth(sheet, "Z")
		for _, col := range []string{"A", "B", "C", "D", "E"} {
			if w, _ := f.GetColWidth(sheet, col); w == unset {
				t.Errorf("column %s keeps the default width", col)
			}
		}
		created, _ := time.Parse(time.RFC3339Nano, a.CreatedAt)
		checkDateCell(t, f, sheet, "D2", created)
		updated, _ := time.Parse(time.RFC3339Nano, a.UpdatedAt)
		checkDateCell(t, f, sheet, "E2", updated)
	})
}

func cellBold(t *testing.T, f *excelize.File, sheet, cell string) bool {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return style.Font != nil && style.Font.Bold
}

// checkDateCell checks that cell holds at as a date: a number (Excel's
// serial date) of Brasília's wall clock, shown through a date format.
func checkDateCell(t *testing.T, f *excelize.File, sheet, cell string, at time.Time) {
	t.Helper()
	raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var serial float64
	if _, err := fmt.Sscan(raw, &serial); err != nil {
		t.Fatalf("%s holds %q, not a serial date", cell, raw)
	}
	got, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		t.Fatal(err)
	}
	wall := at.In(brasilia)
	want := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, time.UTC)
	if d := got.Sub(want); d < -time.Second || d > time.Second {
		t.Errorf("%s is %s, want %s (Brasília)", cell, got, want)
	}
	shown, _ := f.GetCellValue(sheet, cell)
	if shown != wall.Format("02/01/2006 15:04") {
		t.Errorf("%s shows %q, want %q", cell, shown, wall.Format("02/01/2006 15:04"))
	}
}

func TestExportEmptyListIsTheHeader(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		if body := exportBody(t, app, "/alunos/export?format=csv&delimiter=semicolon", "csv"); string(body) != bom+"ra;nome;turma;criado_em;alterado_em\r\n" {
			t.Errorf("empty CSV %q", body)
		}
		f, err := excelize.OpenReader(bytes.NewReader(exportBody(t, app, "/alunos/export?format=xlsx", "xlsx")))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetList()[0])
		if len(rows) != 1 {
			t.Errorf("empty XLSX rows %q", rows)
		}
	})
}

// TestExportCrossesPages exports more students than one page of the
// walk holds, so the cursor is followed across pages.
func TestExportCrossesPages(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	s := models.NewAlunoStore(app.db)
	n := models.ExportPageSize + 7
	for i := range n {
		nome := "Aluno " + string(rune('A'+i%26))
		if _, err := s.Create(context.Background(), models.SystemActor, models.AlunoInput{Nome: &nome, Turma: ptr("1A"), RA: ptr("X" + strconv.Itoa(i))}); err != nil {
			t.Fatal(err)
		}
	}
	for _, sort := range []string{"id", "nome"} {
		records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(exportBody(t, app, "/alunos/export?sort="+sort, "csv"), []byte(bom)))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range records[1:] {
			seen[r[0]] = true
		}
		if len(records) != n+1 || len(seen) != n {
			t.Errorf("sort=%s: %d rows, %d distinct RAs, want %d", sort, len(records)-1, len(seen), n)
		}
	}
}

func TestListLinksToItsExports(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createAluno("Ana Silva", "1A", "R1")
		app.createAluno("Bruno Silva", "2B", "R2")
		_, doc := app.page("/alunos?q=silva&turma=1A&sort=-nome&page=1&per_page=10")
		for testid, want := range map[string]string{
			"export-csv":  "/alunos/export?delimiter=semicolon&format=csv&q=silva&sort=-nome&turma=1A",
			"export-xlsx": "/alunos/export?format=xlsx&q=silva&sort=-nome&turma=1A",
		} {
			href, _ := doc.Find(`[data-testid="` + testid + `"]`).Attr("href")
			if href != want {
				t.Errorf("%s links to %q, want %q", testid, href, want)
			}
			// The link gives the list as filtered.
			resp := app.do(http.MethodGet, href, "", "Accept", browserAccept)
			wantStatus(t, resp, http.StatusOK)
		}
		body := exportBody(t, app, "/alunos/export?delimiter=semicolon&format=csv&q=silva&sort=-nome&turma=1A", "csv")
		if lines := strings.Count(string(body), "\r\n"); lines != 2 {
			t.Errorf("the filtered export has %d lines, want the header and Ana", lines)
		}

		turma := app.turmaOf("2B")
		_, doc = app.page("/turmas/" + strconv.FormatInt(turma.ID, 10) + "?sort=nome")
		if href, _ := doc.Find(`[data-testid="export-xlsx"]`).Attr("href"); href != "/alunos/export?format=xlsx&sort=nome&turma=2B" {
			t.Errorf("the turma's page exports %q, want its students", href)
		}
	})
}
