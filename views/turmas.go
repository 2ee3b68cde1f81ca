package views

import (
	"net/url"
	"strconv"

	"schooladmin/models"
)

// TurmasList is the view model of the turmas list.
type TurmasList struct {
	Turmas   []models.Turma
	Total    int64
	Query    models.ListQuery
	LastPage int
}

// TurmaColumns are the turmas list's sortable columns, in order.
var TurmaColumns = []Column{{"codigo", "Turma"}, {"ano_letivo", "Ano letivo"}, {"turno", "Turno"}, {"alunos", "Alunos"}}

// URL is the list's address with the current query changed by edit.
func (l TurmasList) URL(edit func(v url.Values)) string {
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
		return "/turmas"
	}
	return "/turmas?" + v.Encode()
}

// Pager is the list's pager.
func (l TurmasList) Pager() Pager {
	return Pager{Page: l.Query.Page, PerPage: l.Query.PerPage, LastPage: l.LastPage, Rows: len(l.Turmas), Total: l.Total, URL: l.URL}
}

// SortURL sorts by col, ascending first and descending on a second click.
func (l TurmasList) SortURL(col string) string {
	return l.URL(func(v url.Values) {
		v.Del("page")
		v.Set("sort", nextSort(l.Query.Sort, col))
	})
}

// AriaSort is the aria-sort value of col's header.
func (l TurmasList) AriaSort(col string) string { return ariaSort(l.Query.Sort, col) }

// nextSort is the order a click on col's header asks for: ascending, then
// descending when it already was ascending.
func nextSort(current, col string) string {
	if current == col {
		return "-" + col
	}
	return col
}

// ariaSort is the aria-sort value of col's header under the current order.
func ariaSort(current, col string) string {
	switch current {
	case col:
		return "ascending"
	case "-" + col:
		return "descending"
	}
	return "none"
}

// TurmaURL is the address of a turma's page.
func TurmaURL(t models.Turma, suffix string) string {
	return "/turmas/" + strconv.FormatInt(t.ID, 10) + suffix
}

// TurnoLabel is how a shift is shown; "—" for none.
func TurnoLabel(turno string) string {
	if turno == "" {
		return "—"
	}
	return turno
}

// TurmaForm is the view model of the new and edit forms.
type TurmaForm struct {
	ID        int64 // 0 for a new turma
	Codigo    string
	AnoLetivo string
	Turno     string
	Errors    map[string]string
	EditState
}

// FormFromTurma fills a form with a stored turma.
func FormFromTurma(t models.Turma) TurmaForm {
	v := t.Values()
	return TurmaForm{ID: t.ID, Codigo: v["codigo"], AnoLetivo: v["ano_letivo"], Turno: v["turno"],
		EditState: EditState{Version: t.Version, Orig: v}}
}

// StaleTurmaForm is the edit form after a stale save that could not be
// merged (see StaleAlunoForm).
func StaleTurmaForm(cur models.Turma, merged map[string]string, conflicts []string) TurmaForm {
	return TurmaForm{ID: cur.ID, Codigo: merged["codigo"], AnoLetivo: merged["ano_letivo"], Turno: merged["turno"],
		EditState: staleState(cur.Version, cur.Values(), conflicts)}
}

// Action is where the form posts.
func (f TurmaForm) Action() string {
	if f.ID == 0 {
		return "/turmas"
	}
	return "/turmas/" + strconv.FormatInt(f.ID, 10)
}

// TurnoChoices are the shifts the form offers, the empty one first.
func TurnoChoices() []SelectOption {
	opts := []SelectOption{{Value: "", Label: "—"}}
	for _, t := range models.Turnos {
		opts = append(opts, SelectOption{Value: t, Label: t})
	}
	return opts
}
