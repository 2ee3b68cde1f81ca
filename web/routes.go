package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"schooladmin/auth"
	"schooladmin/models"
)

// Public marks a route that needs no login, in the route table.
const Public = "public"

// routeTable records the permission each route checks: registering a
// route through protect both installs the check and records it, so the
// table cannot claim a check that is not there.
type routeTable map[string]string

// RoutePermissions returns "METHOD /path" → the permission the route
// requires ("" for any logged-in user, Public for none).
func (s *Server) RoutePermissions() map[string]string { return s.routes }

// buildRoutes declares the middleware order and every route, top to bottom.
func (s *Server) buildRoutes(secret []byte) {
	e := s.Echo
	s.routes = routeTable{}
	e.Pre(middleware.RemoveTrailingSlash())
	e.Use(
		middleware.Recover(),   // a panic becomes a 500 page, never a dropped connection
		s.metrics.Middleware(), // counts every answer, errors included
		answerErrors,           // errors become pages here, so metrics see their status and size
		securityHeaders(s.cfg.SecureCookies),
		bodyLimit(s.cfg.MaxBodyBytes),
	)

	// Operational endpoints: no session, no login.
	s.public(http.MethodGet, "/healthz", s.healthz)
	s.public(http.MethodGet, "/readyz", s.readyz)
	s.public(http.MethodGet, "/metrics", s.metrics.Handler(s.cfg.MetricsToken))
	s.public(http.MethodGet, "/static/*", s.assets.serve)
	s.public(http.MethodGet, "/favicon.ico", s.assets.favicon)

	// Every other route runs, in this order: the cookie session, who the
	// caller is (token or session), the route's permission (401, then
	// 403), CSRF protection. Middleware is given per route, not per group:
	// Echo routes every unknown path of a group with middleware to 404,
	// hiding 405s.
	store := auth.NewSessionStore(secret, auth.SessionOptions{
		Secure: s.cfg.SecureCookies, MaxAge: int(s.cfg.Session.Absolute.Seconds()),
	})
	session := []echo.MiddlewareFunc{auth.Sessions(store), s.auth.Identify}
	s.session = session

	login := &LoginPages{auth: s.auth, login: s.login, metrics: s.metrics, audit: models.NewAuditStore(s.db), pages: s}
	s.public(http.MethodGet, "/login", login.Show, slices.Concat(session, []echo.MiddlewareFunc{auth.CSRF()})...)
	s.public(http.MethodPost, "/login", login.Submit, slices.Concat(session, []echo.MiddlewareFunc{auth.CSRF()})...)
	s.public(http.MethodPost, "/logout", login.Logout, slices.Concat(session, []echo.MiddlewareFunc{auth.CSRF()})...)

	protect := func(method, path string, h echo.HandlerFunc, permission string) {
		s.routes[method+" "+path] = permission
		e.Add(method, path, h, slices.Concat(session, []echo.MiddlewareFunc{auth.Require(permission), auth.CSRF()})...)
	}
	protect(http.MethodGet, "/", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/alunos") }, "")

	st := &Students{
		store: models.NewStudentStore(s.db), audit: models.NewAuditStore(s.db),
		idempotency: models.NewIdempotencyStore(s.db), metrics: s.metrics, pages: s,
	}
	protect(http.MethodGet, "/alunos", st.List, models.PermListStudents)
	protect(http.MethodPost, "/alunos", st.Create, models.PermAddStudents)
	protect(http.MethodGet, "/alunos/new", st.New, models.PermAddStudents)
	protect(http.MethodGet, "/alunos/:id", st.Show, models.PermShowStudents)
	protect(http.MethodPost, "/alunos/:id", st.UpdateForm, models.PermEditStudents)
	protect(http.MethodPut, "/alunos/:id", st.Replace, models.PermEditStudents)
	protect(http.MethodPatch, "/alunos/:id", st.Patch, models.PermEditStudents)
	protect(http.MethodDelete, "/alunos/:id", st.Delete, models.PermDeleteStudents)
	protect(http.MethodGet, "/alunos/:id/edit", st.Edit, models.PermEditStudents)
	protect(http.MethodGet, "/alunos/:id/delete", st.ConfirmDelete, models.PermDeleteStudents)
	protect(http.MethodPost, "/alunos/:id/delete", st.DeleteForm, models.PermDeleteStudents)

	s.adminRoutes(protect)
}

// public registers a route that needs no login.
func (s *Server) public(method, path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	s.routes[method+" "+path] = Public
	s.Echo.Add(method, path, h, mw...)
}

// protectFunc registers a route requiring a permission.
type protectFunc func(method, path string, h echo.HandlerFunc, permission string)
