package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// List returns one page of students and how many match in all.
func (s *StudentStore) List(ctx context.Context, q StudentQuery) ([]Aluno, int64, error) {
	q.words = q.searchWords() // split once for this request
	ra := raOf(q.Q)
	key := q.countKey()
	byID := q.SortKey() == "id"
	total, counted := s.counts.get(key)
	if len(q.words) == 0 || counted && !byID {
		return s.listFiltered(ctx, q, key, total, counted)
	}
	plan, ok, err := s.planWords(ctx, q, ra)
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

// countKey is the count cache's key of the query's filter.
func (q StudentQuery) countKey() string {
	return q.Turma + "\x00" + strings.Join(q.words, " ") + "\x00" + raOf(q.Q)
}

// listFiltered lists the students through q.filter: the page of every
// query the word index does not serve (see planWords), and its total
// unless counted already.
func (s *StudentStore) listFiltered(ctx context.Context, q StudentQuery, key string, total int64, counted bool) ([]Aluno, int64, error) {
	raID, err := s.idByRA(ctx, q.Q)
	if err != nil {
		return nil, 0, err
	}
	model := func() *gorm.DB { return s.reads.WithContext(ctx).Model(&Aluno{}) }
	if !counted {
		if total, err = s.count(key, q.filter(model(), raID, false)); err != nil {
			return nil, 0, err
		}
	}
	probe := false
	if len(q.words) > 0 {
		all, err := s.count("", model())
		if err != nil {
			return nil, 0, err
		}
		probe = probeWords(total, all)
	}
	alunos := make([]Aluno, 0, q.PerPage)
	page := q.filter(model(), raID, probe).Order(q.order()).Limit(q.PerPage)
	switch {
	case q.cursor != nil:
		page = q.after(page)
	case total > int64(q.Offset()):
		page = page.Offset(q.Offset())
	default:
		return alunos, total, nil // past the last page
	}
	alunos, err = scanAlunos(page, alunos, q.keyColumn())
	if err != nil {
		return nil, 0, fmt.Errorf("list students: %w", dbError(err))
	}
	return alunos, total, nil
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
func (s *StudentStore) count(key string, query *gorm.DB) (int64, error) {
	return s.countWith(key, func() (int64, error) {
		var n int64
		err := query.Count(&n).Error
		return n, err
	})
}

// countWith returns what run counts, from the cache when it is fresh; one
// caller at a time runs it for a key while the others wait for its answer.
func (s *StudentStore) countWith(key string, run func() (int64, error)) (int64, error) {
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

// raOf is the RA a search q may stand for (a student whose RA it is is
// listed whatever the name), or "" when q cannot be an RA.
func raOf(q string) string {
	ra := strings.ToUpper(strings.TrimSpace(q))
	if len(ra) > MaxRA || !validRA(ra) {
		return ""
	}
	return ra
}

// idByRA finds the student whose RA is q, for searches by RA: looked up
// first so the name search keeps its index-friendly shape.
func (s *StudentStore) idByRA(ctx context.Context, q string) (int64, error) {
	ra := raOf(q)
	if ra == "" {
		return 0, nil
	}
	var ids []int64
	if err := s.reads.WithContext(ctx).Model(&Aluno{}).Where("ra = ?", ra).Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("find student by ra: %w", dbError(err))
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// Turmas returns every class name in use, sorted, for the list's filter.
func (s *StudentStore) Turmas(ctx context.Context) ([]string, error) {
	if turmas, ok := s.counts.getTurmas(); ok {
		return turmas, nil
	}
	turmas := []string{}
	err := s.reads.WithContext(ctx).Model(&Aluno{}).Distinct("turma").Order("turma").Pluck("turma", &turmas).Error
	if err != nil {
		return nil, fmt.Errorf("list turmas: %w", dbError(err))
	}
	s.counts.putTurmas(turmas)
	return turmas, nil
}
