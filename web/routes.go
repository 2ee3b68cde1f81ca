package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"schooladmin/auth"
	"schooladmin/models"
)

// routes declares the middleware order and every route, top to bottom.
func (s *Server) routes(secret []byte) {
	e := s.Echo
	e.Pre(middleware.RemoveTrailingSlash())
	e.Use(
		middleware.Recover(),   // a panic becomes a 500 page, never a dropped connection
		s.metrics.Middleware(), // counts every answer, errors included
		securityHeaders,
		bodyLimit(s.cfg.MaxBodyBytes),
	)

	// Public operational endpoints: no session, no CSRF.
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics.Handler())
	e.GET("/static/*", s.assets.serve)
	e.GET("/favicon.ico", s.assets.favicon)

	// The application: session cookie and CSRF protection on every route.
	store := auth.NewSessionStore(secret, auth.SessionOptions{
		Secure: s.cfg.SecureCookies, MaxAge: int(s.cfg.SessionMaxAge.Seconds()),
	})
	// Middleware is given per route, not per group: Echo routes every
	// unknown path of a group with middleware to 404, hiding 405s.
	session := []echo.MiddlewareFunc{auth.Sessions(store), auth.CSRF()}
	e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/alunos") }, session...)

	st := &Students{store: models.NewStudentStore(s.db), metrics: s.metrics, pages: s}
	e.GET("/alunos", st.List, session...)
	e.POST("/alunos", st.Create, session...)
	e.GET("/alunos/new", st.New, session...)
	e.GET("/alunos/:id", st.Show, session...)
	e.POST("/alunos/:id", st.UpdateForm, session...)
	e.PUT("/alunos/:id", st.Replace, session...)
	e.PATCH("/alunos/:id", st.Patch, session...)
	e.DELETE("/alunos/:id", st.Delete, session...)
	e.GET("/alunos/:id/edit", st.Edit, session...)
	e.GET("/alunos/:id/delete", st.ConfirmDelete, session...)
	e.POST("/alunos/:id/delete", st.DeleteForm, session...)
}
