package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
)

// resource is an entity's handlers, the same for every entity (students,
// turmas): the JSON API and the screens on the same URLs, told apart by
// wantsHTML.
type resource interface {
	List(c echo.Context) error          // GET    /base
	Create(c echo.Context) error        // POST   /base (JSON or the new form)
	New(c echo.Context) error           // GET    /base/new
	Show(c echo.Context) error          // GET    /base/:id
	UpdateForm(c echo.Context) error    // POST   /base/:id (the edit form)
	Replace(c echo.Context) error       // PUT    /base/:id
	Patch(c echo.Context) error         // PATCH  /base/:id
	Delete(c echo.Context) error        // DELETE /base/:id
	Edit(c echo.Context) error          // GET    /base/:id/edit
	ConfirmDelete(c echo.Context) error // GET    /base/:id/delete
	DeleteForm(c echo.Context) error    // POST   /base/:id/delete
}

// resourcePerms are the permissions of an entity's routes.
type resourcePerms struct{ list, show, add, edit, delete string }

// resourceRoutes registers every route of an entity under base.
func resourceRoutes(protect protectFunc, base string, r resource, p resourcePerms) {
	protect(http.MethodGet, base, r.List, p.list)
	protect(http.MethodPost, base, r.Create, p.add)
	protect(http.MethodGet, base+"/new", r.New, p.add)
	protect(http.MethodGet, base+"/:id", r.Show, p.show)
	protect(http.MethodPost, base+"/:id", r.UpdateForm, p.edit)
	protect(http.MethodPut, base+"/:id", r.Replace, p.edit)
	protect(http.MethodPatch, base+"/:id", r.Patch, p.edit)
	protect(http.MethodDelete, base+"/:id", r.Delete, p.delete)
	protect(http.MethodGet, base+"/:id/edit", r.Edit, p.edit)
	protect(http.MethodGet, base+"/:id/delete", r.ConfirmDelete, p.delete)
	protect(http.MethodPost, base+"/:id/delete", r.DeleteForm, p.delete)
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
