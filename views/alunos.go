package views

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"schooladmin/models"
)

// PerPageChoices are the page sizes offered on the list screen.
var PerPageChoices = []int{10, 25, 50, 100}

// AlunosList is the view model of the students list, on its own page or
// on a turma's page (Base set, the turma fixed).
type AlunosList struct {
	Alunos   []models.Aluno
	Total    int64
	Query    models.ListQuery
	Turmas   []string
	LastPage int
	// Base is the list's address: "/alunos", or a turma's page.
	Base string
	// PrintedAt is when the page was made, for the printed header.
	PrintedAt time.Time
}

// printText is every phrase of the printed list's header, in one place
// for the message catalog.
var printText = struct{ List, Turma, Search, Order, Rows, Printed string }{
	List: "Alunos", Turma: "turma %s", Search: "busca “%s”", Order: "ordem: %s",
	Rows: "alunos %s de %s", Printed: "impresso em %s",
}

// PrintHeader names what a printed list holds, as in "Alunos · turma 5B ·
// busca “silva” · ordem: Nome (A–Z) · alunos 1–50 de 120 · impresso em
// 29/11/2026 14:03". The page's own title already names a turma's page.
func (l AlunosList) PrintHeader() string {
	var parts []string
	if !l.InTurma() {
		parts = append(parts, printText.List)
		if l.Query.Filter("turma") != "" {
			parts = append(parts, fmt.Sprintf(printText.Turma, l.Query.Filter("turma")))
		}
	}
	if l.Query.Q != "" {
		parts = append(parts, fmt.Sprintf(printText.Search, l.Query.Q))
	}
	for _, c := range l.SortOptions() {
		if c.Value == l.Query.Sort && c.Value != "id" {
			parts = append(parts, fmt.Sprintf(printText.Order, c.Label))
		}
	}
	if l.LastPage > 1 {
		pager := l.Pager()
		first := (pager.Page-1)*pager.PerPage + 1
		shown := strconv.Itoa(first) + "–" + strconv.Itoa(first+pager.Rows-1)
		parts = append(parts, fmt.Sprintf(printText.Rows, shown, FormatCount(l.Total)))
	}
	parts = append(parts, fmt.Sprintf(printText.Printed, FormatTime(l.PrintedAt)))
	return strings.Join(parts, " · ")
}

// InTurma reports whether the list is a turma's, whose filter is fixed.
func (l AlunosList) InTurma() bool { return l.Base != "" && l.Base != "/alunos" }

// Path is the list's address without a query.
func (l AlunosList) Path() string {
	if l.Base == "" {
		return "/alunos"
	}
	return l.Base
}

// SortChoice is an entry of the sort selector (phones have no headers to click).
type SortChoice struct{ Value, Label string }

// SortChoices are the orders offered in the sort selector.
var SortChoices = []SortChoice{
	{"id", "Ordem de cadastro"}, {"nome", "Nome (A–Z)"}, {"-nome", "Nome (Z–A)"},
	{"turma", "Turma"}, {"ra", "RA"}, {"-updated_at", "Alterados recentemente"},
}

// SortOptions are SortChoices plus the current order when a column header
// chose one the selector lacks, so searching keeps it.
func (l AlunosList) SortOptions() []SortChoice {
	for _, c := range SortChoices {
		if c.Value == l.Query.Sort {
			return SortChoices
		}
	}
	label := "Ordem atual: " + l.Query.Sort
	return append(slices.Clone(SortChoices), SortChoice{l.Query.Sort, label})
}

// Column is a sortable column of the list.
type Column struct {
	Key, Label string
}

// Columns are the list's columns, in order.
var Columns = []Column{{"ra", "RA"}, {"nome", "Nome"}, {"turma", "Turma"}, {"updated_at", "Alterado em"}}

// Filtered reports whether a search or a filter the person chose is active.
func (l AlunosList) Filtered() bool {
	return l.Query.Q != "" || l.Query.Filter("turma") != "" && !l.InTurma()
}

