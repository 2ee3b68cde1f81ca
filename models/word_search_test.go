package models_test

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// searchFixture creates students whose names exercise the word search:
// prefixes that stand for several words, names with two words of one
// prefix, a prefix with more distinct words than the word-index plan
// takes, and a name holding another student's RA. Names are ASCII, so
// that the reference splits them into words simply (searchWordsOf).
func searchFixture(t *testing.T, s *models.AlunoStore) {
	t.Helper()
	given := []string{"Ana", "Manoel", "Manuela", "Maria", "Pedro", "Raissa", "Joao", "Bia"}
	family := []string{"Silva", "Silveira", "Bittencourt", "Bittar", "Santos", "Manso", "Oliveira"}
	for i := range 150 {
		nome := given[i%len(given)] + " " + family[(i/3)%len(family)]
		switch {
		case i%11 == 0:
			nome += " Silva" // "silv" matches two of this name's words
		case i%13 == 0:
			nome = "Manoel Manuela " + family[i%len(family)]
		case i%5 == 0:
			nome += fmt.Sprintf(" Ca%c%c", 'a'+i%26, 'a'+(i/26)%26) // many "ca…" words
		}
		mustCreate(t, s, nome, fmt.Sprintf("%dA", 1+i%3), fmt.Sprintf("R%04d", i))
	}
	mustCreate(t, s, "Ana R0007 Bittencourt", "2A", "X-1")
	mustCreate(t, s, "Bia X 2 Silva", "2A", "X-2") // found by name and by RA at once
	ctx := context.Background()
	for _, ra := range []string{"R0003", "R0040", "R0100"} { // updated_at out of id order
		list, _, err := s.List(ctx, mustParse(t, "q="+ra))
		if err != nil || len(list) == 0 {
			t.Fatalf("find %s: %v", ra, err)
		}
		a := list[0]
		if _, err := s.Update(ctx, tester, a.ID, a.Version, models.AlunoInput{Turma: ptr("3A")}, false); err != nil {
			t.Fatal(err)
		}
	}
}

func mustParse(t *testing.T, raw string) models.ListQuery {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	q, err := models.ParseListQuery(models.AlunoList, v)
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return q
}

// referenceList filters and sorts all in Go, as the list promises: each
// search word begins some word of the name, or q begins the student's RA.
func referenceList(all []models.Aluno, q, turma, sort string) []models.Aluno {
	words := searchWordsOf(q)
	var out []models.Aluno
	for _, a := range all {
		if turma != "" && portuguese.CompareString(a.Turma, turma) != 0 {
			continue
		}
		if (len(words) == 0 || matchesAll(words, searchWordsOf(a.Nome))) || (len(words) > 0 && raPrefix(q, a.RA)) {
			out = append(out, a)
		}
	}
	desc := strings.HasPrefix(sort, "-")
	slices.SortFunc(out, func(a, b models.Aluno) int {
		c := compareBy(strings.TrimPrefix(sort, "-"), a, b)
		if c == 0 {
			c = cmp.Compare(a.ID, b.ID)
		}
		if desc {
			return -c
		}
		return c
	})
	return out
}

// portuguese compares as the contract sorts nome and turma: Portuguese
// alphabetical order, case and accents ignored (numbers by value).
var portuguese = collate.New(language.BrazilianPortuguese, collate.Loose, collate.Numeric)

func compareBy(key string, a, b models.Aluno) int {
	switch key {
	case "nome":
		return portuguese.CompareString(a.Nome, b.Nome)
	case "turma":
		return portuguese.CompareString(a.Turma, b.Turma)
	case "ra":
		return strings.Compare(a.RA, b.RA)
	case "created_at":
		return a.CreatedAt.Compare(b.CreatedAt)
	case "updated_at":
		return a.UpdatedAt.Compare(b.UpdatedAt)
	}
	return 0
}

