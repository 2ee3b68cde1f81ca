package models

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// cleanText trims surrounding white space and puts the text in Unicode NFC,
// so that "José" typed on any keyboard is stored the same way.
func cleanText(s string) string {
	return norm.NFC.String(strings.TrimSpace(s))
}

// printable reports whether s is valid UTF-8 made only of visible characters
// and ordinary spaces: no control characters, no NUL, no line breaks.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsGraphic(r) && !joiner(r) {
			return false
		}
	}
	return true
}

// joiner reports the zero-width (non-)joiners that emoji sequences such as
// 👩‍🏫 and some scripts need. Other format characters (bidirectional
// overrides, which can disguise text) stay refused.
func joiner(r rune) bool { return r == '\u200d' || r == '\u200c' }

// searchWords splits s into lower-case words without accents, a word being a
// run of letters and digits. "João d'Ávila" gives ["joao", "d", "avila"].
func searchWords(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining accent: dropped, the base letter was already kept
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return words
}
