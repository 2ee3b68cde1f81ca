package models

import "gorm.io/gorm"

// AlunoList is what the students list accepts: q is words that begin
// words of the name, or the beginning of an RA; turma filters by a
// turma's code, case and accents ignored. Text people read is sorted by
// its sort key (see SortKey).
var AlunoList = &ListSpec{
	Sorts: map[string]string{
		"id": "id", "nome": "nome_key", "turma": "turma_key", "ra": "ra",
		"created_at": "created_at", "updated_at": "updated_at",
	},
	DefaultSort: "id",
	Filters:     map[string]Filter{"turma": {Column: "turma_key", ByKey: true}},
	Unique:      []string{"ra"},
	Words:       true,
	Cursor:      true,
}

// SortValue is the value of the column a students list sorted by key is
// ordered by, for the next page's cursor.
func (a Aluno) SortValue(key string) string {
	switch key {
	case "nome":
		return a.NomeKey
	case "turma":
		return a.TurmaKey
	case "ra":
		return a.RA
	case "created_at":
		return CursorTime(a.CreatedAt)
	case "updated_at":
		return CursorTime(a.UpdatedAt)
	}
	return ""
}

// alunoFilter restricts db to the students q asks for by turma and by
// name (an RA q begins is listWithRA's). probe picks how name words are
// matched (see probeWords).
func alunoFilter(q ListQuery, db *gorm.DB, probe bool) *gorm.DB {
	db = q.filterExact(db)
	if len(q.searchWords()) == 0 {
		return db
	}
	return db.Where(byName(q, db.Session(&gorm.Session{NewDB: true}), probe))
}

// byName is the condition, on fresh (a new statement), that each word of
// q begins a word of the name.
func byName(q ListQuery, fresh *gorm.DB, probe bool) *gorm.DB {
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
