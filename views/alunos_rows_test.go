package views

import (
	"bytes"
	"context"
	"html"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
)

// rowReference is the markup of a row built the slow, obvious way, as the
// templ loop it replaced rendered it (with the bulk actions' checkbox
// when selectable).
func rowReference(a models.Aluno, selectable bool) string {
	check := ""
	if selectable {
		check = `<td class="col-select"><input type="checkbox" name="ids" value="` + strconv.FormatInt(a.ID, 10) +
			`" aria-label="` + html.EscapeString("Selecionar "+a.Nome) + `" data-testid="select-aluno"></td>`
	}
	return `<tr data-testid="aluno-row">` + check + `<td data-label="RA" class="col-ra mono">` + html.EscapeString(a.RA) +
		`</td><td data-label="Nome" class="col-nome"><a href="` + html.EscapeString(AlunoURL(a, "")) + `">` + html.EscapeString(a.Nome) +
		`</a></td><td data-label="Turma" class="col-turma">` + html.EscapeString(a.Turma) +
		`</td><td data-label="Alterado em" class="col-updated muted">` + html.EscapeString(ShowDate(a, true)) + `</td></tr>`
}

func TestAlunoRowsMatchReference(t *testing.T) {
	winter := time.Date(2024, 7, 1, 2, 30, 0, 0, time.UTC) // 23:30 of the day before in Brasília
	alunos := []models.Aluno{
		{ID: 1, Nome: "João da Silva", Turma: "5B", RA: "2024.0001", UpdatedAt: winter},
		{ID: 42, Nome: `Ícaro <Gonçalves> & "Araújo" D'Ávila`, Turma: "<b>", RA: "A-1", UpdatedAt: winter.Add(time.Hour)},
		{ID: 9223372036854775807, Nome: "👩‍👩‍👧 emoji & ZWJ", Turma: "&amp;", RA: "X", UpdatedAt: time.Date(2099, 12, 31, 23, 59, 0, 0, time.UTC)},
		{ID: 7, Nome: "", Turma: "", RA: "", UpdatedAt: time.Time{}},
	}
	for _, selectable := range []bool{false, true} {
		var want strings.Builder
		for _, a := range alunos {
			want.WriteString(rowReference(a, selectable))
		}
		var got bytes.Buffer
		if err := alunoRows(alunos, selectable).Render(context.Background(), &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("rows (selectable %v) differ from the reference\n got: %s\nwant: %s", selectable, got.String(), want.String())
		}
		if !strings.Contains(got.String(), ">01/07/2024 00:30<") || !strings.Contains(got.String(), ">30/06/2024 23:30<") {
			t.Errorf("dates are not in Brasília time: %s", got.String())
		}
	}
}

func TestAlunoRowsEmpty(t *testing.T) {
	var got bytes.Buffer
	if err := alunoRows(nil, true).Render(context.Background(), &got); err != nil || got.Len() != 0 {
		t.Errorf("no students: %q, %v; want nothing", got.String(), err)
	}
}

func FuzzAppendHTMLMatchesEscapeString(f *testing.F) {
	for _, s := range []string{"", "plain", `<a href="x">&'</a>`, "&&&", "\x00\xff\xfe", "João <b>", "'\"<>&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendHTML([]byte("prefix"), s)), "prefix"+html.EscapeString(s); got != want {
			t.Errorf("appendHTML(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestAlunoRowCellsFollowColumns holds the hand-written rows to the
// table's header as the list renders it: one cell per header cell, the
// selection box first when the header has one, then one per entry of
// Columns, in its order and with its label, so a column added to the
// header cannot be left out of the rows.
func TestAlunoRowCellsFollowColumns(t *testing.T) {
	a := models.Aluno{ID: 3, Nome: "Ana", Turma: "5B", RA: "R1", UpdatedAt: time.Now()}
	l := AlunosList{Alunos: []models.Aluno{a}, Total: 1, Query: models.ListQuery{Sort: "id", Page: 1, PerPage: 50}, LastPage: 1}
	for _, selectable := range []bool{false, true} {
		var b bytes.Buffer
		if err := alunosTable(l, selectable).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		// The selection box's cell is "select"; any other cell is its
		// column's label (the header's text, the row's data-label).
		key := func(s *goquery.Selection, label string) string {
			if s.HasClass("col-select") {
				return "select"
			}
			return label
		}
		var header, cells []string
		doc.Find("thead th").Each(func(_ int, s *goquery.Selection) { header = append(header, key(s, s.Text())) })
		doc.Find("tbody td").Each(func(_ int, s *goquery.Selection) { cells = append(cells, key(s, s.AttrOr("data-label", ""))) })
		var want []string
		if selectable {
			want = append(want, "select")
		}
		for _, c := range Columns {
			want = append(want, c.Label)
		}
		if strings.Join(header, "|") != strings.Join(want, "|") || strings.Join(cells, "|") != strings.Join(want, "|") {
			t.Errorf("selectable %v: header %q, row cells %q, want %q", selectable, header, cells, want)
		}
	}
}
