package views

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Pager is where a page of any list stands, and how to reach the others:
// one component renders it under every list (students, turmas, audit,
// users).
type Pager struct {
	Page, PerPage, LastPage int
	Rows                    int   // rows on this page
	Total                   int64 // rows in all
	// URL is the list's address with its query changed by edit; the
	// pager sets page and per_page through it.
	URL func(edit func(v url.Values)) string
	// Prev and Next label the links ("Anterior"/"Próxima" unless a list
	// reads better otherwise, as the audit trail's "Mais recentes").
	Prev, Next string
	// PerPageChoices, when set, offers page sizes; Hidden are the other
	// parameters the size form keeps.
	PerPageChoices []int
	Hidden         url.Values
}

// PageURL is the address of page n of the same list.
func (p Pager) PageURL(n int) string {
	return p.URL(func(v url.Values) {
		if n == 1 {
			v.Del("page")
		} else {
			v.Set("page", strconv.Itoa(n))
		}
	})
}

// Range describes the rows shown, as in "11–20 de 57".
func (p Pager) Range() string {
	total := strconv.FormatInt(p.Total, 10)
	if p.Rows == 0 {
		return "0 de " + total
	}
	first := (p.Page-1)*p.PerPage + 1
	return strconv.Itoa(first) + "–" + strconv.Itoa(first+p.Rows-1) + " de " + total
}

// PrevLabel and NextLabel are the links' words.
func (p Pager) PrevLabel() string { return cmpOr(p.Prev, "Anterior") }

// NextLabel is the next link's word.
func (p Pager) NextLabel() string { return cmpOr(p.Next, "Próxima") }

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// hiddenField is a parameter a form carries along unseen.
type hiddenField struct{ Name, Value string }

// hiddenFields lists the kept parameters in a stable order.
func (p Pager) hiddenFields() []hiddenField {
	var out []hiddenField
	for _, k := range slices.Sorted(maps.Keys(p.Hidden)) {
		for _, v := range p.Hidden[k] {
			out = append(out, hiddenField{k, v})
		}
	}
	return out
}

// Action is where the page-size form goes: the list without a query (the
// form sends the kept parameters itself).
func (p Pager) Action() string {
	u := p.URL(func(v url.Values) { clear(v) })
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}
