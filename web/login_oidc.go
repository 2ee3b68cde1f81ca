package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

// OIDCPages serves single sign-on: /auth/oidc/login leaves for the
// provider, /auth/oidc/callback comes back from it.
type OIDCPages struct {
	oidc  *auth.OIDC
	login *LoginPages
}

// Begin serves GET /auth/oidc/login?next=PATH: state, nonce and PKCE
// verifier go into this browser's session, the browser to the provider.
func (h *OIDCPages) Begin(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if auth.CurrentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	if err := h.login.login.CheckAddress(c.Request().Context(), c.RealIP()); err != nil {
		return h.locked(c, err)
	}
	to, err := h.oidc.Begin(c, next)
	var refused *auth.RefusedError
	if errors.As(err, &refused) {
		h.login.recordRefusal(c, auth.MethodOIDC, "", refused)
		return h.refuse(c, refused)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// Callback serves GET /auth/oidc/callback: the provider's answer is
// checked (auth.OIDC.Finish), the person's account made or brought in
// step, and they are logged in and sent (303) where they were going. A
// refusal shows why, with no session and no account made.
func (h *OIDCPages) Callback(c echo.Context) error {
	ctx, ip := c.Request().Context(), c.RealIP()
	if err := h.login.login.CheckAddress(ctx, ip); err != nil {
		return h.locked(c, err)
	}
	eu, next, err := h.oidc.Finish(c)
	var u models.User
	if err == nil {
		u, err = h.login.login.SignInExternal(ctx, eu, ip)
	}
	var refused *auth.RefusedError
	if errors.As(err, &refused) {
		h.login.recordRefusal(c, auth.MethodOIDC, eu.Username, refused)
		if refused.Suspicious {
			if err := h.login.login.FailAddress(ctx, ip); err != nil {
				return err
			}
		}
		return h.refuse(c, refused)
	}
	if err != nil {
		return err
	}
	return h.login.complete(c, u, auth.MethodOIDC, next)
}

// refuse shows why a sign-in was refused.
func (h *OIDCPages) refuse(c echo.Context, refused *auth.RefusedError) error {
	page := h.login.pages.page(c, "Entrada recusada", "login")
	return render(c, refused.Status, views.LoginRefusedPage(page, views.LoginRefused{Message: refused.Message, Retry: "/login"}))
}

// locked answers 429 while failures from the address lock sign-ins (or
// passes on another error).
func (h *OIDCPages) locked(c echo.Context, err error) error {
	var locked *auth.LockedError
	if !errors.As(err, &locked) {
		return err
	}
	h.login.metrics.Login("locked")
	_ = h.login.audit.Record(c.Request().Context(), models.Actor{IP: c.RealIP()}, "login.locked", models.AuditLogin, "",
		models.LoginSummary(auth.MethodOIDC, ""))
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(locked.RetryAfter.Seconds()))))
	minutes := int(math.Ceil(locked.RetryAfter.Minutes()))
	return h.refuse(c, &auth.RefusedError{Status: http.StatusTooManyRequests,
		Message: "Muitas tentativas sem sucesso deste endereço. Tente de novo em " + plural(minutes, "minuto", "minutos") + "."})
}
