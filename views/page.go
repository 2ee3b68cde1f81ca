// Package views holds the templ components of the HTML screens and their
// view models. It knows nothing of Echo or GORM: handlers in package web
// fill the view models and render these components.
package views

import (
	"slices"

	"github.com/a-h/templ"

	"schooladmin/models"
)

// PageData is what every page's layout needs, built once per request in
// package web.
type PageData struct {
	Title  string
	CSRF   string // the session's CSRF token, for the meta tag and forms
	Flash  *Flash
	Nav    string // the active menu entry: "alunos", ...
	Assets Assets
	User   string   // the logged-in username, "" for nobody
	Perms  []string // the user's permissions, for menus and buttons
}

// Can reports whether the user holds permission.
func (p PageData) Can(permission string) bool { return slices.Contains(p.Perms, permission) }

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

// menu is every entry with the permission that shows it.
var menu = []struct {
	item       NavItem
	permission string
}{
	{NavItem{Key: "painel", Label: "Painel", URL: "/"}, models.PermListAlunos},
	{NavItem{Key: "alunos", Label: "Alunos", URL: "/alunos"}, models.PermListAlunos},
	{NavItem{Key: "turmas", Label: "Turmas", URL: "/turmas"}, models.PermListTurmas},
	{NavItem{Key: "lixeira", Label: "Lixeira", URL: "/alunos/trash"}, models.PermRestoreAlunos},
	{NavItem{Key: "users", Label: "Usuários", URL: "/admin/users"}, models.PermManageUsers},
	{NavItem{Key: "roles", Label: "Papéis", URL: "/admin/roles"}, models.PermManageRoles},
	{NavItem{Key: "audit", Label: "Auditoria", URL: "/admin/audit"}, models.PermReadAudit},
}

// Menu lists the main menu entries the user may open.
func (p PageData) Menu() []NavItem {
	var items []NavItem
	for _, m := range menu {
		if p.Can(m.permission) {
			items = append(items, m.item)
		}
	}
	return items
}

// FullTitle is the document title.
func (p PageData) FullTitle() string {
	if p.Title == "" {
		return "schooladmin"
	}
	return p.Title + " · schooladmin"
}

// groupInvalid marks a fieldset whose group has an error, errMsg, as
// invalid and points it to the message (see groupError); no attributes
// without one.
func groupInvalid(name, errMsg string) templ.Attributes {
	if errMsg == "" {
		return nil
	}
	return templ.Attributes{"aria-invalid": "true", "aria-describedby": "e-" + name}
}
