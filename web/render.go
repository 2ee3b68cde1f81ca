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
// flash message. Outside the session middleware (the error page of an
// address or method no route takes) it joins the caller's session first
// when a cookie came with the request; without one the page has no CSRF
// token, no flash, no menu.
func (s *Server) page(c echo.Context, title, nav string) views.PageData {
	p := views.PageData{Title: title, Nav: nav, Assets: s.assets.urls}
	s.joinSession(c)
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

// joinSession runs the session middleware for a request that was answered
// outside it, when it carries a session cookie (and no bearer token): then
// its error page keeps the menu and the user. A session that does not
// check out leaves the page anonymous, as on any other route; without a
// cookie no session is started.
func (s *Server) joinSession(c echo.Context) {
	r := c.Request()
	if auth.HasSession(c) || r.Header.Get(echo.HeaderAuthorization) != "" {
		return
	}
	if _, err := r.Cookie(auth.SessionName); err != nil {
		return
	}
	identify := func(echo.Context) error { return nil }
	for i := len(s.session) - 1; i >= 0; i-- {
		identify = s.session[i](identify)
	}
	_ = identify(c)
}
