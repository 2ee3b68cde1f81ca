package models

import (
	"encoding/hex"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Lists sorted by nome or turma are ordered by a stored sort key, so that
// both databases give the same Portuguese order from an index: SQLite
// compares text byte by byte (Álvaro after Zeca) and MariaDB's collation
// is its own. The key is the Unicode collation key of the text at primary
// strength (case, accents and width ignored; runs of digits compared by
// value, so turma 2A comes before 10A), in lower-case hex: bytes compare
// the same as the key, and MariaDB's utf8mb4_unicode_ci orders 0-9 and
// a-f the same way, so no column needs a collation of its own.
//
// MaxSortKey bounds a key's length: names of up to 120 letters fit
// whole; text whose characters expand to many collation elements (a few
// ligatures do) is cut, and ties are then broken by id like equal keys.
const MaxSortKey = 480

// sortKeyVersion names the rules a stored key was made with: a change of
// rules (or of the collation tables) gives it a new value, and the next
// migration recomputes every key (see backfillSortKeys).
const sortKeyVersion = "pt-loose-numeric/cldr" + collate.CLDRVersion

// keyMakers recycles collators, which are not safe for concurrent use.
var keyMakers = sync.Pool{New: func() any {
	return &keyMaker{c: collate.New(language.BrazilianPortuguese, collate.Loose, collate.Numeric)}
}}

type keyMaker struct {
	c   *collate.Collator
	buf collate.Buffer
}

// SortKey is the key lists sort s by (nome_key, turma_key). The benchmark
// loader writes it too, so it is exported.
func SortKey(s string) string {
	m := keyMakers.Get().(*keyMaker)
	defer keyMakers.Put(m)
	k := m.c.KeyFromString(&m.buf, s)
	if len(k) > MaxSortKey/2 {
		k = k[:MaxSortKey/2]
	}
	key := hex.EncodeToString(k)
	m.buf.Reset()
	return key
}

// validSortKey reports whether s can be a sort key: lower-case hex, as a
// cursor must carry.
func validSortKey(s string) bool {
	if len(s) > MaxSortKey || len(s)%2 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
