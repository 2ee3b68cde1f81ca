package web

import (
	"context"
	"errors"
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

// LoginPages serves /login and /logout.
type LoginPages struct {
	auth    *auth.Authenticator
	login   *auth.Login
	metrics *Metrics
	audit   auditRecorder
	pages   pageMaker
}

// Show serves GET /login.
func (h *LoginPages) Show(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if auth.CurrentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return h.render(c, http.StatusOK, views.LoginForm{Next: next})
}

func (h *LoginPages) render(c echo.Context, status int, f views.LoginForm) error {
	return render(c, status, views.LoginPage(h.pages.page(c, "Entrar", "login"), f))
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
	case err != nil:
		return err
	}
	if err := h.auth.StartSession(c, u.ID); err != nil {
		return err
	}
	h.metrics.Login("success")
	_ = h.audit.Record(ctx, models.Actor{Username: u.Username, IP: c.RealIP()}, "login.success", models.AuditLogin, u.Username, "")
	return c.Redirect(http.StatusSeeOther, form.Next)
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
