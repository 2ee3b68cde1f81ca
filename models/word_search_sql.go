package models

import (
	"fmt"
	"strings"
)

// sqlPart is a piece of SQL with its arguments.
type sqlPart struct {
	sql  string
	args []any
}

func (p *sqlPart) add(sql string, args ...any) {
	p.sql += sql
	p.args = append(p.args, args...)
}

// branch selects the students with stored word w that meet the other
// conditions, in id order and at most limit of them (0: all, unordered).
func (p wordPlan) branch(w string, limit int) sqlPart {
	b := sqlPart{sql: "SELECT p.aluno_id AS aluno_id FROM aluno_palavras p"}
	p.where(&b, w)
	if limit > 0 {
		b.add(" ORDER BY p.aluno_id"+p.dir()+" LIMIT ?", limit)
	}
	return b
}

// where adds the conditions of a branch on the word rows p of w.
func (p wordPlan) where(b *sqlPart, w string) {
	b.add(" WHERE p.palavra = ?", w)
	if p.after != 0 {
		b.add(" AND p.aluno_id "+p.cmp()+" ?", p.after)
	}
	if p.turma != "" {
		b.add(" AND (SELECT 1 FROM alunos a WHERE a.id = p.aluno_id AND a.turma_key = ? LIMIT 1) IS NOT NULL", p.turma)
	}
	for _, o := range p.others {
		b.add(" AND (SELECT 1 FROM aluno_palavras o WHERE o.aluno_id = p.aluno_id AND o.palavra LIKE ? LIMIT 1) IS NOT NULL", o+"%")
	}
}

// matches is the UNION of the branches: the matching ids, each once. With
// limit, each branch keeps only its first limit ids, which hold the first
// limit ids of the union. ok is false when nothing can match.
func (p wordPlan) matches(limit int) (m sqlPart, ok bool) {
	var parts []sqlPart
	for i, w := range p.driver {
		b := p.branch(w, limit)
		if limit > 0 { // an ordered, limited select must be a derived table to join a UNION
			b.sql = fmt.Sprintf("SELECT aluno_id FROM (%s) w%d", b.sql, i)
		}
		parts = append(parts, b)
	}
	sqls := make([]string, len(parts))
	for i, b := range parts {
		sqls[i] = b.sql
		m.args = append(m.args, b.args...)
	}
	m.sql = strings.Join(sqls, " UNION ")
	return m, len(parts) > 0
}

// page selects one page of students, perPage rows after skipping offset.
func (p wordPlan) page(perPage, offset int) (sqlPart, bool) {
	if len(p.driver) == 1 {
		return p.pageOfOne(perPage, offset), true
	}
	m, ok := p.matches(offset + perPage)
	if !ok {
		return sqlPart{}, false
	}
	q := sqlPart{}
	q.add("SELECT "+alunoColumns+" FROM alunos JOIN ("+m.sql+") m ON m.aluno_id = alunos.id", m.args...)
	q.add(" ORDER BY alunos.id"+p.dir()+" LIMIT ? OFFSET ?", perPage, offset)
	return q, true
}

// pageOfOne is page when one word range holds every match: a plain join
// on it, which the database optimises and runs faster than the UNION.
// The turma stays a scalar subquery on p, so that the join cannot start
// from alunos and lose the index order.
func (p wordPlan) pageOfOne(perPage, offset int) sqlPart {
	q := sqlPart{sql: "SELECT " + alunoColumns + " FROM aluno_palavras p JOIN alunos ON alunos.id = p.aluno_id"}
	p.where(&q, p.driver[0])
	q.add(" ORDER BY p.aluno_id"+p.dir()+" LIMIT ? OFFSET ?", perPage, offset)
	return q
}

// count counts the matching students, on every page.
func (p wordPlan) count() (sqlPart, bool) {
	p.after = 0
	m, ok := p.matches(0)
	if !ok {
		return sqlPart{}, false
	}
	q := sqlPart{}
	q.add("SELECT COUNT(*) FROM ("+m.sql+") m", m.args...)
	return q, true
}

func (p wordPlan) dir() string {
	if p.desc {
		return " DESC"
	}
	return " ASC"
}

func (p wordPlan) cmp() string {
	if p.desc {
		return "<"
	}
	return ">"
}
