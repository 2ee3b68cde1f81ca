package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"schooladmin/api"
)

// APIDocs serves the description of the JSON API: the OpenAPI document
// (api/openapi.yaml, as JSON), public like the contract says, so a client
// can read it before it has a token.
type APIDocs struct {
	document []byte
}

// newAPIDocs converts the embedded document once, at start-up.
func newAPIDocs() (*APIDocs, error) {
	doc, err := api.JSON()
	if err != nil {
		return nil, err
	}
	return &APIDocs{document: doc}, nil
}

// Document serves GET /openapi.json. It changes only with the binary, so
// caches may keep it a while.
func (h *APIDocs) Document(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=300")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, h.document)
}
