package views

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"schooladmin/models"
)

func TestPrintHeaderNamesWhatThePaperHolds(t *testing.T) {
	at := time.Date(2026, 11, 29, 17, 3, 0, 0, time.UTC) // 14:03 in Brasília
	q := func(turma, search, sort string, page int) models.ListQuery {
		v := url.Values{"q": {search}, "sort": {sort}, "page": {strconv.Itoa(page)}}
		if turma != "" {
			v.Set("turma", turma)
		}
		q, err := models.ParseListQuery(models.AlunoList, v)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	alunos := make([]models.Aluno, 50)
	cases := []struct {
		name string
		l    AlunosList
		want string
	}{
		{"everyone", AlunosList{Query: q("", "", "id", 1), Total: 3, LastPage: 1, Alunos: alunos[:3]},
			"Alunos · impresso em 29/11/2026 14:03"},
		{"a turma, a search, an order", AlunosList{Query: q("5B", "silva", "-nome", 1), Total: 2, LastPage: 1, Alunos: alunos[:2]},
			"Alunos · turma 5B · busca “silva” · ordem: Nome (Z–A) · impresso em 29/11/2026 14:03"},
		{"one page of several", AlunosList{Query: q("", "", "id", 2), Total: 120, LastPage: 3, Alunos: alunos},
			"Alunos · alunos 51–100 de 120 · impresso em 29/11/2026 14:03"},
		{"a turma's page", AlunosList{Query: q("5B", "", "id", 1), Total: 1, LastPage: 1, Alunos: alunos[:1], Base: "/turmas/7"},
			"impresso em 29/11/2026 14:03"},
	}
	for _, tc := range cases {
		tc.l.PrintedAt = at
		if got := tc.l.PrintHeader(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
