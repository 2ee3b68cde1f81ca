package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"schooladmin/views"
	"schooladmin/web/openapi"
)

// APIDocs serves the description of the JSON API: the OpenAPI document
// (web/openapi/openapi.yaml, as JSON) and its reference page. Both are public,
// like the contract says of the document: the page shows nothing the
// document does not, and a client can read both before it has a token.
type APIDocs struct {
	document []byte
	page     views.APIDocsAssets
}

// newAPIDocs converts the embedded document once, at start-up.
func newAPIDocs(a assets) (*APIDocs, error) {
	doc, err := openapi.JSON()
	if err != nil {
		return nil, err
	}
	return &APIDocs{document: doc, page: views.APIDocsAssets{
		CSS:      a.url("swagger-ui/swagger-ui.css"),
		Bundle:   a.url("swagger-ui/swagger-ui-bundle.js"),
		Start:    a.url("api-docs.js"),
		Document: "/openapi.json",
	}}, nil
}

// Page serves GET /api/docs. It works under the app's own
// Content-Security-Policy: Swagger UI is two files of ours, started by a
// third (no inline script), and sets its styles through the DOM, which
// style-src 'self' allows; the browser test checks nothing is refused.
func (h *APIDocs) Page(c echo.Context) error {
	return render(c, http.StatusOK, views.APIDocs(h.page))
}

// Document serves GET /openapi.json. It changes only with the binary, so
// caches may keep it a while.
func (h *APIDocs) Document(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=300")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, h.document)
}
