package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

// userAdminStore is what the user screens need from the database.
type userAdminStore interface {
	List(ctx context.Context, q models.ListQuery) ([]models.User, int64, error)
	Get(ctx context.Context, id int64) (models.User, error)
	Create(ctx context.Context, actor models.Actor, nu models.NewUser) (models.User, error)
	Update(ctx context.Context, actor models.Actor, id int64, orig *models.UserFields, next models.UserFields) error
	Delete(ctx context.Context, actor models.Actor, id int64) error
}

// roleLister gives the roles offered as checkboxes.
type roleLister interface {
	List(ctx context.Context) ([]models.RoleWithUsers, error)
}

// AdminUsers serves /admin/users: administrators list, create, edit and
// delete users and reset their passwords.
type AdminUsers struct {
	users    userAdminStore
	roles    roleLister
	locks    accountLocks
	hasher   passwordHasher
	sessions sessionStarter
	pages    pageMaker
}

const (
	msgUserNotFound = "Usuário não encontrado."
	msgLastAdmin    = "Não foi possível: o sistema ficaria sem nenhum administrador ativo. " +
		"Dê o papel Admin a outro usuário ativo antes. Nada foi alterado."
)

// List serves GET /admin/users, with an optional search q.
func (h *AdminUsers) List(c echo.Context) error {
	q, err := models.ParseListQuery(models.UserList, c.QueryParams())
	if err != nil {
		return invalidAddress(c, h.pages, "users", err)
	}
	ctx := c.Request().Context()
	users, total, err := h.users.List(ctx, q)
	if err != nil {
		return err
	}
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = u.Username
	}
	locks, err := h.locks.LockedUntil(ctx, names)
	if err != nil {
		return err
	}
	l := views.UsersList{Users: users, Total: total, Query: q, LastPage: q.LastPage(total), LockedUntil: locks}
	return render(c, http.StatusOK, views.UsersListPage(h.pages.page(c, "Usuários", "users"), l))
}

// New serves GET /admin/users/new, the empty form.
func (h *AdminUsers) New(c echo.Context) error {
	return h.renderForm(c, http.StatusOK, views.UserForm{Active: true})
}

// Edit serves GET /admin/users/:id.
func (h *AdminUsers) Edit(c echo.Context) error {
	u, err := h.load(c)
	if err != nil {
		return err
	}
	return h.renderForm(c, http.StatusOK, views.UserFormFrom(u))
}

func (h *AdminUsers) load(c echo.Context) (models.User, error) {
	id, err := pathID(c, msgUserNotFound)
	if err != nil {
		return models.User{}, err
	}
	u, err := h.users.Get(c.Request().Context(), id)
	return u, notFoundAs(err, msgUserNotFound)
}

func (h *AdminUsers) renderForm(c echo.Context, status int, f views.UserForm) error {
	ctx := c.Request().Context()
	roles, err := h.roles.List(ctx)
	if err != nil {
		return err
	}
	if f.ID != 0 {
		locks, err := h.locks.LockedUntil(ctx, []string{f.Username})
		if err != nil {
			return err
		}
		if until, ok := locks[f.Username]; ok {
			f.LockedUntil = &until
		}
	}
	for _, r := range roles {
		f.AllRoles = append(f.AllRoles, r.Name)
	}
	title := "Novo usuário"
	if f.ID != 0 {
		title = "Editar usuário"
	}
	return render(c, status, views.UserFormPage(h.pages.page(c, title, "users"), f))
}

// Create serves POST /admin/users: the new user with an initial password.
func (h *AdminUsers) Create(c echo.Context) error {
	if err := parseForm(c); err != nil {
		return err
	}
	r := c.Request()
	f := views.UserForm{Username: models.CleanUsername(r.PostFormValue("username")),
		Email: strings.TrimSpace(r.PostFormValue("email")), Roles: r.PostForm["roles"], Active: true}
	errs := fieldMessages(models.ValidateUser(f.Username, f.Email))
	password := readNewPassword(c, f.Username, errs)
	if len(errs) > 0 {
		f.Errors = errs
		return h.renderForm(c, http.StatusUnprocessableEntity, f)
	}
	hash, err := hashPassword(r.Context(), h.hasher, password)
	if err != nil {
		return err
	}
	u, err := h.users.Create(r.Context(), auth.Actor(c),
		models.NewUser{Username: f.Username, Email: f.Email, PasswordHash: hash, Roles: f.Roles})
	var verr *models.ValidationError
	switch {
	case errors.Is(err, models.ErrDuplicate):
		f.Errors = map[string]string{"username": "Já existe um usuário com este nome."}
		return h.renderForm(c, http.StatusConflict, f)
	case errors.As(err, &verr):
		f.Errors = verr.Fields
		return h.renderForm(c, http.StatusUnprocessableEntity, f)
	case err != nil:
		return err
	}
	return redirectWithFlash(c, "/admin/users", "success", "Usuário "+u.Username+" criado.")
}

