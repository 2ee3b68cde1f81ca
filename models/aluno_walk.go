package models

import (
	"context"
)

// ExportPageSize is how many students an export reads at a time: large
// enough that the round trips do not matter, small enough that memory
// stays flat however many students there are.
const ExportPageSize = 1000

// Walk calls fn with every student q matches, in q's order, in pages of
// up to size students (q's page, page size and cursor are ignored). It
// reads one page at a time through the list's own plans and its keyset
// cursor, so memory does not grow with the list and a deep page costs
// what the first does; while fn handles a page, the next one is already
// being read. fn may keep nothing of a page, whose slice is reused. An
// error from fn stops the walk and is returned.
//
// The pages are separate queries, not one snapshot: a student changed
// during the walk may be seen as it was or as it is, and one whose sort
// value changed may be missed or seen twice (never when sorted by id).
func (s *AlunoStore) Walk(ctx context.Context, q ListQuery, size int, fn func([]Aluno) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	q.words, q.cursor, q.Page, q.PerPage = q.searchWords(), nil, 1, size
	read := func(q ListQuery) ([]Aluno, error) {
		page, _, err := s.List(ctx, q)
		return page, err
	}
	page, err := read(q)
	for err == nil && len(page) > 0 {
		if len(page) < size {
			return fn(page) // the last page
		}
		last := page[len(page)-1]
		q.cursor = &cursor{Value: last.SortValue(q.SortKey()), ID: last.ID}
		if q.sortColumn() == "id" {
			q.cursor.Value = ""
		}
		type next struct {
			page []Aluno
			err  error
		}
		ahead := make(chan next, 1)
		go func(q ListQuery) {
			p, err := read(q)
			ahead <- next{p, err}
		}(q)
		if err = fn(page); err != nil {
			cancel() // the read ahead is not needed
			<-ahead
			return err
		}
		n := <-ahead
		page, err = n.page, n.err
	}
	return err
}
