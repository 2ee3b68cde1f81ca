package web

import (
	"mime"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// wantsHTML reports whether the caller is a browser that should get HTML.
// A request sending a JSON body, or whose Accept header does not prefer
// text/html (missing, */*, application/json), gets JSON.
func wantsHTML(c echo.Context) bool {
	if sendsJSON(c) {
		return false
	}
	html, other := acceptWeights(c.Request().Header.Get(echo.HeaderAccept))
	return html > 0 && html >= other
}

// sendsJSON reports whether the request body is declared as JSON.
func sendsJSON(c echo.Context) bool {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// acceptWeights returns the q of text/html (named explicitly, or text/*)
// and the best q of JSON (application/json, application/*, */*).
func acceptWeights(accept string) (html, json float64) {
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, params, _ := strings.Cut(part, ";")
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && k == "q" {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		switch strings.ToLower(strings.TrimSpace(mediaType)) {
		case "text/html", "application/xhtml+xml", "text/*":
			html = max(html, q)
		case "application/json", "application/*", "*/*":
			json = max(json, q)
		}
	}
	return html, json
}
