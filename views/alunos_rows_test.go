package views

import (
	"bytes"
	"context"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
)

// rowReference is the markup of a row built the slow, obvious way, as the
// templ loop it replaced rendered it.
func rowReference(a models.Aluno) string {
	return `<tr data-testid="aluno-row"><td data-label="RA" class="col-ra mono">` + html.EscapeString(a.RA) +
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
	var want strings.Builder
	for _, a := range alunos {
		want.WriteString(rowReference(a))
	}
	var got bytes.Buffer
	if err := alunoRows(alunos).Render(context.Background(), &got); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("rows differ from the reference\n got: %s\nwant: %s", got.String(), want.String())
	}
	if !strings.Contains(got.String(), ">01/07/2024 00:30<") || !strings.Contains(got.String(), ">30/06/2024 23:30<") {
		t.Errorf("dates are not in Brasília time: %s", got.String())
	}
}

func TestAlunoRowsEmpty(t *testing.T) {
	var got bytes.Buffer
	if err := alunoRows(nil).Render(context.Background(), &got); err != nil || got.Len() != 0 {
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
// table's header: one cell per entry of Columns, in its order and with its
// label, so a column added to the header cannot be left out of the rows.
func TestAlunoRowCellsFollowColumns(t *testing.T) {
	var b bytes.Buffer
	a := models.Aluno{ID: 3, Nome: "Ana", Turma: "5B", RA: "R1", UpdatedAt: time.Now()}
	if err := alunoRows([]models.Aluno{a}).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<table><tbody>" + b.String() + "</tbody></table>"))
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	doc.Find("td").Each(func(_ int, s *goquery.Selection) { labels = append(labels, s.AttrOr("data-label", "")) })
	var want []string
	for _, c := range Columns {
		want = append(want, c.Label)
	}
	if strings.Join(labels, "|") != strings.Join(want, "|") {
		t.Fatalf("row cells %q, header columns %q", labels, want)
	}
}
