package models

import (
	"net/url"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Limits of the students list.
const (
	DefaultPerPage = 50
	MaxPerPage     = 500
	// MaxSearchWords bounds the words of q: each is one more index lookup.
	MaxSearchWords = 10
)

// sortColumns whitelists what a list may be sorted by; the key is what the
// client sends, the value the column. Nothing else reaches ORDER BY. Text
// people read is sorted by its sort key (see SortKey).
var sortColumns = map[string]string{
	"id": "id", "nome": "nome_key", "turma": "turma_key", "ra": "ra",
	"created_at": "created_at", "updated_at": "updated_at",
}

// StudentQuery is one page of a filtered, sorted students list.
type StudentQuery struct {
	Q       string // words that begin words of the name, or the start of an RA
	Turma   string // class name, case and accents ignored; empty for all
	Sort    string // a key of sortColumns, "-" in front for descending
	Page    int    // from 1
	PerPage int    // 1 to MaxPerPage
	// cursor, when set, continues after the previous page's last row
	// instead of skipping Offset rows.
	cursor *cursor
	// words are Q's search words, split once by ParseStudentQuery.
	words []string
	// turmaKey is SortKey(Turma), which the filter compares.
	turmaKey string
}

// searchWords returns Q's search words (split here when the query was not
// made by ParseStudentQuery).
func (q StudentQuery) searchWords() []string {
	if q.words == nil && q.Q != "" {
		return searchWords(q.Q)
	}
	return q.words
}

// ParseStudentQuery reads a list query from URL parameters, with defaults
// for what is missing. Out-of-range or unknown values give a
// *ValidationError naming the parameter.
func ParseStudentQuery(v url.Values) (StudentQuery, error) {
	q := StudentQuery{
		Q: strings.TrimSpace(v.Get("q")), Turma: strings.TrimSpace(v.Get("turma")),
		Sort: v.Get("sort"), Page: 1, PerPage: DefaultPerPage,
	}
	errs := fieldErrors{}
	if q.Sort == "" {
		q.Sort = "id"
	} else if _, ok := sortColumns[strings.TrimPrefix(q.Sort, "-")]; !ok {
		errs.add("sort", "Ordenação desconhecida: use id, nome, turma, ra, created_at ou updated_at, com - na frente para ordem decrescente.")
	}
	q.words = searchWords(q.Q)
	if q.Turma != "" {
		q.turmaKey = SortKey(q.Turma)
	}
	if len(q.words) > MaxSearchWords {
		errs.add("q", "A busca pode ter no máximo 10 palavras.")
	}
	q.Page = intParam(errs, v, "page", 1, 1, 1<<30, "A página deve ser um número a partir de 1.")
	q.PerPage = intParam(errs, v, "per_page", DefaultPerPage, 1, MaxPerPage, "Itens por página deve ser um número de 1 a 500.")
	if raw := v.Get("cursor"); raw != "" && errs["sort"] == "" {
		if c, ok := parseCursor(raw, q.SortKey()); ok {
			q.cursor = &c
		} else {
			errs.add("cursor", "Cursor inválido: siga o link rel=\"next\" sem alterá-lo.")
		}
	}
	return q, errs.err()
}

func intParam(errs fieldErrors, v url.Values, name string, def, lo, hi int, msg string) int {
	raw := strings.TrimSpace(v.Get(name))
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		errs.add(name, msg)
		return def
	}
	return n
}

// NamesTurma reports whether the query filters by turma t, in whatever
// letter case it was asked for, so the filter can show its choice.
func (q StudentQuery) NamesTurma(t string) bool {
	switch {
	case q.Turma == "":
		return false
	case t == q.Turma:
		return true
	}
	key := q.turmaKey
	if key == "" {
		key = SortKey(q.Turma)
	}
	return SortKey(t) == key
}

// Descending reports whether the sort order is descending.
func (q StudentQuery) Descending() bool { return strings.HasPrefix(q.Sort, "-") }

// SortKey is the sort without its direction, as in "nome".
func (q StudentQuery) SortKey() string { return strings.TrimPrefix(q.Sort, "-") }

// keyColumn is the sort key column the list is ordered by, or "".
func (q StudentQuery) keyColumn() string {
	switch col := sortColumns[q.SortKey()]; col {
	case "nome_key", "turma_key":
		return col
	}
	return ""
}

// Offset is the number of rows before the page.
func (q StudentQuery) Offset() int { return (q.Page - 1) * q.PerPage }

// LastPage is the number of the last page for total rows (at least 1).
func (q StudentQuery) LastPage(total int64) int {
	if total <= 0 {
		return 1
	}
	return int((total + int64(q.PerPage) - 1) / int64(q.PerPage))
}

// filter restricts db to the rows the query asks for by turma and by
// name (an RA q begins is listWithRA's). probe picks how name words are
// matched (see probeWords).
func (q StudentQuery) filter(db *gorm.DB, probe bool) *gorm.DB {
	db = q.byTurma(db)
	if len(q.searchWords()) == 0 {
		return db
	}
	return db.Where(q.byName(db.Session(&gorm.Session{NewDB: true}), probe))
}

// byTurma restricts db to the query's turma, if it names one: by its sort
// key, so that 1a is 1A on every database (MariaDB's collation already
// ignored case and accents, SQLite's did not).
func (q StudentQuery) byTurma(db *gorm.DB) *gorm.DB {
	if q.Turma != "" {
		db = db.Where("turma_key = ?", q.turmaKey)
	}
	return db
}

// byName is the condition, on fresh (a new statement), that each word of
// q begins a word of the name.
func (q StudentQuery) byName(fresh *gorm.DB, probe bool) *gorm.DB {
	// Words hold only letters and digits: no LIKE escaping.
	byName := fresh
	for _, w := range q.searchWords() {
		if probe {
			// Walk the students in list order and look each one's words
			// up by primary key; a LIMITed scalar subquery is never
			// flattened into a join, so the walk stops at the page's end.
			byName = byName.Where("(SELECT 1 FROM aluno_palavras p WHERE p.aluno_id = alunos.id AND p.palavra LIKE ? LIMIT 1) IS NOT NULL", w+"%")
		} else {
			// Gather the matching ids from the word index (a prefix range),
			// which the optimizer turns into a semi-join.
			byName = byName.Where("id IN (?)", fresh.Model(&AlunoPalavra{}).Select("aluno_id").Where("palavra LIKE ?", w+"%"))
		}
	}
	return byName
}

// probeShare is the share of all students above which a name search walks
// the list and probes each student's words: a common surname matches
// every few rows, so a page fills after a few hundred probes, where
// gathering and sorting every match (a sixth of a million rows for
// "silva") is what made such searches slow. Rarer words gather.
const probeShare = 0.005

// probeWords decides the strategy from the (cached) counts.
func probeWords(matches, all int64) bool {
	return matches > 0 && float64(matches) > probeShare*float64(all)
}

// order is the ORDER BY clause, with the id as tie-breaker so pages never
// overlap or skip rows.
func (q StudentQuery) order() string {
	col, ok := sortColumns[q.SortKey()]
	if !ok {
		col = "id"
	}
	dir := " ASC"
	if q.Descending() {
		dir = " DESC"
	}
	if col == "id" || col == "ra" {
		// RAs are unique: a tie-breaker would only keep MariaDB from
		// reading them in order from their index.
		return col + dir
	}
	return col + dir + ", id" + dir
}
