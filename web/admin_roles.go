package web

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

// roleAdminStore is what the role screens need from the database.
type roleAdminStore interface {
	List(ctx context.Context) ([]models.RoleWithUsers, error)
	Get(ctx context.Context, id int64) (models.Role, error)
	Save(ctx context.Context, actor models.Actor, id int64, orig *models.RoleFields, next models.RoleFields) (models.Role, error)
	Delete(ctx context.Context, actor models.Actor, id int64) error
}

// AdminRoles serves /admin/roles: administrators list, create, copy, edit
// and delete roles made of permissions.
type AdminRoles struct {
	roles roleAdminStore
	pages pageMaker
}

const (
	msgRoleNotFound = "Papel não encontrado."
	msgBuiltInRole  = "Papéis embutidos (Administrador, Editor, Consulta) não podem ser alterados nem excluídos. " +
		"Faça uma cópia e altere a cópia."
)

// List serves GET /admin/roles.
func (h *AdminRoles) List(c echo.Context) error {
	roles, err := h.roles.List(c.Request().Context())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.RolesListPage(h.pages.page(c, "Papéis", "roles"), roles))
}

// New serves GET /admin/roles/new, the empty form.
func (h *AdminRoles) New(c echo.Context) error {
	return h.renderForm(c, http.StatusOK, views.RoleForm{})
}

// Copy serves GET /admin/roles/:id/copy: the new-role form holding the
// role's permissions, so a built-in role can be the start of a custom one.
func (h *AdminRoles) Copy(c echo.Context) error {
	r, err := h.load(c)
	if err != nil {
		return err
	}
	return h.renderForm(c, http.StatusOK, views.RoleForm{Name: "Cópia de " + r.Name, Perms: r.PermissionNames()})
}

// Edit serves GET /admin/roles/:id; built-in roles are shown read-only.
func (h *AdminRoles) Edit(c echo.Context) error {
	r, err := h.load(c)
	if err != nil {
		return err
	}
	return h.renderForm(c, http.StatusOK, views.RoleFormFrom(r))
}

func (h *AdminRoles) load(c echo.Context) (models.Role, error) {
	id, err := pathID(c, msgRoleNotFound)
	if err != nil {
		return models.Role{}, err
	}
	r, err := h.roles.Get(c.Request().Context(), id)
	return r, notFoundAs(err, msgRoleNotFound)
}

func (h *AdminRoles) renderForm(c echo.Context, status int, f views.RoleForm) error {
	title := "Novo papel"
	switch {
	case f.BuiltIn:
		title = "Papel " + views.RoleLabel(f.Name)
	case f.ID != 0:
		title = "Editar papel"
	}
	return render(c, status, views.RoleFormPage(h.pages.page(c, title, "roles"), f))
}

// readRoleForm reads the posted name and permissions (each counted once),
// and the values an edit form was opened with (orig_name,
// orig_permissions; keep_name=current takes the original name as typed,
// which leaves the stored one as it is).
func readRoleForm(c echo.Context) (views.RoleForm, error) {
	if err := parseForm(c); err != nil {
		return views.RoleForm{}, err
	}
	form := c.Request().PostForm
	f := views.RoleForm{Name: form.Get("name"), Perms: slices.Compact(slices.Sorted(slices.Values(form["permissions"])))}
	if form.Has("orig_name") {
		f.Orig = &models.RoleFields{Name: form.Get("orig_name"), Perms: form["orig_permissions"]}
		if form.Get("keep_name") == "current" {
			f.Name = f.Orig.Name
		}
	}
	return f, nil
}

// Create serves POST /admin/roles.
func (h *AdminRoles) Create(c echo.Context) error {
	f, err := readRoleForm(c)
	if err != nil {
		return err
	}
	return h.save(c, f, "Papel criado.")
}

// Update serves POST /admin/roles/:id; built-in roles are refused.
func (h *AdminRoles) Update(c echo.Context) error {
	id, err := pathID(c, msgRoleNotFound)
	if err != nil {
		return err
	}
	f, err := readRoleForm(c)
	if err != nil {
		return err
	}
	f.ID = id
	return h.save(c, f, "Alterações do papel salvas.")
}

