package models_test

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// walkAll collects every student Walk gives for params, checking the
// page sizes on the way.
func walkAll(t *testing.T, s *models.AlunoStore, params url.Values, size int) []models.Aluno {
	t.Helper()
	q, err := models.ParseListQuery(models.AlunoList, params)
	if err != nil {
		t.Fatal(err)
	}
	var got []models.Aluno
	err = s.Walk(context.Background(), q, size, func(page []models.Aluno) error {
		if len(page) == 0 || len(page) > size {
			t.Errorf("page of %d students, want 1 to %d", len(page), size)
		}
		got = append(got, page...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// listAll is the same list read through List, one large page.
func listAll(t *testing.T, s *models.AlunoStore, params url.Values) []models.Aluno {
	t.Helper()
	params.Set("per_page", "500")
	q, err := models.ParseListQuery(models.AlunoList, params)
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := s.List(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func raList(alunos []models.Aluno) []string {
	var ras []string
	for _, a := range alunos {
		ras = append(ras, a.RA)
	}
	return ras
}

func TestWalkGivesTheWholeListInItsOrder(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		names := []string{"Bruno Silva", "Álvaro Souza", "ana silva", "José Lima", "João Silva", "Carla Dias", "Ícaro Silva"}
		for i, n := range names {
			mustCreate(t, s, n, []string{"1A", "2B"}[i%2], "W"+string(rune('0'+i)))
		}
		// Cursor pages past ties of the sort key (two students in each
		// turma, many with the same updated_at second) and past a cursor
		// that falls on the last row of a page.
		for _, params := range []url.Values{
			{}, {"sort": {"-id"}}, {"sort": {"nome"}}, {"sort": {"-nome"}}, {"sort": {"turma"}}, {"sort": {"-turma"}},
			{"sort": {"ra"}}, {"sort": {"created_at"}}, {"sort": {"-updated_at"}},
			{"q": {"silva"}}, {"q": {"silva"}, "sort": {"nome"}}, {"turma": {"1A"}}, {"turma": {"2B"}, "q": {"silva"}},
			{"q": {"w3"}}, {"q": {"nobody"}},
		} {
			want := raList(listAll(t, s, cloneValues(params)))
			for _, size := range []int{1, 2, 3, 1000} {
				if got := raList(walkAll(t, s, cloneValues(params), size)); !slices.Equal(got, want) {
					t.Errorf("%v, pages of %d: %v, want %v", params, size, got, want)
				}
			}
		}
	})
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func TestWalkIgnoresPagingAndStopsOnError(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		for i := range 5 {
			mustCreate(t, s, "Aluno", "1A", "P"+string(rune('0'+i)))
		}
		if got := walkAll(t, s, url.Values{"page": {"3"}, "per_page": {"1"}}, 2); len(got) != 5 {
			t.Errorf("walked %d students with page=3&per_page=1, want all 5", len(got))
		}
		q, _ := models.ParseListQuery(models.AlunoList, url.Values{})
		stop := errors.New("stop")
		pages := 0
		err := s.Walk(context.Background(), q, 2, func([]models.Aluno) error { pages++; return stop })
		if !errors.Is(err, stop) || pages != 1 {
			t.Errorf("Walk after fn failed: %v after %d pages, want stop after 1", err, pages)
		}
	})
}
