package dataset

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// SearchWords splits s into lower-case words without accents, a word being
// a run of letters and digits: the rule of the app's search (CheckSearch
// compares the two on a live database).
func SearchWords(s string) []string {
	var words []string
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case b.Len() > 0:
			words = append(words, b.String())
			b.Reset()
		}
	}
	if b.Len() > 0 {
		words = append(words, b.String())
	}
	return words
}

// SearchKey is what a busca column holds for nome: every word preceded by
// a space, so "begins a word" is LIKE '% word%'.
func SearchKey(nome string) string {
	words := SearchWords(nome)
	if len(words) == 0 {
		return ""
	}
	return " " + strings.Join(words, " ")
}

// DistinctWords are the rows aluno_palavras holds for nome: each search
// word once, in order of first appearance.
func DistinctWords(nome string) []string {
	var out []string
	for _, w := range SearchWords(nome) {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}
