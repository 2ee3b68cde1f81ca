package web

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
)

// adminRoutes registers the administration screens: users, roles, the
// caller's own account and API tokens, and the audit trail.
func (s *Server) adminRoutes(protect protectFunc) {
	users := &AdminUsers{users: models.NewUserStore(s.db), roles: models.NewRoleStore(s.db),
		locks: s.login, hasher: s.hasher, sessions: s.auth, pages: s}
	protect(http.MethodGet, "/admin/users", users.List, models.PermManageUsers)
	protect(http.MethodPost, "/admin/users", users.Create, models.PermManageUsers)
	protect(http.MethodGet, "/admin/users/new", users.New, models.PermManageUsers)
	protect(http.MethodGet, "/admin/users/:id", users.Edit, models.PermManageUsers)
	protect(http.MethodPost, "/admin/users/:id", users.Update, models.PermManageUsers)
	protect(http.MethodPost, "/admin/users/:id/password", users.ResetPassword, models.PermManageUsers)
	protect(http.MethodPost, "/admin/users/:id/unlock", users.Unlock, models.PermManageUsers)
	protect(http.MethodGet, "/admin/users/:id/delete", users.ConfirmDelete, models.PermManageUsers)
	protect(http.MethodPost, "/admin/users/:id/delete", users.Delete, models.PermManageUsers)

	roles := &AdminRoles{roles: models.NewRoleStore(s.db), pages: s}
	protect(http.MethodGet, "/admin/roles", roles.List, models.PermManageRoles)
	protect(http.MethodPost, "/admin/roles", roles.Create, models.PermManageRoles)
	protect(http.MethodGet, "/admin/roles/new", roles.New, models.PermManageRoles)
	protect(http.MethodGet, "/admin/roles/:id", roles.Edit, models.PermManageRoles)
	protect(http.MethodPost, "/admin/roles/:id", roles.Update, models.PermManageRoles)
	protect(http.MethodGet, "/admin/roles/:id/copy", roles.Copy, models.PermManageRoles)
	protect(http.MethodGet, "/admin/roles/:id/delete", roles.ConfirmDelete, models.PermManageRoles)
	protect(http.MethodPost, "/admin/roles/:id/delete", roles.Delete, models.PermManageRoles)

	account := &Account{users: models.NewUserStore(s.db), tokens: models.NewTokenStore(s.db),
		hasher: s.hasher, checker: s.login, sessions: s.auth, pages: s}
	protect(http.MethodGet, "/account", account.Show, "")
	protect(http.MethodPost, "/account/password", account.ChangePassword, "")
	protect(http.MethodPost, "/account/tokens", account.CreateToken, "")
	protect(http.MethodPost, "/account/tokens/:id/revoke", account.RevokeToken, "")

	audit := &AuditPages{store: models.NewAuditStore(s.db), pages: s}
	protect(http.MethodGet, "/admin/audit", audit.List, models.PermReadAudit)
}

// passwordHasher hashes new passwords and checks current ones.
type passwordHasher interface {
	Hash(ctx context.Context, password string) (string, error)
	Verify(ctx context.Context, password, encoded string) (bool, error)
}

// sessionStarter logs a user in afresh, after their password changed and
// every session of theirs ended.
type sessionStarter interface {
	StartSession(c echo.Context, userID int64) error
}

// pathID reads the :id parameter; anything but a positive integer is a
// record that does not exist, reported with notFound.
func pathID(c echo.Context, notFound string) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.NewHTTPError(http.StatusNotFound, notFound)
	}
	return id, nil
}

// notFoundAs turns models.ErrNotFound into a 404 naming what is missing
// (the shared error handler would speak of a student).
func notFoundAs(err error, msg string) error {
	if errors.Is(err, models.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, msg)
	}
	return err
}

// parseForm reads a posted form; an unreadable one is a 400, an oversized
// one a 413.
func parseForm(c echo.Context) error {
	if err := c.Request().ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return badRequest("Formulário ilegível.")
	}
	return nil
}

// fieldMessages returns a copy of a validation error's fields (an empty
// map for nil), so more messages can be added.
func fieldMessages(err error) map[string]string {
	out := map[string]string{}
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		maps.Copy(out, verr.Fields)
	}
	return out
}

// readNewPassword reads a new password typed twice (fields password and
// password_confirm), adding what is wrong with it to errs.
func readNewPassword(c echo.Context, username string, errs map[string]string) string {
	r := c.Request()
	password, again := r.PostFormValue("password"), r.PostFormValue("password_confirm")
	if msg := auth.CheckPassword(username, password); msg != "" {
		errs["password"] = msg
	} else if password != again {
		errs["password_confirm"] = "As duas senhas digitadas não são iguais."
	}
	return password
}

// hashPassword hashes a new password; too many hashes at once is a 503.
func hashPassword(ctx context.Context, h passwordHasher, password string) (string, error) {
	hash, err := h.Hash(ctx, password)
	if errors.Is(err, auth.ErrBusy) {
		return "", echo.NewHTTPError(http.StatusServiceUnavailable, "Servidor ocupado; tente de novo em instantes.")
	}
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}
