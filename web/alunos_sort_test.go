package web_test

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// portuguese compares as the contract sorts nome and turma: Portuguese
// alphabetical order, case and accents ignored (numbers by value).
var portuguese = collate.New(language.BrazilianPortuguese, collate.Loose, collate.Numeric)

// TestAPISortFollowsPortugueseOrder follows the next links of sort=nome
// and sort=-turma to the end: every student once, in Portuguese order
// with ties by id, the same on every database.
func TestAPISortFollowsPortugueseOrder(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		rows := [][2]string{
			{"Zeca", "2B"}, {"Érica", "10A"}, {"José", "1A"}, {"João", "Ágata"}, {"Álvaro", "9C"},
			{"Bruno", "10A"}, {"bruno", "2B"}, {"Anabela", "agua"}, {"Ana Maria", "1A"}, {"ana", "Zulu"},
			{"Ítalo", "10B"}, {"joão", "2B"}, {"Çalışkan", "1A"}, {"Oscar", "9C"}, {"Öscar", "Ária"},
		}
		var all []student
		for i, r := range rows {
			all = append(all, app.createAluno(r[0], r[1], fmt.Sprintf("S-%02d", i)))
		}
		wantNames := []string{"Álvaro", "ana", "Ana Maria", "Anabela", "Bruno", "bruno", "Çalışkan", "Érica",
			"Ítalo", "João", "joão", "José", "Oscar", "Öscar", "Zeca"}
		if got := names(walkNext(t, app, "/alunos?sort=nome&per_page=2", len(all))); !slices.Equal(got, wantNames) {
			t.Fatalf("sort=nome: got %q\nwant %q", got, wantNames)
		}
		for _, sort := range []string{"nome", "-nome", "turma", "-turma"} {
			want := slices.Clone(all)
			slices.SortStableFunc(want, func(a, b student) int {
				c := cmp.Compare(a.ID, b.ID)
				if sort == "nome" || sort == "-nome" {
					c = cmp.Or(portuguese.CompareString(a.Nome, b.Nome), c)
				} else {
					c = cmp.Or(portuguese.CompareString(a.Turma, b.Turma), c)
				}
				if sort[0] == '-' {
					return -c
				}
				return c
			})
			got := walkNext(t, app, "/alunos?per_page=4&sort="+sort, len(all))
			if !slices.Equal(ids(got), ids(want)) {
				t.Errorf("sort=%s: got %q\nwant %q", sort, names(got), names(want))
			}
		}
	})
}

// walkNext follows rel="next" from path to the last page and returns the
// students seen, failing on a student seen twice or a wrong total.
func walkNext(t *testing.T, app *testApp, path string, total int) []student {
	t.Helper()
	var seen []student
	for next := path; next != ""; {
		resp := app.api(http.MethodGet, next, "")
		wantStatus(t, resp, http.StatusOK)
		if got := resp.Header.Get("X-Total-Count"); got != fmt.Sprint(total) {
			t.Fatalf("%s: X-Total-Count %s, want %d", next, got, total)
		}
		for _, s := range decode[[]student](t, resp) {
			if slices.ContainsFunc(seen, func(o student) bool { return o.ID == s.ID }) {
				t.Fatalf("%s: student %d (%s) seen twice", next, s.ID, s.Nome)
			}
			seen = append(seen, s)
		}
		next = ""
		if u := parseLinks(t, resp.Header.Get("Link"))["next"]; u != nil {
			next = u.String()
		}
	}
	if len(seen) != total {
		t.Fatalf("%s: next links visited %d of %d students", path, len(seen), total)
	}
	return seen
}

func names(list []student) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.Nome
	}
	return out
}

func ids(list []student) []int64 {
	out := make([]int64, len(list))
	for i, s := range list {
		out[i] = s.ID
	}
	return out
}
