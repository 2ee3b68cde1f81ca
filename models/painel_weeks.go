package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// WeekActivity is how many students were added and how many changes were
// made to students in one week, as the audit trail records them (imports
// and bulk actions included, students deleted since included).
type WeekActivity struct {
	Start          time.Time
	Added, Changed int64
}

// activityActions are the audit actions WeeklyActivity counts, and where.
var activityActions = map[string]func(*WeekActivity) *int64{
	AuditAluno + ".create": func(w *WeekActivity) *int64 { return &w.Added },
	AuditAluno + ".update": func(w *WeekActivity) *int64 { return &w.Changed },
}

// weekSettle is how long after a week ends its numbers may still change:
// an audit event is stamped when its change is made and committed with
// it, and no write transaction lasts this long.
const weekSettle = 10 * time.Minute

// keptWeeks keeps weeks' numbers by their bounds (Unix milliseconds).
// The audit trail is append-only and stamped with the time of each
// change, so a week that has ended never changes (only loading a copy of
// another database, schooladmin import, writes past events, into an
// empty database no running server has read). A week still going on is
// kept as the list totals are: until a student is written through this
// process, or for countTTL (another replica's writes).
type keptWeeks struct {
	mu    sync.Mutex
	weeks map[[2]int64]keptWeek
}

type keptWeek struct {
	WeekActivity
	ended bool
	at    time.Time // when it was counted
	gen   uint64    // the count cache's generation then
}

func weekKey(start, end time.Time) [2]int64 { return [2]int64{start.UnixMilli(), end.UnixMilli()} }

// WeeklyActivity counts the students added and changed in each week
// [bounds[i], bounds[i+1]). Weeks kept are not read again; the others,
// from the first not kept on, are counted in one statement that reads the
// range of the (action, at) index they cover, counting inside the index.
func (s *PainelStore) WeeklyActivity(ctx context.Context, bounds []time.Time) ([]WeekActivity, error) {
	if len(bounds) < 2 {
		return nil, nil
	}
	weeks := make([]WeekActivity, len(bounds)-1)
	first := s.fromKept(bounds, weeks)
	if first == len(weeks) {
		return weeks, nil
	}
	// One request counts while the others that need the same weeks wait
	// for it: in the week of a large import that is a long range.
	key := fmt.Sprintf("painel weeks %d-%d", bounds[first].UnixMilli(), bounds[len(weeks)].UnixMilli())
	counted, err, _ := s.counts.inflight.Do(key, func() (any, error) {
		gen := s.counts.generation() // before counting: a write meanwhile makes the numbers stale
		out := slices.Clone(weeks)
		if err := s.countWeeks(ctx, bounds[first:], out[first:]); err != nil {
			return nil, err
		}
		s.keep(bounds, out, first, gen)
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return slices.Clone(counted.([]WeekActivity)), nil
}

// fromKept fills weeks with the kept numbers and returns the index of the
// first week not kept (len(weeks) when all are).
func (s *PainelStore) fromKept(bounds []time.Time, weeks []WeekActivity) int {
	gen := s.counts.generation()
	s.kept.mu.Lock()
	defer s.kept.mu.Unlock()
	first := len(weeks)
	for i := range weeks {
		k, ok := s.kept.weeks[weekKey(bounds[i], bounds[i+1])]
		if ok && !k.ended && (k.gen != gen || time.Since(k.at) > countTTL) {
			ok = false
		}
		if !ok && first == len(weeks) {
			first = i
		}
		weeks[i] = k.WeekActivity
		weeks[i].Start = bounds[i]
	}
	return first
}

// keep keeps the weeks from first on, counted at generation gen, and
// forgets kept weeks older than all of these.
func (s *PainelStore) keep(bounds []time.Time, weeks []WeekActivity, first int, gen uint64) {
	now := time.Now()
	s.kept.mu.Lock()
	defer s.kept.mu.Unlock()
	for k := range s.kept.weeks {
		if k[0] < bounds[0].UnixMilli() {
			delete(s.kept.weeks, k)
		}
	}
	for i := first; i < len(weeks); i++ {
		w, ended := weeks[i], bounds[i+1].Before(now.Add(-weekSettle))
		s.kept.weeks[weekKey(bounds[i], bounds[i+1])] = keptWeek{WeekActivity: w, ended: ended, at: now, gen: gen}
	}
}

// countWeeks fills weeks with the numbers of the weeks between bounds.
func (s *PainelStore) countWeeks(ctx context.Context, bounds []time.Time, weeks []WeekActivity) error {
	cols := make([]string, len(weeks))
	var args []any
	for i := range weeks {
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
		return fmt.Errorf("weekly activity: %w", dbError(err))
	}
	defer rows.Close()
	return scanWeeks(rows, weeks)
}

// scanWeeks reads rows of (action, the count of each week) into weeks.
func scanWeeks(rows *sql.Rows, weeks []WeekActivity) error {
	counts := make([]int64, len(weeks))
	var action string
	dest := []any{&action}
	for i := range counts {
		dest = append(dest, &counts[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("weekly activity: %w", dbError(err))
		}
		field := activityActions[action]
		for i := range weeks {
			*field(&weeks[i]) = counts[i]
		}
	}
	return dbError(rows.Err())
}
