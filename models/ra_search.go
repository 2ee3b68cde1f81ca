package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// A search q also finds the students whose RA it begins ("2024-0" finds
// 2024-001): the RAs beginning with q are a range of the unique ra index.
// Every character an RA may hold sorts the same way in bytes (SQLite) and
// in utf8mb4_unicode_ci (MariaDB), so one range serves both; LIKE would
// not (SQLite's LIKE ignores case and uses no ordinary index).

// raAlphabet is every character of an RA as stored, in sort order.
const raAlphabet = "-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// raMatch is the range of RAs that begin with a search's q, and how many
// students of the query's turma have one.
type raMatch struct {
	prefix string
	hi     string // the first RA after the range; "" when none is
	n      int64
}

// raPrefixOf is q as the beginning of an RA (in upper case, as RAs are
// stored), or "" when no RA can begin with it: symbols other than . and -
// are taken literally, and RAs hold none.
func raPrefixOf(q string) string {
	q = strings.TrimSpace(q)
	if q == "" || len(q) > MaxRA || !validRA(q) {
		return ""
	}
	return strings.ToUpper(q)
}

// newRAMatch returns the range of RAs beginning with prefix: from prefix
// up to its successor, the prefix with its last character that is not
// the alphabet's last one moved to the next character (2024-0 → 2024-1,
// A9 → AA, AZ → B).
func newRAMatch(prefix string) raMatch {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if j := strings.IndexByte(raAlphabet, b[i]); j < len(raAlphabet)-1 {
			b[i] = raAlphabet[j+1]
			return raMatch{prefix: prefix, hi: string(b[:i+1])}
		}
	}
	return raMatch{prefix: prefix}
}

// inRange restricts db to the range, through the ra index.
func (m raMatch) inRange(db *gorm.DB) *gorm.DB {
	db = db.Where("ra >= ?", m.prefix)
	if m.hi != "" {
		db = db.Where("ra < ?", m.hi)
	}
	return db
}

// rowCheck is the same condition checked on each row, which no index can
// serve: a page that walks the list's order uses it.
func (m raMatch) rowCheck() (string, []any) {
	return "SUBSTR(ra, 1, ?) = ?", []any{len(m.prefix), m.prefix}
}

// raMatches counts the students of q's turma whose RA begins with prefix:
// a range of the ra index, cached like the totals.
func (s *AlunoStore) raMatches(ctx context.Context, q ListQuery, prefix string) (raMatch, error) {
	m := newRAMatch(prefix)
	var err error
	m.n, err = s.count("\x01ra\x00"+q.filterValue("turma")+"\x00"+prefix, m.inRange(q.filterExact(s.reads.WithContext(ctx).Model(&Aluno{}))))
	return m, err
}

// listWithRA lists a search that begins some RAs: the students whose name
// matches (N) and those whose RA begins with q (R), each once. The total
// is |N| + |R| - |N∩R|: three counts the indexes serve, where counting
// the union needs a temporary table of every match.
func (s *AlunoStore) listWithRA(ctx context.Context, q ListQuery, key string, ra raMatch) ([]Aluno, int64, error) {
	model := func() *gorm.DB { return s.reads.WithContext(ctx).Model(&Aluno{}) }
	names, err := s.countNames(ctx, q, key+"\x01names")
	if err != nil {
		return nil, 0, err
	}
	both := int64(0)
	if names > 0 {
		if both, err = s.count(key+"\x01both", ra.inRange(alunoFilter(q, model(), false))); err != nil {
			return nil, 0, err
		}
	}
	total := names + ra.n - both
	population, err := s.population(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	query, order, walk := q.withRA(model(), ra, names > 0, probeWords(total, population))
	if walk {
		return s.listPage(query, q, order, total)
	}
	return s.listIDsFirst(ctx, query, q, order, total)
}

// population counts the students a search picks from: the turma's, or
// all (cached under the keys of the turma's list and of Count).
func (s *AlunoStore) population(ctx context.Context, q ListQuery) (int64, error) {
	if q.Filter("turma") == "" {
		return s.Count(ctx)
	}
	return s.count(q.filterValue("turma")+"\x00\x00", q.filterExact(s.reads.WithContext(ctx).Model(&Aluno{})))
}

// countNames counts the students of q's turma whose names match q, on the
// word index when planWords serves q.
func (s *AlunoStore) countNames(ctx context.Context, q ListQuery, key string) (int64, error) {
	plan, ok, err := s.planWords(ctx, q)
	if err != nil {
		return 0, err
	}
	if ok {
		return s.countWith(key, s.countByWords(ctx, plan))
	}
	return s.count(key, alunoFilter(q, s.reads.WithContext(ctx).Model(&Aluno{}), false))
}

// withRA restricts db to the students of the turma whose names match q
// (when names do) or whose RA begins with it, and returns the order to
// read them in. With probe, many students match: the page may walk the
// list's order and check each row (walk). Otherwise the matches are
// gathered from the indexes and sorted.
func (q ListQuery) withRA(db *gorm.DB, ra raMatch, names, probe bool) (query *gorm.DB, order string, walk bool) {
	db, order = q.filterExact(db), q.order()
	// Only a name order may be walked, and ids within a turma: ids (and
	// dates) tend to follow the RA, given out together (a year's students
	// are the last ids), so a walk of all ids could read most of the list
	// before the first match, where a walk of a turma's ids reads at most
	// the turma, as gathering its matches would. Dates have no index to
	// walk, and RAs are the range itself.
	key := q.SortKey()
	if key != "nome" && key != "turma" && (key != "id" || q.Filter("turma") == "") {
		probe = false
	}
	if key == "id" && !probe {
		// id + 0 cannot be read from an index in order: the database
		// gathers the matches and sorts them, instead of walking the ids.
		order = "id + 0" + strings.TrimPrefix(order, "id")
	}
	fresh := db.Session(&gorm.Session{NewDB: true})
	check, args := ra.rowCheck()
	switch {
	case !names && probe:
		return db.Where(check, args...), order, true
	case !names:
		return ra.inRange(db), order, false
	case probe:
		return db.Where(byName(q, fresh, true).Or(check, args...)), order, true
	}
	union := q.unionWithRA(ra)
	return db.Where("id IN (SELECT u.id FROM ("+union.sql+") u)", union.args...), order, false
}

// unionWithRA selects the ids of the students of the turma whose name
// matches or whose RA begins with q, each once, from the word and ra
// indexes.
func (q ListQuery) unionWithRA(ra raMatch) sqlPart {
	names, ras := sqlPart{sql: "SELECT a.id FROM alunos a WHERE 1 = 1"}, sqlPart{sql: "SELECT a.id FROM alunos a WHERE a.ra >= ?", args: []any{ra.prefix}}
	if ra.hi != "" {
		ras.add(" AND a.ra < ?", ra.hi)
	}
	if q.Filter("turma") != "" {
		names.add(" AND a.turma_key = ?", q.filterValue("turma"))
		ras.add(" AND a.turma_key = ?", q.filterValue("turma"))
	}
	for _, w := range q.searchWords() {
		names.add(" AND a.id IN (SELECT aluno_id FROM aluno_palavras WHERE palavra LIKE ?)", w+"%")
	}
	names.add(" UNION "+ras.sql, ras.args...)
	return names
}