// Update serves POST /admin/users/:id: email, active flag and roles.
// Deactivating a user ends their sessions and stops their tokens at once.
// A save after someone else's is merged with it (see readUserOrig); an
// e-mail both changed brings the form back (409) with both values.
func (h *AdminUsers) Update(c echo.Context) error {
	u, err := h.load(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	r := c.Request()
	f := views.UserForm{ID: u.ID, Username: u.Username, Email: strings.TrimSpace(r.PostFormValue("email")),
		Active: r.PostFormValue("active") != "", Roles: r.PostForm["roles"]}
	f.Orig = readUserOrig(c, &f)
	mine := models.UserFields{Email: f.Email, Active: f.Active, Roles: f.Roles}
	err = h.users.Update(r.Context(), auth.Actor(c), u.ID, f.Orig, mine)
	var verr *models.ValidationError
	switch {
	case errors.Is(err, models.ErrConflict):
		cur, err := h.load(c)
		if err != nil {
			return err
		}
		merged, conflicts := models.MergeUser(*f.Orig, mine, cur)
		return h.renderForm(c, http.StatusConflict, views.StaleUserForm(cur, merged, conflicts))
	case errors.Is(err, models.ErrLastAdmin):
		f.Message = msgLastAdmin
		return h.renderForm(c, http.StatusConflict, f)
	case errors.As(err, &verr):
		f.Errors = verr.Fields
		return h.renderForm(c, http.StatusUnprocessableEntity, f)
	case err != nil:
		return notFoundAs(err, msgUserNotFound)
	}
	return redirectWithFlash(c, "/admin/users", "success", "Alterações de "+u.Username+" salvas.")
}

// readUserOrig reads the values the edit form was opened with (nil when
// the post lacks them: then the save replaces everything, as before
// merging existed). keep_email=current takes the original e-mail as typed,
// which leaves the stored one as it is.
func readUserOrig(c echo.Context, f *views.UserForm) *models.UserFields {
	form := c.Request().PostForm
	if !form.Has("orig_email") {
		return nil
	}
	orig := &models.UserFields{Email: strings.TrimSpace(form.Get("orig_email")),
		Active: form.Get("orig_active") == "true", Roles: form["orig_roles"]}
	if form.Get("keep_email") == "current" {
		f.Email = orig.Email
	}
	return orig
}

// ResetPassword serves POST /admin/users/:id/password: an administrator
// sets a new password, which ends the user's sessions and, with the box
// revoke_tokens ticked (as it is at first), their API tokens.
func (h *AdminUsers) ResetPassword(c echo.Context) error {
	u, err := h.load(c)
	if err != nil {
		return err
	}
	if u.Source != models.SourceLocal {
		return errNoLocalPassword(u)
	}
	if err := parseForm(c); err != nil {
		return err
	}
	errs := map[string]string{}
	password := readNewPassword(c, u.Username, errs)
	if len(errs) > 0 {
		f := views.UserFormFrom(u)
		f.PasswordErrors = errs
		return h.renderForm(c, http.StatusUnprocessableEntity, f)
	}
	ctx := c.Request().Context()
	hash, err := hashPassword(ctx, h.hasher, password)
	if err != nil {
		return err
	}
	revoke := c.Request().PostFormValue("revoke_tokens") != ""
	unlocked, err := h.locks.ResetPassword(ctx, auth.Actor(c), u, hash, revoke)
	if err != nil {
		return notFoundAs(err, msgUserNotFound)
	}
	if isSelf(c, u.ID) { // their own sessions ended too: keep this one
		if err := h.sessions.StartSession(c, u.ID); err != nil {
			return err
		}
	}
	msg := "Senha de " + u.Username + " redefinida. As sessões abertas dele foram encerradas."
	if revoke {
		msg = "Senha de " + u.Username + " redefinida. As sessões abertas e os tokens de API dele foram encerrados."
	}
	if unlocked {
		msg += " A conta foi desbloqueada."
	}
	return redirectWithFlash(c, views.UserURL(u.ID, ""), "success", msg)
}

// ConfirmDelete serves GET /admin/users/:id/delete, the confirmation step.
func (h *AdminUsers) ConfirmDelete(c echo.Context) error {
	u, err := h.load(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.UserDeletePage(h.pages.page(c, "Excluir usuário", "users"), views.UserDelete{User: u}))
}

// Delete serves POST /admin/users/:id/delete. The last active Admin is
// never deleted, not even by themselves.
func (h *AdminUsers) Delete(c echo.Context) error {
	id, err := pathID(c, msgUserNotFound)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := h.users.Get(ctx, id)
	if err == nil {
		err = h.users.Delete(ctx, auth.Actor(c), id)
	}
	switch {
	case errors.Is(err, models.ErrLastAdmin):
		p := h.pages.page(c, "Excluir usuário", "users")
		return render(c, http.StatusConflict, views.UserDeletePage(p, views.UserDelete{User: u, Message: msgLastAdmin}))
	case errors.Is(err, models.ErrNotFound):
		return redirectWithFlash(c, "/admin/users", "error", "Este usuário já tinha sido excluído.")
	case err != nil:
		return err
	}
	if isSelf(c, id) {
		return redirectWithFlash(c, "/login", "success", "Sua conta foi excluída.")
	}
	return redirectWithFlash(c, "/admin/users", "success", "Usuário "+u.Username+" excluído.")
}

// isSelf reports whether user id is the caller.
func isSelf(c echo.Context, id int64) bool {
	p := auth.CurrentUser(c)
	return p != nil && p.User.ID == id
}