// save stores the role of form f, re-rendering the form with what the
// person can fix. Permission changes apply to every holder's next request.
// A save after someone else's is merged with it; a name both changed
// brings the form back (409) with both values.
func (h *AdminRoles) save(c echo.Context, f views.RoleForm, done string) error {
	mine := models.RoleFields{Name: f.Name, Perms: f.Perms}
	_, err := h.roles.Save(c.Request().Context(), auth.Actor(c), f.ID, f.Orig, mine)
	var verr *models.ValidationError
	switch {
	case errors.Is(err, models.ErrConflict) && f.Orig != nil:
		cur, err := h.load(c)
		if err != nil {
			return err
		}
		merged, conflicts := models.MergeRole(*f.Orig, mine, cur)
		return h.renderForm(c, http.StatusConflict, views.StaleRoleForm(cur, merged, conflicts))
	case errors.As(err, &verr):
		f.Errors = verr.Fields
		return h.renderForm(c, http.StatusUnprocessableEntity, f)
	case errors.Is(err, models.ErrDuplicate):
		f.Errors = map[string]string{"name": "Já existe um papel com este nome."}
		return h.renderForm(c, http.StatusConflict, f)
	case errors.Is(err, models.ErrBuiltInRole):
		f.BuiltIn, f.Message = true, msgBuiltInRole
		return h.renderForm(c, http.StatusConflict, f)
	case err != nil:
		return notFoundAs(err, msgRoleNotFound)
	}
	return redirectWithFlash(c, "/admin/roles", "success", done)
}

// ConfirmDelete serves GET /admin/roles/:id/delete, the confirmation step.
func (h *AdminRoles) ConfirmDelete(c echo.Context) error {
	r, err := h.loadWithUsers(c)
	if err != nil {
		return err
	}
	d := views.RoleDelete{Role: r}
	if r.BuiltIn {
		d.Message = msgBuiltInRole
	}
	return render(c, http.StatusOK, views.RoleDeletePage(h.pages.page(c, "Excluir papel", "roles"), d))
}

// loadWithUsers returns the :id role with the number of its users.
func (h *AdminRoles) loadWithUsers(c echo.Context) (models.RoleWithUsers, error) {
	id, err := pathID(c, msgRoleNotFound)
	if err != nil {
		return models.RoleWithUsers{}, err
	}
	roles, err := h.roles.List(c.Request().Context())
	if err != nil {
		return models.RoleWithUsers{}, err
	}
	i := slices.IndexFunc(roles, func(r models.RoleWithUsers) bool { return r.ID == id })
	if i < 0 {
		return models.RoleWithUsers{}, echo.NewHTTPError(http.StatusNotFound, msgRoleNotFound)
	}
	return roles[i], nil
}

// Delete serves POST /admin/roles/:id/delete: only custom roles no user
// holds.
func (h *AdminRoles) Delete(c echo.Context) error {
	r, err := h.loadWithUsers(c)
	var httpErr *echo.HTTPError
	if errors.As(err, &httpErr) && httpErr.Code == http.StatusNotFound {
		return redirectWithFlash(c, "/admin/roles", "error", "Este papel já tinha sido excluído.")
	}
	if err != nil {
		return err
	}
	err = h.roles.Delete(c.Request().Context(), auth.Actor(c), r.ID)
	d := views.RoleDelete{Role: r}
	switch {
	case errors.Is(err, models.ErrBuiltInRole):
		d.Message = msgBuiltInRole
	case errors.Is(err, models.ErrRoleInUse):
		d.Message = "O papel " + r.Name + " ainda está atribuído a usuários. Retire-o deles na tela de usuários antes de excluir."
	case errors.Is(err, models.ErrNotFound):
		return redirectWithFlash(c, "/admin/roles", "error", "Este papel já tinha sido excluído.")
	case err != nil:
		return err
	default:
		return redirectWithFlash(c, "/admin/roles", "success", "Papel "+r.Name+" excluído.")
	}
	return render(c, http.StatusConflict, views.RoleDeletePage(h.pages.page(c, "Excluir papel", "roles"), d))
}
