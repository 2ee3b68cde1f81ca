package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"schooladmin/static"
	"schooladmin/views"
)

// assets serves the embedded static files. Their URLs carry a hash of the
// content, so browsers may cache them for a year and still see every change.
type assets struct {
	version string
	urls    views.Assets
	files   http.Handler
}

func newAssets() assets {
	h := sha256.New()
	fs.WalkDir(static.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(static.FS, path)
			h.Write(b)
		}
		return nil
	})
	v := hex.EncodeToString(h.Sum(nil))[:12]
	return assets{
		version: v,
		urls:    views.Assets{CSS: "/static/app.css?v=" + v, JS: "/static/app.js?v=" + v},
		files:   http.StripPrefix("/static/", http.FileServerFS(static.FS)),
	}
}

// url is the versioned URL of a static file.
func (a assets) url(name string) string { return "/static/" + name + "?v=" + a.version }

func (a assets) serve(c echo.Context) error {
	name := c.Param("*")
	if name == "" || strings.HasSuffix(name, "/") {
		return echo.ErrNotFound // no directory listings
	}
	if _, err := fs.Stat(static.FS, name); err != nil {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	if c.QueryParam("v") == a.version {
		h.Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		h.Set(echo.HeaderCacheControl, "public, max-age=300")
	}
	h.Set("ETag", `"`+a.version+`"`)
	a.files.ServeHTTP(c.Response(), c.Request())
	return nil
}

func (a assets) favicon(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, "/static/favicon.svg?v="+a.version)
}
