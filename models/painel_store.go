package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// PainelStore reads what the home page shows. Every read is cheap at a
// million students: per-turma numbers come from the turmas' kept counts,
// weekly numbers from index ranges of the audit trail, the latest changes
// from the newest audit rows.
type PainelStore struct{ reads *gorm.DB }

// NewPainelStore returns a store on db. It reads from the read replicas
// when there are any: the home page may lag the primary by a moment.
func NewPainelStore(db *Database) *PainelStore { return &PainelStore{reads: db.Reads} }

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
// more: a chart of a thousand bars says nothing.
func (s *PainelStore) TurmaCounts(ctx context.Context, limit int) (TurmaCounts, error) {
	var out TurmaCounts
	db := s.reads.WithContext(ctx).Model(&Turma{})
	row := db.Session(&gorm.Session{}).Select("COUNT(*), COALESCE(SUM(alunos), 0)").Row()
	if err := row.Scan(&out.Total, &out.Alunos); err != nil {
		return out, fmt.Errorf("count turmas: %w", dbError(err))
	}
	order := "codigo_key, id"
	if out.Total > int64(limit) {
		order = "alunos DESC, codigo_key, id"
	}
	out.Turmas = []TurmaCount{}
	if err := db.Select("id, codigo, alunos").Order(order).Limit(limit).Scan(&out.Turmas).Error; err != nil {
		return out, fmt.Errorf("students per turma: %w", dbError(err))
	}
	return out, nil
}

// WeekActivity is how many students were added and how many changes were
// made to students in one week, as the audit trail records them (imports
// and bulk actions included, students deleted since included).
type WeekActivity struct {
	Start          time.Time
	Added, Changed int64
}

// activityActions are the audit actions WeeklyActivity counts, and where.
var activityActions = map[string]func(*WeekActivity) *int64{
	AuditStudent + ".create": func(w *WeekActivity) *int64 { return &w.Added },
	AuditStudent + ".update": func(w *WeekActivity) *int64 { return &w.Changed },
}

// WeeklyActivity counts the students added and changed in each week
// [bounds[i], bounds[i+1]). One statement reads the range of the (action,
// at) index that the weeks cover, counting inside the index.
func (s *PainelStore) WeeklyActivity(ctx context.Context, bounds []time.Time) ([]WeekActivity, error) {
	if len(bounds) < 2 {
		return nil, nil
	}
	weeks := make([]WeekActivity, len(bounds)-1)
	cols := make([]string, len(weeks))
	var args []any
	for i := range weeks {
		weeks[i].Start = bounds[i]
		cols[i] = fmt.Sprintf("COUNT(CASE WHEN at >= ? AND at < ? THEN 1 END) AS w%d", i)
		args = append(args, bounds[i].UTC(), bounds[i+1].UTC())
	}
	actions := make([]string, 0, len(activityActions))
	for a := range activityActions {
		actions = append(actions, a)
	}
	args = append(args, actions, bounds[0].UTC(), bounds[len(weeks)].UTC())
	rows, err := s.reads.WithContext(ctx).Raw("SELECT action, "+strings.Join(cols, ", ")+
		" FROM audit_events WHERE action IN ? AND at >= ? AND at < ? GROUP BY action", args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("weekly activity: %w", dbError(err))
	}
	defer rows.Close()
	counts := make([]int64, len(weeks))
	dest := []any{new(string)}
	for i := range counts {
		dest = append(dest, &counts[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("weekly activity: %w", dbError(err))
		}
		field := activityActions[*dest[0].(*string)]
		for i := range weeks {
			*field(&weeks[i]) = counts[i]
		}
	}
	return weeks, dbError(rows.Err())
}

// changeTypes are the audit object types whose changes the home page lists.
var changeTypes = []string{AuditStudent, AuditTurma}

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
