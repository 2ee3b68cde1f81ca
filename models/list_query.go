package models

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Limits of every list.
const (
	DefaultPerPage = 50
	MaxPerPage     = 500
	// MaxSearchWords bounds the words of q: each is one more index lookup.
	MaxSearchWords = 10
)

// ListSpec describes what one entity's list accepts: the sort keys a
// client may send and the column each orders by, and the exact-match
// filters. Nothing else reaches ORDER BY or WHERE.
type ListSpec struct {
	// Sorts maps a sort key, as the client sends it, to its column.
	Sorts map[string]string
	// DefaultSort is the order without a sort parameter.
	DefaultSort string
	// Filters maps an exact-match parameter to what it compares.
	Filters map[string]Filter
	// Unique are sort keys whose column is unique: they need no id to
	// break ties (which would keep MariaDB from reading them in order
	// from their index).
	Unique []string
	// Words makes q a list of search words (see searchWords).
	Words bool
	// Cursor lets the list continue after a page's last row (keyset), as
	// well as by page number.
	Cursor bool
}

// Filter is an exact-match filter: the column it compares and, for text
// people type (a turma's code), whether it compares sort keys, so that
// case and accents are ignored on every database.
type Filter struct {
	Column string
	ByKey  bool
}

// ListQuery is one page of a filtered, sorted list of any entity: parsed
// once from the URL, then every plan of every store renders from it, and
// the handlers build the Link header and the pager from it.
type ListQuery struct {
	spec    *ListSpec
	Q       string            // the search text; each entity says what it matches
	Filters map[string]string // exact-match filters that were given, by parameter
	Sort    string            // a key of the spec's Sorts, "-" in front for descending
	Page    int               // from 1
	PerPage int               // 1 to MaxPerPage
	// cursor, when set, continues after the previous page's last row
	// instead of skipping Offset rows.
	cursor *cursor
	// words are Q's search words, split once when parsed.
	words []string
	// keys are the sort keys of the filters compared by key.
	keys map[string]string
}

// ParseListQuery reads a list query for spec from URL parameters, with
// defaults for what is missing. Out-of-range or unknown values give a
// *ValidationError naming the parameter.
func ParseListQuery(spec *ListSpec, v url.Values) (ListQuery, error) {
	q := NewListQuery(spec, DefaultPerPage, nil)
	q.Q = strings.TrimSpace(v.Get("q"))
	for name := range spec.Filters {
		if f := strings.TrimSpace(v.Get(name)); f != "" {
			q.setFilter(name, f)
		}
	}
	errs := fieldErrors{}
	if sort := v.Get("sort"); sort != "" {
		q.Sort = sort
		if _, ok := spec.Sorts[strings.TrimPrefix(sort, "-")]; !ok {
			errs.add("sort", "Ordenação desconhecida: use "+strings.Join(slices.Sorted(maps.Keys(spec.Sorts)), ", ")+
				", com - na frente para ordem decrescente.")
		}
	}
	if spec.Words {
		if q.words = searchWords(q.Q); len(q.words) > MaxSearchWords {
			errs.add("q", "A busca pode ter no máximo 10 palavras.")
		}
	}
	q.Page = intParam(errs, v, "page", 1, 1, 1<<30, "A página deve ser um número a partir de 1.")
	q.PerPage = intParam(errs, v, "per_page", DefaultPerPage, 1, MaxPerPage, "Itens por página deve ser um número de 1 a 500.")
	if raw := v.Get("cursor"); raw != "" && spec.Cursor && errs["sort"] == "" {
		if c, ok := parseCursor(raw, spec.Sorts[q.SortKey()]); ok {
			q.cursor = &c
		} else {
			errs.add("cursor", "Cursor inválido: siga o link rel=\"next\" sem alterá-lo.")
		}
	}
	return q, errs.err()
}

// NewListQuery is a query for spec built in code rather than from a URL:
// the first page of perPage rows in the default order, with filters.
func NewListQuery(spec *ListSpec, perPage int, filters map[string]string) ListQuery {
	q := ListQuery{spec: spec, Sort: spec.DefaultSort, Page: 1, PerPage: perPage}
	for name, value := range filters {
		q.setFilter(name, value)
	}
	return q
}

func (q *ListQuery) setFilter(name, value string) {
	if q.Filters == nil {
		q.Filters = map[string]string{}
	}
	q.Filters[name] = value
	if q.spec.Filters[name].ByKey {
		if q.keys == nil {
			q.keys = map[string]string{}
		}
		q.keys[name] = SortKey(value)
	}
}

func intParam(errs fieldErrors, v url.Values, name string, def, lo, hi int, msg string) int {
	raw := strings.TrimSpace(v.Get(name))
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		errs.add(name, msg)
		return def
	}
	return n
}

// Filter is the value of an exact-match filter, "" when not given.
func (q ListQuery) Filter(name string) string { return q.Filters[name] }

// filterValue is what filter name compares with its column: its sort key
// for a filter by key.
func (q ListQuery) filterValue(name string) string {
	if k, ok := q.keys[name]; ok {
		return k
	}
	return q.Filters[name]
}

// NamesFilter reports whether the query filters name by value, in
// whatever letter case it was asked for, so a filter can show its choice.
func (q ListQuery) NamesFilter(name, value string) bool {
	switch f, ok := q.Filters[name]; {
	case !ok:
		return false
	case f == value:
		return true
	}
	return q.spec.Filters[name].ByKey && SortKey(value) == q.keys[name]
}

// Descending reports whether the sort order is descending.
func (q ListQuery) Descending() bool { return strings.HasPrefix(q.Sort, "-") }

// SortKey is the sort without its direction, as in "nome".
func (q ListQuery) SortKey() string { return strings.TrimPrefix(q.Sort, "-") }

// DefaultSort is the order of the list without a sort parameter.
func (q ListQuery) DefaultSort() string { return q.spec.DefaultSort }

// Offset is the number of rows before the page.
func (q ListQuery) Offset() int { return (q.Page - 1) * q.PerPage }

// LastPage is the number of the last page for total rows (at least 1).
func (q ListQuery) LastPage(total int64) int {
	if total <= 0 {
		return 1
	}
	return int((total + int64(q.PerPage) - 1) / int64(q.PerPage))
}

// searchWords returns Q's search words (split here when the query was not
// parsed from a URL).
func (q ListQuery) searchWords() []string {
	if q.words == nil && q.Q != "" {
		return searchWords(q.Q)
	}
	return q.words
}

// sortColumn is the column the list is ordered by.
func (q ListQuery) sortColumn() string {
	if col, ok := q.spec.Sorts[q.SortKey()]; ok {
		return col
	}
	return "id"
}

// keyColumn is the sort key column the list is ordered by, or "".
func (q ListQuery) keyColumn() string {
	if col := q.sortColumn(); strings.HasSuffix(col, "_key") {
		return col
	}
	return ""
}

// filterExact restricts db to the rows the exact-match filters ask for.
func (q ListQuery) filterExact(db *gorm.DB) *gorm.DB {
	for name := range q.Filters {
		db = db.Where(q.spec.Filters[name].Column+" = ?", q.filterValue(name))
	}
	return db
}

// order is the ORDER BY clause, with the id as tie-breaker so pages never
// overlap or skip rows.
func (q ListQuery) order() string {
	col := q.sortColumn()
	dir := " ASC"
	if q.Descending() {
		dir = " DESC"
	}
	if col == "id" || slices.Contains(q.spec.Unique, q.SortKey()) {
		return col + dir
	}
	return col + dir + ", id" + dir
}