// URL is the list's address with the current query changed by edit.
func (l AlunosList) URL(edit func(v url.Values)) string {
	v := url.Values{}
	set := func(k, val, def string) {
		if val != def {
			v.Set(k, val)
		}
	}
	set("q", l.Query.Q, "")
	if !l.InTurma() {
		set("turma", l.Query.Filter("turma"), "")
	}
	set("sort", l.Query.Sort, "id")
	set("per_page", strconv.Itoa(l.Query.PerPage), strconv.Itoa(models.DefaultPerPage))
	set("page", strconv.Itoa(l.Query.Page), "1")
	if edit != nil {
		edit(v)
	}
	if len(v) == 0 {
		return l.Path()
	}
	return l.Path() + "?" + v.Encode()
}

// ExportURL is the export of the whole list as filtered and sorted, as
// format ("csv" or "xlsx"); the CSV separates fields with ";", which Excel
// in Portuguese opens directly.
func (l AlunosList) ExportURL(format string) string {
	v := url.Values{"format": {format}}
	if format == "csv" {
		v.Set("delimiter", "semicolon")
	}
	for k, val := range map[string]string{"q": l.Query.Q, "turma": l.Query.Filter("turma")} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if l.Query.Sort != "id" && l.Query.Sort != "" {
		v.Set("sort", l.Query.Sort)
	}
	return "/alunos/export?" + v.Encode()
}

// canBulk reports whether the list offers its rows for bulk actions: to
// those who may move or delete students.
func canBulk(p PageData) bool {
	return p.Can(models.PermEditAlunos) || p.Can(models.PermDeleteAlunos)
}

// Pager is the list's pager, with the page sizes on offer.
func (l AlunosList) Pager() Pager {
	// the page-size form keeps the search, filter and order, and starts
	// on the first page
	kept, _ := url.Parse(l.URL(func(v url.Values) { v.Del("page"); v.Del("per_page") }))
	hidden := kept.Query()
	return Pager{Page: l.Query.Page, PerPage: l.Query.PerPage, LastPage: l.LastPage, Rows: len(l.Alunos), Total: l.Total,
		URL: l.URL, PerPageChoices: PerPageChoices, Hidden: hidden}
}

// SortURL sorts by col, ascending first and descending on a second click,
// back on the first page.
func (l AlunosList) SortURL(col string) string {
	sort := nextSort(l.Query.Sort, col)
	return l.URL(func(v url.Values) {
		v.Del("page")
		if sort == "id" {
			v.Del("sort")
		} else {
			v.Set("sort", sort)
		}
	})
}

// AriaSort is the aria-sort value of col's header.
func (l AlunosList) AriaSort(col string) string { return ariaSort(l.Query.Sort, col) }

// AlunoURL is the address of a student's page.
func AlunoURL(a models.Aluno, suffix string) string {
	return "/alunos/" + strconv.FormatInt(a.ID, 10) + suffix
}

// AlunoForm is the view model of the new and edit forms.
type AlunoForm struct {
	ID     int64 // 0 for a new student
	Nome   string
	Turma  string
	RA     string
	Errors map[string]string
	EditState
}

// FormFromAluno fills a form with a stored student.
func FormFromAluno(a models.Aluno) AlunoForm {
	return AlunoForm{ID: a.ID, Nome: a.Nome, Turma: a.Turma, RA: a.RA,
		EditState: EditState{Version: a.Version, Orig: a.Values()}}
}

// StaleAlunoForm is the edit form after a stale save that could not be
// merged: the merged values (the person's own where both changed a
// field), the stored student as the new starting point, and the
// conflicting fields marked. Saving it as it stands applies this person's
// choice.
func StaleAlunoForm(cur models.Aluno, merged map[string]string, conflicts []string) AlunoForm {
	return AlunoForm{ID: cur.ID, Nome: merged["nome"], Turma: merged["turma"], RA: merged["ra"],
		EditState: staleState(cur.Version, cur.Values(), conflicts)}
}

// Action is where the form posts: the resource it creates or changes.
func (f AlunoForm) Action() string {
	if f.ID == 0 {
		return "/alunos"
	}
	return "/alunos/" + strconv.FormatInt(f.ID, 10)
}

// ShowDate formats the student's creation or last change for people.
func ShowDate(a models.Aluno, updated bool) string {
	t := a.CreatedAt
	if updated {
		t = a.UpdatedAt
	}
	return FormatTime(t)
}
