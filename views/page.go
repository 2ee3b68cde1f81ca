// Package views holds the templ components of the HTML screens and their
// view models. It knows nothing of Echo or GORM: handlers in package web
// fill the view models and render these components.
package views

// PageData is what every page's layout needs, built once per request in
// package web.
type PageData struct {
	Title  string
	CSRF   string // the session's CSRF token, for the meta tag and forms
	Flash  *Flash
	Nav    string // the active menu entry: "alunos", ...
	Assets Assets
}

// Assets are the versioned URLs of the static files.
type Assets struct {
	CSS string
	JS  string
}

// Flash is a one-time message shown at the top of the next page.
type Flash struct {
	Kind    string // "success" or "error"
	Message string
}

// NavItem is an entry of the main menu.
type NavItem struct {
	Key, Label, URL string
}

// Menu lists the main menu.
func (p PageData) Menu() []NavItem {
	return []NavItem{{Key: "alunos", Label: "Alunos", URL: "/alunos"}}
}

// FullTitle is the document title.
func (p PageData) FullTitle() string {
	if p.Title == "" {
		return "schooladmin"
	}
	return p.Title + " · schooladmin"
}