// raPrefix reports whether q, in any letter case, begins ra: q of letters,
// digits, . and - only (other symbols are no wildcards: such a q begins
// no RA).
func raPrefix(q, ra string) bool {
	for _, r := range q {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	return strings.HasPrefix(ra, strings.ToUpper(q))
}

func matchesAll(words, nameWords []string) bool {
	for _, w := range words {
		if !slices.ContainsFunc(nameWords, func(n string) bool { return strings.HasPrefix(n, w) }) {
			return false
		}
	}
	return true
}

// searchWordsOf splits ASCII text into lower-case words, as the app's
// word index does for the fixture's names.
func searchWordsOf(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}

func ids(list []models.Aluno) []int64 {
	out := make([]int64, len(list))
	for i, a := range list {
		out[i] = a.ID
	}
	return out
}

// walkOffsets reads every page by number and checks each total.
func walkOffsets(t *testing.T, s *models.AlunoStore, base string, want int) []models.Aluno {
	t.Helper()
	var got []models.Aluno
	for page := 1; ; page++ {
		list, total, err := s.List(context.Background(), mustParse(t, fmt.Sprintf("%s&page=%d", base, page)))
		if err != nil {
			t.Fatal(err)
		}
		if total != int64(want) {
			t.Fatalf("page %d: total %d, want %d", page, total, want)
		}
		if len(list) == 0 {
			return got
		}
		got = append(got, list...)
	}
}

// walkCursor follows the cursor of each page's last row to the end.
func walkCursor(t *testing.T, s *models.AlunoStore, base string, want int) []models.Aluno {
	t.Helper()
	q := mustParse(t, base)
	var got []models.Aluno
	for range want + 2 {
		list, total, err := s.List(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if total != int64(want) {
			t.Fatalf("after %d rows: total %d, want %d", len(got), total, want)
		}
		if len(list) == 0 {
			return got
		}
		got = append(got, list...)
		q = mustParse(t, base+"&cursor="+q.NextCursor(list[len(list)-1].SortValue(q.SortKey()), list[len(list)-1].ID))
	}
	t.Fatalf("cursor walk did not end: %v", ids(got))
	return nil
}

// TestWordSearchMatchesReference lists every combination of search words,
// turma, RA and sort by page number and by cursor, and compares the rows
// and totals with filtering all students in Go: no row is skipped,
// repeated or out of order, whichever plan the store picks.
func TestWordSearchMatchesReference(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		searchFixture(t, s)
		all, _, err := s.List(context.Background(), mustParse(t, "per_page=500"))
		if err != nil {
			t.Fatal(err)
		}
		searches := []string{
			"bittencourt", "bitt", "man", "manoel", "man bitt", "silv", "silv silva", "silva silv",
			"ma ana", "ca", "caa", "r0007", "R0005", "r0005 ana", "x-2", "zzz", "", "oliveira raissa",
			"r01", "r00", "r", "x", "X-", "2", "r0_", "r01%",
		}
		sorts := []string{"id", "-id", "nome", "-nome", "turma", "-turma", "ra", "-ra",
			"created_at", "-created_at", "updated_at", "-updated_at"}
		reversed := slices.Clone(sorts)
		slices.Reverse(reversed)
		for i, search := range searches {
			order := sorts
			if i%2 == 1 {
				// The first sort of a search counts it (the total is then
				// cached): every other search is counted for a sort by date.
				order = reversed
			}
			for _, turma := range []string{"", "2A", "3A"} {
				for _, sort := range order {
					want := ids(referenceList(all, search, turma, sort))
					base := url.Values{"q": {search}, "turma": {turma}, "sort": {sort}, "per_page": {"7"}}.Encode()
					t.Run(base, func(t *testing.T) {
						if got := ids(walkOffsets(t, s, base, len(want))); !slices.Equal(got, want) {
							t.Errorf("by page: got %v, want %v", got, want)
						}
						if got := ids(walkCursor(t, s, base, len(want))); !slices.Equal(got, want) {
							t.Errorf("by cursor: got %v, want %v", got, want)
						}
					})
				}
			}
		}
	})
}
