package auth

import (
	"crypto/subtle"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// CSRF protection is a synchronizer token kept in the (signed, encrypted)
// session: the token in a form's _csrf field or the X-CSRF-Token header must
// equal the session's. Unlike a plain double-submit cookie, a token planted
// by a sibling subdomain cannot match.
const (
	csrfKey       = "csrf"
	CSRFFormField = "_csrf"
	CSRFHeader    = "X-CSRF-Token"
)

// CSRFToken returns the session's token, creating it on first use.
func CSRFToken(c echo.Context) string {
	s := currentSession(c)
	if tok, ok := s.Values[csrfKey].(string); ok && tok != "" {
		return tok
	}
	tok := randomString()
	s.Values[csrfKey] = tok
	_ = s.Save(c.Request(), c.Response()) // on failure the next request gets a new token
	return tok
}

// CSRF refuses unsafe requests that could come from another site: any
// cross-site fetch, and any form post or cookie-carrying request without
// the session's token. Requests with neither a session cookie nor a form
// body (API clients) pass: they carry no ambient credentials to abuse.
func CSRF() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if safeMethod(r.Method) {
				return next(c)
			}
			if p := CurrentUser(c); p != nil && p.ViaToken {
				return next(c) // a bearer token is no ambient credential
			}
			if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
				return echo.NewHTTPError(http.StatusForbidden, "Requisição de outro site recusada.")
			}
			if !hasSessionCookie(r) && !isForm(r) {
				return next(c)
			}
			if !validCSRF(c) {
				return errCSRF
			}
			return next(c)
		}
	}
}

// CSRFAlways refuses every unsafe request without the session's token,
// whatever it carries. It guards the login form, which only a browser
// that loaded the login page posts: without it a script could make the
// server hash a password and count a failure (towards locking the
// account) without ever loading the page.
func CSRFAlways() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !safeMethod(c.Request().Method) && !validCSRF(c) {
				return errCSRF
			}
			return next(c)
		}
	}
}

var errCSRF = echo.NewHTTPError(http.StatusForbidden, "Token CSRF ausente ou inválido. Recarregue a página e tente de novo.")

func validCSRF(c echo.Context) bool {
	want, _ := currentSession(c).Values[csrfKey].(string)
	got := c.Request().Header.Get(CSRFHeader)
	if got == "" && isForm(c.Request()) {
		got = c.Request().PostFormValue(CSRFFormField)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions || m == http.MethodTrace
}

func hasSessionCookie(r *http.Request) bool {
	_, err := r.Cookie(SessionName)
	return err == nil
}

func isForm(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/x-www-form-urlencoded" || strings.HasPrefix(mt, "multipart/")
}
