package models

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// A table the schema gains must be copied by an export or left out on
// purpose: a forgotten one would be lost on the way to another database.
func TestEveryTableIsDumpedOrExcluded(t *testing.T) {
	db := migratedAlunoStore(t).db
	tables, err := dumpTables(db)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, tb := range tables {
		known[tb.name] = true
	}
	for _, m := range notDumped {
		sch, err := parseModel(db, m)
		if err != nil {
			t.Fatal(err)
		}
		known[sch.Table] = true
	}
	stored, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range stored {
		if !known[name] && name != "sqlite_sequence" {
			t.Errorf("table %s is neither in dumped nor in notDumped (models/dump_tables.go)", name)
		}
	}
	if len(tables) < 10 {
		t.Fatalf("dumped tables: %d", len(tables))
	}
}

// The canonical encoding reads back as the values written, for every
// kind, over random values and the awkward ones.
func TestRowEncodingRoundTrips(t *testing.T) {
	cols := []dumpColumn{{"i", kindInt}, {"s", kindString}, {"b", kindBool}, {"t", kindTime}}
	texts := []string{"", `"aspas" \ barra`, "Zoë 🎓 <b>&", "\x00\n\t", "\u2028"}
	for i := range 500 {
		row := []any{rand.Int64() - math.MaxInt64/2, texts[i%len(texts)], i%2 == 0,
			time.Unix(rand.Int64N(1<<33), rand.Int64N(1e9)).UTC()}
		if i%7 == 0 {
			row[i%4] = nil
		}
		line, err := appendRow(nil, row)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeRow(line[:len(line)-1], cols)
		if err != nil || !slices.EqualFunc(got, row, func(a, b any) bool {
			if ta, ok := a.(time.Time); ok {
				return ta.Equal(b.(time.Time))
			}
			return a == b
		}) {
			t.Fatalf("%s read back as %v (%v), want %v", line, got, err, row)
		}
	}
	if _, err := appendRow(nil, []any{"\xff"}); err == nil {
		t.Fatal("text that is not UTF-8 was encoded (JSON would change it)")
	}
}
