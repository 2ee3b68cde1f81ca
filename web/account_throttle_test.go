package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"schooladmin/auth"
	"schooladmin/models/modelstest"
	"schooladmin/web"
)

func TestPasswordChangeGuessesAreThrottled(t *testing.T) {
	cfg := web.DefaultConfig
	cfg.Throttle = auth.ThrottleLimits{PerAccount: 3, PerAddress: 100, Window: auth.DefaultThrottle.Window}
	app := newTestAppWith(t, modelstest.SQLite(t), cfg)
	change := func(current string) *http.Response {
		return app.postForm("/account/password", url.Values{
			"current_password": {current}, "password": {"a brand new passphrase"}, "password_confirm": {"a brand new passphrase"},
		})
	}
	for range 3 {
		wantStatus(t, change("wrong guess!"), http.StatusUnprocessableEntity)
	}
	resp := change(testPassword) // even the right password waits now
	wantStatus(t, resp, http.StatusTooManyRequests)
	if resp.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
}
