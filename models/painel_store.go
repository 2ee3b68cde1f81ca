package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// PainelStore reads what the home page shows. Every read is cheap at a
// million students: per-turma numbers come from the turmas' kept counts,
// weekly numbers from index ranges of the audit trail (a week that has
// ended is read once, the current one kept like the list totals), the
// latest changes from the newest audit rows.
type PainelStore struct {
	reads  *gorm.DB
	counts *countCache
	kept   keptWeeks
}

// NewPainelStore returns a store on db. It reads from the read replicas
// when there are any: the home page may lag the primary by a moment.
func NewPainelStore(db *Database) *PainelStore {
	return &PainelStore{reads: db.Reads, counts: db.counts, kept: keptWeeks{weeks: map[[2]int64]keptWeek{}}}
}

// TurmaCount is a turma's code and its number of students.
type TurmaCount struct {
	ID     int64
	Codigo string
	Alunos int64
}

// TurmaCounts are students per turma: some turmas' counts, and the totals
// over every turma.
type TurmaCounts struct {
	Turmas []TurmaCount // every turma in code order, or the largest ones
	Total  int64        // how many turmas there are
	Alunos int64        // how many students they have in all
}

// Partial reports whether Turmas leaves some turmas out.
func (c TurmaCounts) Partial() bool { return int64(len(c.Turmas)) < c.Total }

// TurmaCounts returns every turma with its kept count, in Portuguese order
// of their codes, or only the limit largest (largest first) when there are
// more: a chart of a thousand bars says nothing. A school with no more
// turmas than limit is one short query.
func (s *PainelStore) TurmaCounts(ctx context.Context, limit int) (TurmaCounts, error) {
	out := TurmaCounts{Turmas: []TurmaCount{}}
	db := s.reads.WithContext(ctx).Model(&Turma{}).Select("id, codigo, alunos")
	if err := db.Session(&gorm.Session{}).Order("codigo_key, id").Limit(limit + 1).Scan(&out.Turmas).Error; err != nil {
		return out, fmt.Errorf("students per turma: %w", dbError(err))
	}
	if len(out.Turmas) <= limit {
		out.Total = int64(len(out.Turmas))
		for _, t := range out.Turmas {
			out.Alunos += t.Alunos
		}
		return out, nil
	}
	row := s.reads.WithContext(ctx).Model(&Turma{}).Select("COUNT(*), COALESCE(SUM(alunos), 0)").Row()
	if err := row.Scan(&out.Total, &out.Alunos); err != nil {
		return out, fmt.Errorf("count turmas: %w", dbError(err))
	}
	out.Turmas = out.Turmas[:0]
	if err := db.Order("alunos DESC, codigo_key, id").Limit(limit).Scan(&out.Turmas).Error; err != nil {
		return out, fmt.Errorf("largest turmas: %w", dbError(err))
	}
	return out, nil
}

// changeTypes are the audit object types whose changes the home page lists.
var changeTypes = []string{AuditAluno, AuditTurma}

// LatestChanges returns the n newest audit events of students and turmas,
// newest first.
func (s *PainelStore) LatestChanges(ctx context.Context, n int) ([]AuditEvent, error) {
	events := []AuditEvent{}
	err := s.reads.WithContext(ctx).Where("object_type IN ?", changeTypes).Order("id DESC").Limit(n).Find(&events).Error
	if err != nil {
		return nil, fmt.Errorf("latest changes: %w", dbError(err))
	}
	return events, nil
}
