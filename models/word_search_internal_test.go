package models

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"
)

// TestWordPlanShapes checks which searches the word-index plan serves
// (it counts any sort and lists those sorted by id) and that it leaves the
// others to the older plans, and how it splits a search into the driving
// word's stored words and the rest.
func TestWordPlanShapes(t *testing.T) {
	ctx := context.Background()
	s := migratedAlunoStore(t)
	names := []string{"Ana Bittencourt", "Ana Bittar", "Maria Silva", "Maria Silva Bittar", "Joana Silva"}
	for i := range 40 {
		names = append(names, fmt.Sprintf("Carlos Ca%c%c", 'a'+i%26, 'a'+i/26)) // 40 words "ca…"
	}
	for i, nome := range names {
		ra := fmt.Sprintf("R%03d", i)
		if _, err := s.Create(ctx, Actor{}, AlunoInput{Nome: &nome, Turma: ptrTo("1A"), RA: &ra}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		query  string
		ok     bool
		driver []string
		others []string
	}{
		{"q=bittencourt", true, []string{"bittencourt"}, nil},
		{"q=bitt&sort=-id", true, []string{"bittar", "bittencourt"}, nil},
		{"q=silva+bittencourt&turma=1A", true, []string{"bittencourt"}, []string{"silva"}},
		{"q=silva+joana", true, []string{"joana"}, []string{"silva"}}, // the rarer word drives
		{"q=nobody", true, nil, nil},
		{"q=ca", false, nil, nil},                                          // more distinct words than one page's UNION should hold
		{"q=bitt&sort=nome", true, []string{"bittar", "bittencourt"}, nil}, // counts only
		{"q=silva&turma=1A&sort=-updated_at", true, []string{"silva"}, nil},
		{"turma=1A", false, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			v, _ := url.ParseQuery(tc.query)
			q, err := ParseListQuery(AlunoList, v)
			if err != nil {
				t.Fatal(err)
			}
			p, ok, err := s.planWords(ctx, q)
			if err != nil || ok != tc.ok {
				t.Fatalf("ok %v, err %v; want ok %v", ok, err, tc.ok)
			}
			if ok && (!slices.Equal(p.driver, tc.driver) || !slices.Equal(p.others, tc.others)) {
				t.Fatalf("driver %v others %v, want %v %v", p.driver, p.others, tc.driver, tc.others)
			}
		})
	}
}
