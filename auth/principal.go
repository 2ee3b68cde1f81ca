package auth

import (
	"errors"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
)

// Errors the middleware returns; package web turns them into answers
// (a redirect to /login or 401 JSON; a 403 page or JSON).
var (
	ErrUnauthenticated = echo.NewHTTPError(http.StatusUnauthorized, "Autenticação necessária: faça login ou envie Authorization: Bearer TOKEN.")
	ErrBadToken        = echo.NewHTTPError(http.StatusUnauthorized, "Token de API inválido, expirado ou revogado.")
	ErrForbidden       = echo.NewHTTPError(http.StatusForbidden, "Você não tem permissão para esta ação.")
	ErrTokenScope      = echo.NewHTTPError(http.StatusForbidden, "Este token de API alcança só alunos e turmas (escopo students); "+
		"esta ação pede um token de escopo admin, que um administrador cria em Minha conta.")
)

// IsUnauthenticated reports whether err asks the caller to log in.
func IsUnauthenticated(err error) bool {
	return errors.Is(err, ErrUnauthenticated) || errors.Is(err, ErrBadToken)
}

// Principal is the authenticated caller of a request.
type Principal struct {
	User        models.User // without the password hash
	Permissions []string
	ViaToken    bool   // authenticated by an API token, not a session cookie
	TokenScope  string // the token's scope (models.ScopeStudents or ScopeAdmin); "" for a session
}

// Reaches reports whether the caller may use a route that tokens reach
// with scope: a session reaches every route; an admin-scope token too; a
// students-scope token only the routes declared for it.
func (p *Principal) Reaches(scope string) bool {
	return !p.ViaToken || p.TokenScope == models.ScopeAdmin || p.TokenScope == scope
}

// Can reports whether the caller holds permission.
func (p *Principal) Can(permission string) bool {
	return p != nil && slices.Contains(p.Permissions, permission)
}

// Actor is the caller as the audit trail records it.
func Actor(c echo.Context) models.Actor {
	a := models.Actor{IP: c.RealIP()}
	if p := CurrentUser(c); p != nil {
		a.Username = p.User.Username
	}
	return a
}

const principalKey = "auth.principal"

// CurrentUser returns the request's authenticated caller, or nil.
func CurrentUser(c echo.Context) *Principal {
	p, _ := c.Get(principalKey).(*Principal)
	return p
}

func setPrincipal(c echo.Context, p *Principal) {
	p.User.PasswordHash = ""
	c.Set(principalKey, p)
}

// RequireScope refuses (403) a token whose scope does not reach the
// route: a route declared for ScopeStudents takes any token, any other
// route only an admin-scope one. Runs after Require, so a caller without
// the permission hears of the permission first.
func RequireScope(scope string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if p := CurrentUser(c); p != nil && !p.Reaches(scope) {
				return ErrTokenScope
			}
			return next(c)
		}
	}
}

// Require lets the request through only for a logged-in caller holding
// permission ("" for any logged-in caller): 401 before 403.
func Require(permission string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := CurrentUser(c)
			if p == nil {
				return ErrUnauthenticated
			}
			if permission != "" && !p.Can(permission) {
				return ErrForbidden
			}
			return next(c)
		}
	}
}
