package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// contentSecurityPolicy allows only our own files: no inline scripts or
// styles, no plugins, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every answer carries; overHTTPS adds
// HSTS.
func securityHeaders(overHTTPS bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", contentSecurityPolicy)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("X-Frame-Options", "DENY")
			if overHTTPS {
				h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			}
			return next(c)
		}
	}
}

// private marks the answers of the routes behind a login: they hold the
// caller's data, so no cache may keep them (Cache-Control: no-store), and
// the same URL answers a page or JSON by Accept (Vary: Accept). Set before
// the handler runs, so error answers carry them too.
func private(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set(echo.HeaderCacheControl, "no-store")
		varyAccept(h)
		return next(c)
	}
}

// varyAccept adds Accept to the Vary header once.
func varyAccept(h http.Header) {
	for _, v := range h.Values(echo.HeaderVary) {
		for f := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), echo.HeaderAccept) {
				return
			}
		}
	}
	h.Add(echo.HeaderVary, echo.HeaderAccept)
}

// bodyLimit refuses bodies over limit bytes: at once when Content-Length
// says so, otherwise when reading passes the limit (then the handler's read
// fails with *http.MaxBytesError, which the error handler turns into 413).
// A route of routes ("METHOD /pattern") has its own limit instead (a
// spreadsheet import), and as long as allowTime gives to send it: Echo
// has routed the request when this runs, before anything reads the body.
func bodyLimit(defaultLimit int64, routes map[string]int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			limit, ok := routes[r.Method+" "+c.Path()]
			if ok {
				allowTime(c)
			} else {
				limit = defaultLimit
			}
			if r.ContentLength > limit {
				return &http.MaxBytesError{Limit: limit}
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
			return next(c)
		}
	}
}

// longRequest is how long allowTime gives a request to arrive and be
// answered.
const longRequest = 10 * time.Minute

// allowTime lifts the server's read and write timeouts (30 s and 60 s,
// right for ordinary requests) for this request: an import's 20 MiB over
// a slow link, or 100,000 rows applied on a busy database, take longer,
// and a write timeout would cut the answer off after the import was
// committed.
func allowTime(c echo.Context) {
	rc := http.NewResponseController(c.Response())
	deadline := time.Now().Add(longRequest)
	_ = rc.SetReadDeadline(deadline)
	_ = rc.SetWriteDeadline(deadline)
}

// answerErrors writes the error answer inside the middleware chain rather
// than after it, so the metrics middleware above records the real status
// and response size of error answers.
func answerErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := next(c); err != nil {
			c.Error(err)
		}
		return nil
	}
}
