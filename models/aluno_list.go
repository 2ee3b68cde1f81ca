package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// List returns one page of students and how many match in all.
func (s *AlunoStore) List(ctx context.Context, q ListQuery) ([]Aluno, int64, error) {
	q.words = q.searchWords() // split once for this request
	prefix := raPrefixOf(q.Q)
	key := q.filterValue("turma") + "\x00" + strings.Join(q.words, " ") + "\x00" + prefix
	if len(q.words) > 0 && prefix != "" {
		ra, err := s.raMatches(ctx, q, prefix)
		if err != nil {
			return nil, 0, err
		}
		if ra.n > 0 {
			return s.listWithRA(ctx, q, key, ra)
		}
	}
	byID := q.SortKey() == "id"
	total, counted := s.counts.get(key)
	if len(q.words) == 0 || counted && !byID {
		return s.listFiltered(ctx, q, key, total, counted)
	}
	plan, ok, err := s.planWords(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		return s.listFiltered(ctx, q, key, 0, false)
	}
	if total, err = s.countWith(key, s.countByWords(ctx, plan)); err != nil {
		return nil, 0, err
	}
	if !byID {
		return s.listFiltered(ctx, q, key, total, true)
	}
	return s.listByWords(ctx, q, plan, total)
}

// listFiltered lists the students through q.filter: the page of every
// query the word index does not serve (see planWords), and its total
// unless counted already.
func (s *AlunoStore) listFiltered(ctx context.Context, q ListQuery, key string, total int64, counted bool) ([]Aluno, int64, error) {
	model := func() *gorm.DB { return s.reads.WithContext(ctx).Model(&Aluno{}) }
	var err error
	if !counted {
		if total, err = s.count(key, alunoFilter(q, model(), false)); err != nil {
			return nil, 0, err
		}
	}
	probe := false
	if len(q.words) > 0 {
		if probe, err = s.probe(ctx, total); err != nil {
			return nil, 0, err
		}
	}
	return s.listPage(alunoFilter(q, model(), probe), q, q.order(), total)
}

// probe decides how a search with total matches reads its page, from
// the (cached) counts: see probeWords.
func (s *AlunoStore) probe(ctx context.Context, total int64) (bool, error) {
	all, err := s.count("", s.reads.WithContext(ctx).Model(&Aluno{}))
	return probeWords(total, all), err
}

// listPage reads the page of q from query, which selects the matching
// students, in order; total is how many match.
func (s *AlunoStore) listPage(query *gorm.DB, q ListQuery, order string, total int64) ([]Aluno, int64, error) {
	alunos := make([]Aluno, 0, q.PerPage)
	page, ok := q.paged(query, order, total)
	if !ok {
		return alunos, total, nil
	}
	alunos, err := scanAlunos(page, alunos, q.keyColumn())
	if err != nil {
		return nil, 0, fmt.Errorf("list students: %w", dbError(err))
	}
	return alunos, total, nil
}

// listIDsFirst is listPage for a query whose matches are gathered and
// sorted: it sorts only their ids, read from indexes where it can, and
// then reads the page's rows, where sorting whole rows read every
// matching row (seconds for a million students whose RAs begin with 2).
func (s *AlunoStore) listIDsFirst(ctx context.Context, query *gorm.DB, q ListQuery, order string, total int64) ([]Aluno, int64, error) {
	alunos := make([]Aluno, 0, q.PerPage)
	ids, ok := q.paged(query.Select("id"), order, total)
	if !ok {
		return alunos, total, nil
	}
	rows := s.reads.WithContext(ctx).Model(&Aluno{}).Where("id IN (SELECT p.id FROM (?) p)", ids).Order(q.order())
	alunos, err := scanAlunos(rows, alunos, q.keyColumn())
	if err != nil {
		return nil, 0, fmt.Errorf("list students: %w", dbError(err))
	}
	return alunos, total, nil
}

// paged limits query to q's page in order: after the cursor, or past the
// page's offset; ok is false when the page is past the last one.
func (q ListQuery) paged(query *gorm.DB, order string, total int64) (page *gorm.DB, ok bool) {
	page = query.Order(order).Limit(q.PerPage)
	switch {
	case q.cursor != nil:
		return q.after(page), true
	case total > int64(q.Offset()):
		return page.Offset(q.Offset()), true
	}
	return nil, false
}

// alunoColumns are the columns scanAlunos reads, in its order.
const alunoColumns = "id, nome, turma, ra, version, created_at, updated_at"

// scanAlunos runs query and scans the rows by hand: GORM's reflective
// scanning was the largest share of a list request's CPU time. keyColumn,
// when not "", is the sort key column the page is ordered by, read too
// for the next page's cursor.
func scanAlunos(query *gorm.DB, into []Aluno, keyColumn string) ([]Aluno, error) {
	cols := alunoColumns
	if keyColumn != "" {
		cols += ", " + keyColumn
	}
	rows, err := query.Select(cols).Rows()
	if err != nil {
		return nil, err
	}
	return scanAlunoRows(rows, into, keyColumn)
}

// scanAlunoRows appends rows, which hold alunoColumns (and keyColumn), to
// into and closes rows.
func scanAlunoRows(rows *sql.Rows, into []Aluno, keyColumn string) ([]Aluno, error) {
	defer rows.Close()
	var a Aluno
	dest := []any{&a.ID, &a.Nome, &a.Turma, &a.RA, &a.Version, &a.CreatedAt, &a.UpdatedAt}
	switch keyColumn {
	case "nome_key":
		dest = append(dest, &a.NomeKey)
	case "turma_key":
		dest = append(dest, &a.TurmaKey)
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		into = append(into, a)
	}
	return into, rows.Err()
}

// count returns the rows of query, from the cache when it is fresh.
func (s *AlunoStore) count(key string, query *gorm.DB) (int64, error) {
	return s.countWith(key, func() (int64, error) {
		var n int64
		err := query.Count(&n).Error
		return n, err
	})
}

// countWith returns what run counts, from the cache when it is fresh; one
// caller at a time runs it for a key while the others wait for its answer.
func (s *AlunoStore) countWith(key string, run func() (int64, error)) (int64, error) {
	if n, ok := s.counts.get(key); ok {
		return n, nil
	}
	v, err, _ := s.counts.inflight.Do(key, func() (any, error) {
		n, err := run()
		if err != nil {
			return int64(0), fmt.Errorf("count students: %w", dbError(err))
		}
		s.counts.put(key, n)
		return n, nil
	})
	return v.(int64), err
}
