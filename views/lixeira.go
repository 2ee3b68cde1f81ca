package views

import (
	"net/url"
	"strconv"
	"time"

	"schooladmin/models"
)

// LixeiraList is the view model of the trash (Lixeira): the deleted
// students, who deleted each and when, and when each will be purged.
type LixeiraList struct {
	Alunos   []models.AlunoExcluido
	Total    int64
	Query    models.ListQuery
	LastPage int
	// Retention is how long a deleted student stays (TRASH_RETENTION).
	Retention time.Duration
}

// LixeiraColumns are the trash list's sortable columns, in order.
var LixeiraColumns = []Column{{"ra", "RA"}, {"nome", "Nome"}, {"turma", "Turma"}, {"deleted_at", "Excluído em"}}

// URL is the list's address with the current query changed by edit.
func (l LixeiraList) URL(edit func(v url.Values)) string {
	v := url.Values{}
	if l.Query.Q != "" {
		v.Set("q", l.Query.Q)
	}
	if l.Query.Sort != l.Query.DefaultSort() {
		v.Set("sort", l.Query.Sort)
	}
	if l.Query.PerPage != models.DefaultPerPage {
		v.Set("per_page", strconv.Itoa(l.Query.PerPage))
	}
	if l.Query.Page != 1 {
		v.Set("page", strconv.Itoa(l.Query.Page))
	}
	if edit != nil {
		edit(v)
	}
	if len(v) == 0 {
		return "/alunos/trash"
	}
	return "/alunos/trash?" + v.Encode()
}

// Pager is the list's pager.
func (l LixeiraList) Pager() Pager {
	return Pager{Page: l.Query.Page, PerPage: l.Query.PerPage, LastPage: l.LastPage, Rows: len(l.Alunos), Total: l.Total, URL: l.URL}
}

// SortURL sorts by col, ascending first and descending on a second click.
func (l LixeiraList) SortURL(col string) string {
	return l.URL(func(v url.Values) {
		v.Del("page")
		v.Set("sort", nextSort(l.Query.Sort, col))
	})
}

// AriaSort is the aria-sort value of col's header.
func (l LixeiraList) AriaSort(col string) string { return ariaSort(l.Query.Sort, col) }

// PurgeAt is when a deleted student will be removed for good.
func (l LixeiraList) PurgeAt(a models.AlunoExcluido) string {
	return FormatTime(a.DeletedAt.Add(l.Retention))
}

// RetentionText says how long deleted students are kept, in days when
// it is a whole number of them.
func (l LixeiraList) RetentionText() string {
	const day = 24 * time.Hour
	switch {
	case l.Retention == day:
		return "1 dia"
	case l.Retention%day == 0:
		return strconv.Itoa(int(l.Retention/day)) + " dias"
	}
	return l.Retention.String()
}

// RestoreURL is where a deleted student's restore form posts.
func RestoreURL(a models.AlunoExcluido) string {
	return "/alunos/" + strconv.FormatInt(a.ID, 10) + "/restore"
}
