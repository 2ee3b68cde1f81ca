package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
)

// resource is an entity's handlers, the same for every entity (students,
// turmas): the screens and the JSON API on the same URLs, told apart by
// wantsHTML. The JSON handlers but the list come from recordAPI.
type resource interface {
	listPage(c echo.Context) error                  // GET    /base, HTML
	listJSON(c echo.Context) error                  // GET    /base, JSON
	createForm(c echo.Context) error                // POST   /base, the new form
	createJSON(c echo.Context) error                // POST   /base, JSON
	New(c echo.Context) error                       // GET    /base/new
	showPage(c echo.Context) error                  // GET    /base/:id, HTML
	showJSON(c echo.Context) error                  // GET    /base/:id, JSON
	UpdateForm(c echo.Context) error                // POST   /base/:id, the edit form
	updateJSON(c echo.Context, complete bool) error // PUT (complete) and PATCH /base/:id
	deleteJSON(c echo.Context) error                // DELETE /base/:id
	Edit(c echo.Context) error                      // GET    /base/:id/edit
	ConfirmDelete(c echo.Context) error             // GET    /base/:id/delete
	DeleteForm(c echo.Context) error                // POST   /base/:id/delete
}

// resourcePerms are the permissions of an entity's routes.
type resourcePerms struct{ list, show, add, edit, delete string }

// resourceRoutes registers every route of an entity under base.
func resourceRoutes(protect protectFunc, base string, r resource, p resourcePerms) {
	protect(http.MethodGet, base, byAccept(r.listPage, r.listJSON), p.list)
	protect(http.MethodPost, base, byAccept(r.createForm, r.createJSON), p.add)
	protect(http.MethodGet, base+"/new", r.New, p.add)
	protect(http.MethodGet, base+"/:id", byAccept(r.showPage, r.showJSON), p.show)
	protect(http.MethodPost, base+"/:id", r.UpdateForm, p.edit)
	protect(http.MethodPut, base+"/:id", func(c echo.Context) error { return r.updateJSON(c, true) }, p.edit)
	protect(http.MethodPatch, base+"/:id", func(c echo.Context) error { return r.updateJSON(c, false) }, p.edit)
	protect(http.MethodDelete, base+"/:id", r.deleteJSON, p.delete)
	protect(http.MethodGet, base+"/:id/edit", r.Edit, p.edit)
	protect(http.MethodGet, base+"/:id/delete", r.ConfirmDelete, p.delete)
	protect(http.MethodPost, base+"/:id/delete", r.DeleteForm, p.delete)
}

// byAccept serves people (see wantsHTML) with html and programs with json.
func byAccept(html, json echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if wantsHTML(c) {
			return html(c)
		}
		return json(c)
	}
}

// recordID reads the :id parameter; anything but a positive integer is a
// record of entity that does not exist.
func recordID(c echo.Context, entity models.Entity) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, &models.RecordError{Entity: entity, Err: models.ErrNotFound}
	}
	return id, nil
}
