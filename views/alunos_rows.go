package views

import (
	"context"
	"io"
	"strconv"
	"sync"

	"github.com/a-h/templ"

	"schooladmin/models"
)

// alunoRows writes the rows of the students table. It is the list page's
// hot loop, written by hand: templ renders each `{ value }` through
// fmt.Sprint and an escaper that allocate, which made these rows most of
// the page's rendering time (bench/RESULTS.md). The markup is what the
// table's header expects; alunos_rows_test.go pins it down. selectable
// starts each row with the checkbox of the bulk actions.
func alunoRows(alunos []models.Aluno, selectable bool) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		buf := rowBuffers.Get().(*[]byte)
		b := (*buf)[:0]
		for i := range alunos {
			b = appendAlunoRow(b, &alunos[i], selectable)
		}
		_, err := w.Write(b)
		*buf = b
		rowBuffers.Put(buf)
		return err
	})
}

// rowBuffers reuses the rows' buffer between requests (a page of 50 rows
// is about 12 KiB).
var rowBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

func appendAlunoRow(b []byte, a *models.Aluno, selectable bool) []byte {
	b = append(b, `<tr data-testid="aluno-row">`...)
	if selectable {
		b = append(b, `<td class="col-select"><input type="checkbox" name="ids" value="`...)
		b = strconv.AppendInt(b, a.ID, 10)
		b = append(b, `" aria-label="Selecionar `...)
		b = appendHTML(b, a.Nome)
		b = append(b, `" data-testid="select-aluno"></td>`...)
	}
	b = append(b, `<td data-label="RA" class="col-ra mono">`...)
	b = appendHTML(b, a.RA)
	b = append(b, `</td><td data-label="Nome" class="col-nome"><a href="/alunos/`...)
	b = strconv.AppendInt(b, a.ID, 10)
	b = append(b, `">`...)
	b = appendHTML(b, a.Nome)
	b = append(b, `</a></td><td data-label="Turma" class="col-turma">`...)
	b = appendHTML(b, a.Turma)
	b = append(b, `</td><td data-label="Alterado em" class="col-updated muted">`...)
	b = a.UpdatedAt.In(schoolTime).AppendFormat(b, timeLayout)
	return append(b, `</td></tr>`...)
}

// appendHTML appends s escaped for HTML text and quoted attributes,
// exactly as html.EscapeString (and so templ) escapes it.
func appendHTML(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		b = append(append(b, s[last:i]...), esc...)
		last = i + 1
	}
	return append(b, s[last:]...)
}
