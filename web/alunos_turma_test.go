package web_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestTurmaFilterIgnoresCase checks that a turma typed in another letter
// case joins the existing one, and that the list's filter offers each
// turma once and matches it in any case, on every database.
func TestTurmaFilterIgnoresCase(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createAluno("Ana", "1A", "R1")
		if s := app.createAluno("Bia", "1a", "R2"); s.Turma != "1A" {
			t.Fatalf("created in 1a: turma %q, want the existing 1A", s.Turma)
		}
		app.createAluno("Caio", "2B", "R3")
		_, doc := app.page("/alunos?turma=1a")
		if rows := doc.Find(`[data-testid="aluno-row"]`).Length(); rows != 2 {
			t.Fatalf("turma=1a lists %d students, want 2", rows)
		}
		var options []string
		doc.Find(`select[name="turma"] option`).Each(func(_ int, s *goquery.Selection) { options = append(options, s.Text()) })
		if strings.Join(options, ",") != "Todas as turmas,1A,2B" {
			t.Fatalf("turma options %q", options)
		}
		if sel := doc.Find(`select[name="turma"] option[selected]`).Text(); sel != "1A" {
			t.Fatalf("selected turma %q, want 1A", sel)
		}
	})
}
