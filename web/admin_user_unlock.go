package web

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

// accountLocks finds and lifts the locks that failed logins put on
// accounts; an administrator's password reset lifts them too.
type accountLocks interface {
	LockedUntil(ctx context.Context, usernames []string) (map[string]time.Time, error)
	Unlock(ctx context.Context, actor models.Actor, username string) (bool, error)
	ResetPassword(ctx context.Context, actor models.Actor, u models.User, hash string, revokeTokens bool) (bool, error)
}

// Unlock serves POST /admin/users/:id/unlock: the account locked by
// failed logins may log in again at once.
func (h *AdminUsers) Unlock(c echo.Context) error {
	u, err := h.load(c)
	if err != nil {
		return err
	}
	unlocked, err := h.locks.Unlock(c.Request().Context(), auth.Actor(c), u.Username)
	switch {
	case err != nil:
		return err
	case !unlocked:
		return redirectWithFlash(c, views.UserURL(u.ID, ""), "success", "A conta de "+u.Username+" não estava bloqueada.")
	}
	return redirectWithFlash(c, views.UserURL(u.ID, ""), "success", "Conta de "+u.Username+" desbloqueada.")
}
