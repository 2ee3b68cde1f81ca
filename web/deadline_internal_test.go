package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// A slow request given more time answers past the server's write
// timeout; without allowTime the same one is cut off.
func TestAllowTimeOutlastsTheServerTimeouts(t *testing.T) {
	e := echo.New()
	slow := func(c echo.Context) error {
		time.Sleep(400 * time.Millisecond)
		return c.String(http.StatusOK, "feito")
	}
	e.GET("/slow", slow)
	e.GET("/allowed", func(c echo.Context) error { allowTime(c); return slow(c) })
	srv := httptest.NewUnstartedServer(e)
	srv.Config.WriteTimeout = 100 * time.Millisecond
	srv.Start()
	defer srv.Close()
	for path, wantOK := range map[string]bool{"/slow": false, "/allowed": true} {
		resp, err := http.Get(srv.URL + path)
		ok := err == nil
		if ok {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			ok = rerr == nil && string(body) == "feito"
		}
		if ok != wantOK {
			t.Errorf("%s: answered %v (%v), want %v", path, ok, err, wantOK)
		}
	}
}
