package web

import (
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
	app := e.Group("", auth.Sessions(store), auth.CSRF())
	app.GET("/", func(c echo.Context) error { return c.Redirect(303, "/alunos") })

	st := &Students{store: models.NewStudentStore(s.db), metrics: s.metrics, pages: s}
	app.GET("/alunos", st.List)
	app.POST("/alunos", st.Create)
	app.GET("/alunos/new", st.New)
	app.GET("/alunos/:id", st.Show)
	app.POST("/alunos/:id", st.UpdateForm)
	app.PUT("/alunos/:id", st.Replace)
	app.PATCH("/alunos/:id", st.Patch)
	app.DELETE("/alunos/:id", st.Delete)
	app.GET("/alunos/:id/edit", st.Edit)
	app.GET("/alunos/:id/delete", st.ConfirmDelete)
	app.POST("/alunos/:id/delete", st.DeleteForm)
}
