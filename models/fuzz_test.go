package models_test

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// Run one of these briefly, e.g.:
//
//	go test -run='^$' -fuzz='^FuzzStudentQuery$' -fuzztime=10s ./models/
//
// Without -fuzz, go test runs their seed corpora as ordinary tests.

// FuzzStudentQuery parses arbitrary query strings as the list does and
// runs the list on SQLite: the parse gives a usable query or a
// *ValidationError naming only list parameters, and a usable query never
// makes the database fail.
func FuzzStudentQuery(f *testing.F) {
	for _, seed := range []string{
		"", "q=ana&turma=1A&sort=-nome&page=2&per_page=10", "sort=password", "sort=nome;drop", "sort=-", "page=0",
		"page=99999999999999999999", "page=1073741824&per_page=500", "per_page=501", "per_page=+7", "q=%25&turma=_",
		"q=%27+OR+1%3D1+--", "q=%00%FF&turma=%5C", "q=ab-1", "cursor=abc", "cursor=&sort=nome", "sort=nome&cursor=eyJ9",
		"q=" + url.QueryEscape(strings.Repeat("palavra ", 40)),
	} {
		f.Add(seed)
	}
	var words []string
	for i := range 1200 {
		words = append(words, "w"+strconv.Itoa(i))
	}
	f.Add("q=" + url.QueryEscape(strings.Join(words, " "))) // too many words for one SQLite statement
	db := modelstest.SQLite(f)
	store := models.NewAlunoStore(db)
	for _, s := range [][3]string{{"Ana Lúcia", "1A", "AB-1"}, {"Zoë d'Ávila", "%", "X.2"}, {"100% _real_", "_", "R3"}} {
		if _, err := store.Create(context.Background(), tester, input(s[0], s[1], s[2])); err != nil {
			f.Fatal(err)
		}
	}
	listParams := map[string]bool{"q": true, "turma": true, "sort": true, "page": true, "per_page": true, "cursor": true}
	f.Fuzz(func(t *testing.T, rawQuery string) {
		v, _ := url.ParseQuery(rawQuery) // what net/http keeps of a bad query
		q, err := models.ParseListQuery(models.AlunoList, v)
		if err != nil {
			var verr *models.ValidationError
			if !errors.As(err, &verr) || len(verr.Fields) == 0 {
				t.Fatalf("%.100q: error %v, want a *ValidationError", rawQuery, err)
			}
			for field := range verr.Fields {
				if !listParams[field] {
					t.Fatalf("%.100q: complains about %q", rawQuery, field)
				}
			}
			return
		}
		if q.Page < 1 || q.PerPage < 1 || q.PerPage > models.MaxPerPage {
			t.Fatalf("%.100q: accepted page %d, per_page %d", rawQuery, q.Page, q.PerPage)
		}
		list, total, err := store.List(context.Background(), q)
		if err != nil {
			t.Fatalf("%.100q: list failed: %v", rawQuery, err)
		}
		if len(list) > q.PerPage || int64(len(list)) > total {
			t.Fatalf("%.100q: %d rows of %d, per_page %d", rawQuery, len(list), total, q.PerPage)
		}
	})
}

// FuzzAlunoInput cleans and validates arbitrary field values as every
// create does, and stores what validates on SQLite: Clean is idempotent;
// what validates honours every field rule; and it is stored and read back
// exactly as cleaned, or refused only as a duplicate RA.
func FuzzAlunoInput(f *testing.F) {
	for _, seed := range [][3]string{
		{"Ana", "1A", "R1"}, {"  Zoë d'Ávila <b>&  ", " 3º A ", " ab-1.x "}, {"", " ", "\t"},
		{"A\x00na", "1\nA", "R 1"}, {"An\xffa", "\xc3", "R\xe2"}, {strings.Repeat("é", 121), strings.Repeat("x", 21), strings.Repeat("9", 21)},
		{"👩‍🏫 Zoë Ærøskøbing 日本", "🏫", "ZOE-1"}, {"'; DROP TABLE alunos; --", "%", "_"}, {"e\u0301", "\u00a0", "ß"},
		{"\u202eevil", "1A", "İ"}, {strings.Repeat("😀", 120), "1A", "R2"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	store := models.NewAlunoStore(modelstest.SQLite(f))
	f.Fuzz(func(t *testing.T, nome, turma, ra string) {
		clean := input(nome, turma, ra).Clean()
		again := clean.Clean()
		if *again.Nome != *clean.Nome || *again.Turma != *clean.Turma || *again.RA != *clean.RA {
			t.Fatalf("Clean is not idempotent: %q → %q", *clean.Nome, *again.Nome)
		}
		if err := clean.Validate(true); err != nil {
			var verr *models.ValidationError
			if !errors.As(err, &verr) || len(verr.Fields) == 0 {
				t.Fatalf("Validate: %v, want a *ValidationError", err)
			}
			return
		}
		checkRules(t, *clean.Nome, *clean.Turma, *clean.RA)
		a, err := store.Create(context.Background(), tester, input(nome, turma, ra))
		if errors.Is(err, models.ErrDuplicate) {
			return
		}
		if err != nil {
			t.Fatalf("valid input %q %q %q not stored: %v", nome, turma, ra, err)
		}
		got, err := store.Get(context.Background(), a.ID)
		if err != nil || got.Nome != *clean.Nome || got.Turma != *clean.Turma || got.RA != *clean.RA {
			t.Fatalf("stored %+v (%v), want the cleaned %q %q %q", got, err, *clean.Nome, *clean.Turma, *clean.RA)
		}
	})
}

// checkRules asserts the contract's field rules on validated values.
func checkRules(t *testing.T, nome, turma, ra string) {
	t.Helper()
	for _, f := range []struct {
		name, value string
		max         int
	}{{"nome", nome, models.MaxNome}, {"turma", turma, models.MaxTurma}, {"ra", ra, models.MaxRA}} {
		n := utf8.RuneCountInString(f.value)
		if n == 0 || n > f.max || !utf8.ValidString(f.value) || strings.TrimSpace(f.value) != f.value {
			t.Fatalf("%s %q passed validation", f.name, f.value)
		}
		if strings.ContainsFunc(f.value, func(r rune) bool { return unicode.IsControl(r) }) {
			t.Fatalf("%s %q with a control character passed validation", f.name, f.value)
		}
	}
	if strings.ToUpper(ra) != ra || strings.ContainsFunc(ra, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-')
	}) {
		t.Fatalf("ra %q passed validation", ra)
	}
}
