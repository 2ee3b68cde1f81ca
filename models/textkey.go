package models

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// textKey folds s for comparing and sorting in Portuguese alphabetical
// order on any database: accents dropped and letters in lower case, so
// "Álvaro" < "Bruno" and "João" < "José" in plain byte order, and "5a"
// and "5A" are the same key.
func textKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining accent: the base letter was kept
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
