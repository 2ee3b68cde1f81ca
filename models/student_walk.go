package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ExportPageSize is how many students an export reads at a time: large
// enough that the round trips do not matter, small enough that memory
// stays flat however many students there are.
const ExportPageSize = 1000

// Walk calls fn with every student q matches, in q's order, in pages of
// up to size students (q's page, page size and cursor are ignored). It
// reads one page at a time through a keyset cursor, so memory does not
// grow with the list and a deep page costs what the first does; while
// fn handles a page, the next one is already being read. fn may keep
// nothing of a page, whose slice is reused. An error from fn stops the
// walk and is returned.
//
// The pages are separate queries, not one snapshot: a student changed
// during the walk may be seen as it was or as it is, and one whose sort
// value changed may be missed or seen twice (never when sorted by id).
func (s *StudentStore) Walk(ctx context.Context, q StudentQuery, size int, fn func([]Aluno) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	q.words, q.cursor = q.searchWords(), nil
	raID, err := s.idByRA(ctx, q.Q)
	if err != nil {
		return err
	}
	probe, err := s.probeFor(ctx, q, raID)
	if err != nil {
		return err
	}
	read := func(q StudentQuery, into []Aluno) ([]Aluno, error) {
		query := q.filter(s.reads.WithContext(ctx).Model(&Aluno{}), raID, probe).Order(q.order()).Limit(size)
		if q.cursor != nil {
			query = q.after(query)
		}
		page, err := scanAlunos(query, into[:0], q.keyColumn())
		if err != nil {
			return nil, fmt.Errorf("walk students: %w", dbError(err))
		}
		return page, nil
	}
	page, err := read(q, make([]Aluno, 0, size))
	spare := make([]Aluno, 0, size)
	for err == nil && len(page) > 0 {
		if len(page) < size {
			return fn(page) // the last page
		}
		next := q.cursorAfter(page[len(page)-1])
		q.cursor = &next
		ahead := make(chan error, 1)
		go func(q StudentQuery, into []Aluno) {
			var err error
			spare, err = read(q, into)
			ahead <- err
		}(q, spare)
		if err = fn(page); err != nil {
			cancel() // the read ahead is not needed; it writes into spare until it ends
			<-ahead
			return err
		}
		err = <-ahead
		page, spare = spare, page
	}
	return err
}

// probeFor picks how a name search matches words, as a list page does
// (see probeWords): a common word walks the students in order and probes
// each one's words, so every page stops at its end instead of gathering
// every match again.
func (s *StudentStore) probeFor(ctx context.Context, q StudentQuery, raID int64) (bool, error) {
	if len(q.words) == 0 {
		return false, nil
	}
	model := func() *gorm.DB { return s.reads.WithContext(ctx).Model(&Aluno{}) }
	matches, err := s.count(q.countKey(), q.filter(model(), raID, false))
	if err != nil {
		return false, err
	}
	all, err := s.count("", model())
	if err != nil {
		return false, err
	}
	return probeWords(matches, all), nil
}
