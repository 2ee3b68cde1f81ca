package web

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

// auditRecorder records events that stand alone, such as logins.
type auditRecorder interface {
	Record(ctx context.Context, actor models.Actor, action, objectType string, objectID any, summary string) error
}

// LoginPages serves /login and /logout, and completes every kind of
// sign-in (password, directory, single sign-on).
type LoginPages struct {
	auth    *auth.Authenticator
	login   *auth.Login
	metrics *Metrics
	audit   auditRecorder
	pages   pageMaker
	log     *slog.Logger
	ssoName string // the single sign-on provider's name on its button; "" for none
}

// Show serves GET /login.
func (h *LoginPages) Show(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if auth.CurrentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return h.render(c, http.StatusOK, views.LoginForm{Next: next})
}

// render shows the login page with f, adding the single sign-on button
// and hiding the password form when no password can be used.
func (h *LoginPages) render(c echo.Context, status int, f views.LoginForm) error {
	if h.ssoName != "" {
		f.SSOName, f.SSOURL = h.ssoName, "/auth/oidc/login?next="+url.QueryEscape(f.Next)
	}
	f.NoPassword = h.login.LocalDisabled && h.login.Directory == nil
	if h.login.Directory != nil {
		f.PasswordHint = "Use o usuário e a senha da rede da escola."
	}
	return render(c, status, views.LoginPage(h.pages.page(c, "Entrar", "login"), f))
}

// complete logs in u, who passed the first factor by method, and sends
// them to next. A second step (a one-time code) would come here, before
// the session starts, for every method alike.
func (h *LoginPages) complete(c echo.Context, u models.User, method, next string) error {
	if err := h.auth.StartSession(c, u.ID); err != nil {
		return err
	}
	h.metrics.Login("success")
	_ = h.audit.Record(c.Request().Context(), models.Actor{Username: u.Username, IP: c.RealIP()},
		"login.success", models.AuditLogin, u.Username, models.LoginSummary(method, ""))
	return c.Redirect(http.StatusSeeOther, next)
}

// recordRefusal counts and audits a sign-in the provider or directory
// vouched for (or failed to) but that was refused; who is the username
// when known.
func (h *LoginPages) recordRefusal(c echo.Context, method, who string, refused *auth.RefusedError) {
	h.metrics.Login("failure")
	if refused.Cause != nil {
		h.log.Warn("sign-in refused", "method", method, "reason", refused.Audit, "err", refused.Cause)
	}
	_ = h.audit.Record(c.Request().Context(), models.Actor{IP: c.RealIP()}, "login.failure", models.AuditLogin,
		truncateRunes(who, 64), models.LoginSummary(method, refused.Audit))
}

// Submit serves POST /login: throttled, with one answer for every kind of
// wrong credentials, and a renewed session on success.
func (h *LoginPages) Submit(c echo.Context) error {
	r := c.Request()
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	form := views.LoginForm{Username: username, Next: safeNext(r.PostFormValue("next"))}
	ctx := r.Context()
	anonymous := models.Actor{IP: c.RealIP()}
	objectID := truncateRunes(strings.TrimSpace(username), 64)

	u, err := h.login.Attempt(ctx, username, password, c.RealIP())
	var locked *auth.LockedError
	var refused *auth.RefusedError
	switch {
	case errors.As(err, &locked):
		h.metrics.Login("locked")
		_ = h.audit.Record(ctx, anonymous, "login.locked", models.AuditLogin, objectID, "")
		minutes := int(math.Ceil(locked.RetryAfter.Minutes()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(locked.RetryAfter.Seconds()))))
		form.Error = "Muitas tentativas sem sucesso. Tente de novo em " + plural(minutes, "minuto", "minutos") + "."
		return h.render(c, http.StatusTooManyRequests, form)
	case errors.Is(err, auth.ErrBadCredentials):
		h.metrics.Login("failure")
		_ = h.audit.Record(ctx, anonymous, "login.failure", models.AuditLogin, objectID, "")
		form.Error = "Usuário ou senha incorretos."
		return h.render(c, http.StatusUnauthorized, form)
	case errors.Is(err, auth.ErrBusy):
		return echo.NewHTTPError(http.StatusServiceUnavailable, "Muitos logins ao mesmo tempo; tente de novo em instantes.")
	case errors.As(err, &refused):
		h.recordRefusal(c, auth.MethodLDAP, objectID, refused)
		form.Error = refused.Message
		return h.render(c, refused.Status, form)
	case errors.Is(err, auth.ErrDirectory):
		h.recordRefusal(c, auth.MethodLDAP, objectID, &auth.RefusedError{Audit: "diretório indisponível", Cause: err})
		form.Error = "O diretório da escola não respondeu; tente de novo em instantes."
		return h.render(c, http.StatusServiceUnavailable, form)
	case err != nil:
		return err
	}
	return h.complete(c, u, auth.MethodOf(u), form.Next)
}

// Logout serves POST /logout: the session ends on the server, so the old
// cookie is worthless.
func (h *LoginPages) Logout(c echo.Context) error {
	actor := auth.Actor(c)
	if err := h.auth.EndSession(c); err != nil {
		return err
	}
	if actor.Username != "" {
		_ = h.audit.Record(c.Request().Context(), actor, "login.logout", models.AuditLogin, actor.Username, "")
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

// safeNext returns next when it is a path on this site, else "/": it must
// start with a single "/", and hold no backslash or control character
// (browsers read "/\evil.example" as another host).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsFunc(next, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// loginURL is the login page that returns to the request's page.
func loginURL(c echo.Context) string {
	next := "/"
	if m := c.Request().Method; m == http.MethodGet || m == http.MethodHead {
		next = c.Request().URL.RequestURI()
	}
	return "/login?next=" + url.QueryEscape(next)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
