package models

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// ListSpec describes what one entity's list accepts: the sort keys a
// client may send and the column each orders by, and the exact-match
// filters. Nothing else reaches ORDER BY or WHERE.
type ListSpec struct {
	// Sorts maps a sort key, as the client sends it, to its column.
	Sorts map[string]string
	// DefaultSort is the order without a sort parameter.
	DefaultSort string
	// Filters maps an exact-match parameter to its column.
	Filters map[string]string
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
}

// ParseListQuery reads a list query for spec from URL parameters, with
// defaults for what is missing. Out-of-range or unknown values give a
// *ValidationError naming the parameter.
func ParseListQuery(spec *ListSpec, v url.Values) (ListQuery, error) {
	q := ListQuery{spec: spec, Q: strings.TrimSpace(v.Get("q")), Sort: v.Get("sort"), Page: 1, PerPage: DefaultPerPage}
	for name := range spec.Filters {
		if f := strings.TrimSpace(v.Get(name)); f != "" {
			if q.Filters == nil {
				q.Filters = map[string]string{}
			}
			q.Filters[name] = f
		}
	}
	errs := fieldErrors{}
	if q.Sort == "" {
		q.Sort = spec.DefaultSort
	} else if _, ok := spec.Sorts[strings.TrimPrefix(q.Sort, "-")]; !ok {
		errs.add("sort", "Ordenação desconhecida: use "+strings.Join(slices.Sorted(maps.Keys(spec.Sorts)), ", ")+
			", com - na frente para ordem decrescente.")
	}
	q.Page = intParam(errs, v, "page", 1, 1, 1<<30, "A página deve ser um número a partir de 1.")
	q.PerPage = intParam(errs, v, "per_page", DefaultPerPage, 1, MaxPerPage, "Itens por página deve ser um número de 1 a 500.")
	return q, errs.err()
}

// NewListQuery is a query for spec built in code rather than from a URL:
// the first page of perPage rows in the default order, with filters.
func NewListQuery(spec *ListSpec, perPage int, filters map[string]string) ListQuery {
	return ListQuery{spec: spec, Sort: spec.DefaultSort, Page: 1, PerPage: perPage, Filters: filters}
}

// Filter is the value of an exact-match filter, "" when not given.
func (q ListQuery) Filter(name string) string { return q.Filters[name] }

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

// filterExact restricts db to the rows the exact-match filters ask for.
func (q ListQuery) filterExact(db *gorm.DB) *gorm.DB {
	for name, value := range q.Filters {
		db = db.Where(q.spec.Filters[name]+" = ?", value)
	}
	return db
}

// order is the ORDER BY clause, with the id as tie-breaker so pages never
// overlap or skip rows.
func (q ListQuery) order() string {
	col, ok := q.spec.Sorts[q.SortKey()]
	if !ok {
		col = "id"
	}
	dir := " ASC"
	if q.Descending() {
		dir = " DESC"
	}
	if col == "id" {
		return "id" + dir
	}
	return col + dir + ", id" + dir
}
