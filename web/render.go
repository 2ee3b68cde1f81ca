package web

import (
	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/views"
)

// render renders a page into a buffer first, so a failed render becomes a
// clean error page instead of half a page sent with 200.
func render(c echo.Context, status int, page templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := page.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// pageMaker builds the data every page's layout needs.
type pageMaker interface {
	page(c echo.Context, title, nav string) views.PageData
}

// page builds the PageData of the current request, taking the pending
// flash message. Outside the session middleware (the error handler can
// run there) the page has no CSRF token and no flash.
func (s *Server) page(c echo.Context, title, nav string) views.PageData {
	p := views.PageData{Title: title, Nav: nav, Assets: s.assets.urls}
	if !auth.HasSession(c) {
		return p
	}
	p.CSRF = auth.CSRFToken(c)
	if u := auth.CurrentUser(c); u != nil && !u.ViaToken {
		p.User, p.Perms = u.User.Username, u.Permissions
	}
	if kind, msg, ok := auth.TakeFlash(c); ok {
		p.Flash = &views.Flash{Kind: kind, Message: msg}
	}
	return p
}
