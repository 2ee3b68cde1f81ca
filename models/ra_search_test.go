package models_test

import (
	"context"
	"net/url"
	"slices"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// TestListFindsRAPrefix checks that q finds the students whose RA it
// begins, in any letter case, with symbols taken literally, together with
// those whose names it matches.
func TestListFindsRAPrefix(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		for _, st := range [][3]string{
			{"Ana Souza", "1A", "2024-001"}, {"Bruno Lima", "1A", "2024-002"}, {"Carla Dias", "1B", "2024-010"},
			{"Davi Reis", "1B", "2024-100"}, {"Eva Melo", "1A", "2024.001"}, {"Abel Nunes", "1A", "2025-001"},
			{"Gil Abreu", "1B", "AB-1"}, {"Ivo Prado", "1B", "ab.2"}, {"Turma 2024 Festa", "1A", "Z-9"},
		} {
			mustCreate(t, s, st[0], st[1], st[2])
		}
		cases := []struct {
			query string
			want  []string // RAs, in id order
		}{
			{"q=2024-0", []string{"2024-001", "2024-002", "2024-010"}},
			{"q=2024-00", []string{"2024-001", "2024-002"}},
			{"q=2024-001", []string{"2024-001"}},
			{"q=2024-", []string{"2024-001", "2024-002", "2024-010", "2024-100", "Z-9"}},            // and the name's word 2024
			{"q=2024", []string{"2024-001", "2024-002", "2024-010", "2024-100", "2024.001", "Z-9"}}, // RAs and a name's word
			{"q=2024&sort=-ra", []string{"Z-9", "2024.001", "2024-100", "2024-010", "2024-002", "2024-001"}},
			{"q=2024&turma=1A", []string{"2024-001", "2024-002", "2024.001", "Z-9"}},
			{"q=ab", []string{"2025-001", "AB-1", "AB.2"}}, // Abel, Abreu, and the RAs, in any case
			{"q=2024.", []string{"2024.001", "Z-9"}},       // . is no wildcard either
			{"q=ab-&sort=nome", []string{"2025-001", "AB-1"}},
			{"q=2024%25", []string{"Z-9"}}, // % is no wildcard: only the word 2024
			{"q=2024_00", nil},             // nor is _
			{"q=2024-0&per_page=2&page=2", []string{"2024-010"}},
		}
		for _, tc := range cases {
			t.Run(tc.query, func(t *testing.T) {
				q := mustParse(t, tc.query)
				list, total, err := s.List(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				got := ras(list)
				if !slices.Equal(got, tc.want) {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
				if want := len(tc.want) + (q.Page-1)*q.PerPage; total != int64(want) {
					t.Fatalf("total %d, want %d", total, want)
				}
			})
		}
	})
}

func ras(list []models.Aluno) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.RA)
	}
	return out
}

// TestRAStrategiesAgree checks that every way of reading a search that
// begins some RAs (gathered from the indexes or walked in list order,
// with and without name matches) selects the same students in the same
// order as filtering in Go, page by page, for every sort and turma.
func TestRAStrategiesAgree(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		searchFixture(t, s)
		ctx := context.Background()
		all, _, err := s.List(ctx, mustParse(t, "per_page=500"))
		if err != nil {
			t.Fatal(err)
		}
		sorts := []string{"id", "-id", "nome", "-nome", "turma", "-turma", "ra", "-ra", "created_at", "-updated_at"}
		for _, search := range []string{"r00", "r01", "x", "X-", "r", "R0007", "r0005"} {
			// Without name matches, the plan that leaves names out must
			// agree too; with them, only the plans that include them.
			nameMatches := slices.ContainsFunc(all, func(a models.Aluno) bool {
				return matchesAll(searchWordsOf(search), searchWordsOf(a.Nome))
			})
			for _, turma := range []string{"", "2A"} {
				for _, sort := range sorts {
					want := ids(referenceList(all, search, turma, sort))
					q := mustParse(t, url.Values{"q": {search}, "turma": {turma}, "sort": {sort}, "per_page": {"4"}}.Encode())
					for _, names := range []bool{true, nameMatches} {
						for _, probe := range []bool{false, true} {
							got, err := s.RAStrategyIDs(ctx, q, names, probe)
							if err != nil {
								t.Fatal(err)
							}
							if !slices.Equal(got, want) {
								t.Errorf("q=%s turma=%s sort=%s names=%v probe=%v: got %v, want %v", search, turma, sort, names, probe, got, want)
							}
						}
					}
				}
			}
		}
	})
}
