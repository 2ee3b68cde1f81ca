package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"schooladmin/auth"
	"schooladmin/models"
)

// Public marks a route that needs no login, in the route table.
const Public = "public"

// routeRule is what a route checks: the caller's permission and, for an
// API token, the scope that reaches the route ("" on public routes).
type routeRule struct{ permission, scope string }

// routeTable records the checks of each route, "METHOD /path" → rule:
// registering a route through protect both installs the checks and
// records them, so the table cannot claim a check that is not there.
type routeTable map[string]routeRule

// RoutePermissions returns "METHOD /path" → the permission the route
// requires ("" for any logged-in user, Public for none). Every GET route
// has its HEAD twin, with the same permission.
func (s *Server) RoutePermissions() map[string]string {
	out := make(map[string]string, len(s.routes))
	for k, r := range s.routes {
		out[k] = r.permission
	}
	return out
}

// RouteTokenScopes returns "METHOD /path" → the scope an API token needs
// on each route behind a login: models.ScopeStudents (any token) or
// models.ScopeAdmin.
func (s *Server) RouteTokenScopes() map[string]string {
	out := map[string]string{}
	for k, r := range s.routes {
		if r.scope != "" {
			out[k] = r.scope
		}
	}
	return out
}

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
		bodyLimit(s.cfg.MaxBodyBytes, map[string]int64{"POST /alunos/import": importBodyLimit(s.cfg.ImportMaxBytes)}),
	)

	// Operational endpoints: no session, no login.
	s.public(http.MethodGet, "/healthz", s.healthz)
	s.public(http.MethodGet, "/readyz", s.readyz)
	s.public(http.MethodGet, "/metrics", s.metrics.Handler(s.cfg.MetricsToken))
	s.public(http.MethodGet, "/static/*", s.assets.serve)
	s.public(http.MethodGet, "/favicon.ico", s.assets.favicon)
	s.public(http.MethodGet, "/openapi.json", s.apiDocs.Document)
	s.public(http.MethodGet, "/api/docs", s.apiDocs.Page)

	// Every other route runs, in this order: no caching, the cookie
	// session, who the caller is (token or session), the route's
	// permission (401, then 403), a token's scope (403), CSRF protection.
	// Middleware is given per route, not per group: Echo routes every
	// unknown path of a group with middleware to 404, hiding 405s.
	store := auth.NewSessionStore(secret, auth.SessionOptions{
		Secure: s.cfg.SecureCookies, MaxAge: int(s.cfg.Session.Absolute.Seconds()),
	})
	session := []echo.MiddlewareFunc{auth.Sessions(store), s.auth.Identify}
	s.session = session

	login := &LoginPages{auth: s.auth, login: s.login, metrics: s.metrics, audit: models.NewAuditStore(s.db), pages: s, log: s.log}
	s.public(http.MethodGet, "/login", login.Show, slices.Concat(session, []echo.MiddlewareFunc{auth.CSRF()})...)
	s.public(http.MethodPost, "/login", login.Submit, slices.Concat(session, []echo.MiddlewareFunc{auth.CSRFAlways()})...)
	s.public(http.MethodPost, "/logout", login.Logout, slices.Concat(session, []echo.MiddlewareFunc{auth.CSRF()})...)
	if s.oidc != nil {
		// No CSRF token on these GETs: the state bound to the session is
		// what ties the provider's return to the browser that left.
		login.ssoName = s.oidc.ProviderName()
		sso := &OIDCPages{oidc: s.oidc, login: login}
		s.public(http.MethodGet, "/auth/oidc/login", sso.Begin, slices.Concat([]echo.MiddlewareFunc{private}, session)...)
		s.public(http.MethodGet, "/auth/oidc/callback", sso.Callback, slices.Concat([]echo.MiddlewareFunc{private}, session)...)
	}

	// API tokens reach a route only with its scope: protect declares
	// ScopeAdmin, so a new route is closed to students-scope tokens unless
	// registered with forStudents (the student and turma routes).
	guard := func(scope string) protectFunc {
		return func(method, path string, h echo.HandlerFunc, permission string) {
			s.add(method, path, routeRule{permission, scope}, h, slices.Concat([]echo.MiddlewareFunc{private}, session,
				[]echo.MiddlewareFunc{auth.Require(permission), auth.RequireScope(scope), auth.CSRF()})...)
		}
	}
	protect, forStudents := guard(models.ScopeAdmin), guard(models.ScopeStudents)
	// The Painel decides itself who sees it (who may list students) and
	// where the others land, so the route takes anyone logged in.
	home := &Home{store: models.NewPainelStore(s.db), pages: s, now: time.Now}
	forStudents(http.MethodGet, "/", home.Show, "")

	alunos := models.NewAlunoStore(s.db)
	turmas := models.NewTurmaStore(s.db)
	st := newAlunos(alunos, turmas, models.NewAuditStore(s.db), models.NewIdempotencyStore(s.db), s.metrics, s)
	ex := &Exports{store: st.store, log: s.log, pages: s}
	forStudents(http.MethodGet, "/alunos/export", ex.Alunos, models.PermListAlunos)
	// A bulk action's own permission (can_edit or can_delete) depends on
	// the action the request names: AlunosBulk checks it.
	bulk := &AlunosBulk{store: st.store, turmas: turmas, metrics: s.metrics, pages: s}
	forStudents(http.MethodGet, "/alunos/bulk", bulk.Confirm, models.PermListAlunos)
	forStudents(http.MethodPost, "/alunos/bulk", bulk.Apply, models.PermListAlunos)
	resourceRoutes(forStudents, "/alunos", st, resourcePerms{
		models.PermListAlunos, models.PermShowAlunos, models.PermAddAlunos, models.PermEditAlunos, models.PermDeleteAlunos,
	})
	importRoutes(forStudents, &AlunosImport{
		store: alunos, uploads: models.NewImportUploadStore(s.db),
		maxBytes: s.cfg.ImportMaxBytes, metrics: s.metrics, pages: s,
	})
	// The trash: static /alunos/trash wins over /alunos/:id in Echo's router.
	lx := &Lixeira{store: alunos, retention: s.cfg.TrashRetention, metrics: s.metrics, pages: s}
	forStudents(http.MethodGet, "/alunos/trash", lx.List, models.PermRestoreAlunos)
	forStudents(http.MethodPost, "/alunos/:id/restore", lx.Restore, models.PermRestoreAlunos)
	tu := newTurmas(turmas, st.store, st.audit, st.idempotency, s.metrics, s)
	resourceRoutes(forStudents, "/turmas", tu, resourcePerms{
		models.PermListTurmas, models.PermShowTurmas, models.PermAddTurmas, models.PermEditTurmas, models.PermDeleteTurmas,
	})

	s.adminRoutes(protect)
}

// public registers a route that needs no login.
func (s *Server) public(method, path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	s.add(method, path, routeRule{permission: Public}, h, mw...)
}

// add registers a route and records its checks. A GET route answers HEAD
// too, through the same handler and checks: net/http drops the body of an
// answer to HEAD and keeps its headers.
func (s *Server) add(method, path string, rule routeRule, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	methods := []string{method}
	if method == http.MethodGet {
		methods = append(methods, http.MethodHead)
	}
	for _, m := range methods {
		s.routes[m+" "+path] = rule
		s.Echo.Add(m, path, h, mw...)
	}
}

// protectFunc registers a route behind a login, requiring a permission.
type protectFunc func(method, path string, h echo.HandlerFunc, permission string)
