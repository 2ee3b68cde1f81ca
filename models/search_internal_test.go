package models

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"testing"
)

// TestSearchStrategiesAgree checks that both ways of matching name words
// (gathering ids from the word index, or probing each student's words)
// select the same students in the same order, for every sort.
func TestSearchStrategiesAgree(t *testing.T) {
	ctx := context.Background()
	s := migratedAlunoStore(t)
	names := []string{"Ana Silva", "Silvio Santos", "João da Silva Neto", "Maria Oliveira", "Ana Paula Silveira", "Pedro Sá"}
	for i := range 60 {
		nome, ra := names[i%len(names)], fmt.Sprintf("R%03d", i)
		in := AlunoInput{Nome: &nome, Turma: ptrTo(fmt.Sprintf("T%d", i%3)), RA: &ra}
		if _, err := s.Create(ctx, Actor{}, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, raw := range []string{"q=silv", "q=ana+silv&sort=-nome", "q=sa&turma=T1&sort=ra", "q=pedro&sort=-turma", "q=maria&sort=-updated_at"} {
		v, _ := url.ParseQuery(raw)
		q, err := ParseListQuery(AlunoList, v)
		if err != nil {
			t.Fatal(err)
		}
		ids := func(probe bool) []int64 {
			var out []int64
			err := alunoFilter(q, s.reads.WithContext(ctx).Model(&Aluno{}), probe).Order(q.order()).Pluck("id", &out).Error
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		gathered, probed := ids(false), ids(true)
		if len(gathered) == 0 || !slices.Equal(gathered, probed) {
			t.Errorf("%s: gathered %v, probed %v", raw, gathered, probed)
		}
	}
}

func ptrTo(s string) *string { return &s }

// migratedAlunoStore is a student store on a new, migrated SQLite
// database that is closed when the test ends.
func migratedAlunoStore(t *testing.T) *AlunoStore {
	t.Helper()
	db, err := Open("sqlite:"+filepath.Join(t.TempDir(), "students.db"), DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return NewAlunoStore(db)
}
