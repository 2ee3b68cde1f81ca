package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
)

func TestLoginRedirectsOnlyToLocalPaths(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	cases := map[string]string{
		"/alunos?q=ana":              "/alunos?q=ana",
		"/alunos/new":                "/alunos/new",
		"":                           "/",
		"https://evil.example/":      "/",
		"//evil.example/":            "/",
		"/\\evil.example":            "/",
		"\\\\evil.example":           "/",
		"/%0d%0aSet-Cookie:x=y":      "/%0d%0aSet-Cookie:x=y",
		"javascript:alert(1)":        "/",
		"/ok\r\nLocation: http://x/": "/",
	}
	for next, want := range cases {
		resp := app.submitLogin(app.newBrowser(), "admin", testPassword, next)
		wantStatus(t, resp, http.StatusSeeOther)
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("next %q: redirected to %q, want %q", next, got, want)
		}
	}
}

func TestLoginFailuresLookTheSame(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createUser("inativo", models.RoleViewer)
		users := models.NewUserStore(app.db)
		u, _ := users.GetByUsername(t.Context(), "inativo")
		if err := users.Update(t.Context(), models.Actor{}, u.ID, nil, models.UserFields{Roles: []string{models.RoleViewer}}); err != nil {
			t.Fatal(err)
		}
		var messages []string
		for _, creds := range [][2]string{{"admin", "wrong password!"}, {"ninguem", testPassword}, {"inativo", testPassword}} {
			resp := app.submitLogin(app.newBrowser(), creds[0], creds[1], "/")
			wantStatus(t, resp, http.StatusUnauthorized)
			doc := parseHTML(t, resp)
			messages = append(messages, doc.Find(`[data-testid="login-error"]`).Text())
			if v, _ := doc.Find(`input[name="username"]`).Attr("value"); v != creds[0] {
				t.Errorf("typed username lost: %q", v)
			}
		}
		if messages[0] == "" || messages[0] != messages[1] || messages[1] != messages[2] {
			t.Fatalf("messages differ: %q", messages)
		}
	})
}

func TestLoginThrottling(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for i := range auth.DefaultThrottle.PerAccount {
			// rotating X-Forwarded-For must not help: no proxy is trusted
			resp := app.submitLogin(app.newBrowser(), "admin", "wrong password!", "/", "X-Forwarded-For", "10.0.0."+strconv.Itoa(i))
			wantStatus(t, resp, http.StatusUnauthorized)
		}
		resp := app.submitLogin(app.newBrowser(), "Admin", testPassword, "/", "X-Forwarded-For", "10.9.9.9")
		wantStatus(t, resp, http.StatusTooManyRequests)
		retry, err := strconv.Atoi(resp.Header.Get("Retry-After"))
		if err != nil || retry < 60 || retry > int(auth.DefaultThrottle.Window.Seconds()) {
			t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
		}
		if msg := parseHTML(t, resp).Find(`[data-testid="login-error"]`).Text(); !strings.Contains(msg, "15 minutos") {
			t.Fatalf("lock message %q", msg)
		}
		// a locked account's API token keeps working, and so does its session
		wantStatus(t, app.api(http.MethodGet, "/alunos", ""), http.StatusOK)
		resp, _ = app.page("/alunos")
		wantStatus(t, resp, http.StatusOK)
		// other accounts from the same address are not locked (below the address limit)
		app.createUser("outro", models.RoleViewer)
		wantStatus(t, app.submitLogin(app.newBrowser(), "outro", testPassword, "/"), http.StatusSeeOther)
	})
}

func TestLoginThrottlingPerAddress(t *testing.T) {
	cfg := web.DefaultConfig
	cfg.Throttle = auth.ThrottleLimits{PerAccount: 100, PerAddress: 3, Window: time.Minute}
	app := newTestAppWith(t, modelstest.SQLite(t), cfg)
	for i := range 3 {
		resp := app.submitLogin(app.newBrowser(), "user"+strconv.Itoa(i), "wrong password!", "/")
		wantStatus(t, resp, http.StatusUnauthorized)
	}
	resp := app.submitLogin(app.newBrowser(), "admin", testPassword, "/")
	wantStatus(t, resp, http.StatusTooManyRequests)
	if !strings.Contains(parseHTML(t, resp).Find(`[data-testid="login-error"]`).Text(), "1 minuto") {
		t.Fatal("lock message does not say when to try again")
	}
}

func TestLoginRenewsSessionAndLogoutEndsIt(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		browser := app.newBrowser()
		u, _ := url.Parse(app.srv.URL)
		resp := app.send(browser, http.MethodGet, "/login", "", "Accept", browserAccept)
		wantStatus(t, resp, http.StatusOK)
		before := browser.Jar.Cookies(u)
		app.login(browser, "admin", testPassword)
		after := browser.Jar.Cookies(u)
		if len(before) != 1 || len(after) != 1 || before[0].Value == after[0].Value {
			t.Fatal("the session cookie was not renewed at login")
		}
		// replaying the pre-login cookie gives no session
		stale := app.newBrowser()
		stale.Jar.SetCookies(u, before)
		wantStatus(t, app.send(stale, http.MethodGet, "/alunos", "", "Accept", browserAccept), http.StatusSeeOther)

		wantStatus(t, app.send(browser, http.MethodGet, "/alunos", "", "Accept", browserAccept), http.StatusOK)
		_, doc := app.pageAs(browser, "/alunos")
		tok, _ := doc.Find(`meta[name="csrf-token"]`).Attr("content")
		resp = app.send(browser, http.MethodPost, "/logout", url.Values{"_csrf": {tok}}.Encode(),
			"Accept", browserAccept, "Content-Type", "application/x-www-form-urlencoded")
		wantStatus(t, resp, http.StatusSeeOther)
		// the cookie as it was before logout no longer works
		replay := app.newBrowser()
		replay.Jar.SetCookies(u, after)
		resp = app.send(replay, http.MethodGet, "/alunos", "", "Accept", browserAccept)
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/login?next=%2Falunos" {
			t.Fatalf("redirect to %q", loc)
		}
	})
}

func TestAnonymousAccess(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	anon := app.newBrowser()
	resp := app.send(anon, http.MethodGet, "/alunos?q=x", "", "Accept", browserAccept)
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/login?next=%2Falunos%3Fq%3Dx" {
		t.Fatalf("redirect to %q", loc)
	}
	for _, headers := range [][]string{nil, {"Authorization", "Bearer sa_nope"}, {"Authorization", "Basic YWRtaW46eA=="}} {
		resp = app.send(app.apiClient, http.MethodGet, "/alunos", "", headers...)
		wantStatus(t, resp, http.StatusUnauthorized)
		if resp.Header.Get("WWW-Authenticate") == "" {
			t.Fatal("401 without WWW-Authenticate")
		}
		decode[errorBody](t, resp)
	}
	// a bad token is 401 even on a page that would otherwise be 404
	wantStatus(t, app.send(app.apiClient, http.MethodPost, "/alunos", `{}`, "Content-Type", "application/json",
		deliberatelyInvalid, "an empty student: only the credentials are under test"), http.StatusUnauthorized)
}

func TestViewerCannotChangeStudents(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		path := "/alunos/" + strconv.FormatInt(a.ID, 10)
		viewerToken := app.createUser("viewer", models.RoleViewer)
		viewer := app.newBrowser()
		app.login(viewer, "viewer", testPassword)

		_, doc := app.pageAs(viewer, path)
		if doc.Find(`[data-testid="edit"], [data-testid="delete"]`).Length() != 0 {
			t.Fatal("a viewer sees edit or delete controls")
		}
		_, doc = app.pageAs(viewer, "/alunos")
		if doc.Find(`[data-testid="new-aluno"]`).Length() != 0 {
			t.Fatal("a viewer sees the new-student button")
		}
		resp, doc := app.pageAs(viewer, path+"/edit")
		wantStatus(t, resp, http.StatusForbidden)
		if doc.Find(`[data-testid="error-page"]`).Length() != 1 {
			t.Fatal("403 without the friendly page")
		}
		resp = app.api(http.MethodPatch, path, `{"turma":"2B","version":1}`, "Authorization", "Bearer "+viewerToken)
		wantStatus(t, resp, http.StatusForbidden)
		decode[errorBody](t, resp)
		wantStatus(t, app.api(http.MethodGet, path, "", "Authorization", "Bearer "+viewerToken), http.StatusOK)
	})
}

func TestSecurityHeadersAndCaching(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	for path, client := range map[string]*http.Client{"/login": app.newBrowser(), "/alunos": app.client} {
		resp, _ := app.pageAs(client, path)
		h := resp.Header
		if h.Get("Cache-Control") != "no-store" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	// GET never changes state: logout needs POST
	wantStatus(t, app.do(http.MethodGet, "/logout", "", "Accept", browserAccept), http.StatusMethodNotAllowed)
}

func TestLoginFormNeedsCSRF(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	form := url.Values{"username": {"admin"}, "password": {testPassword}}
	resp := app.send(app.newBrowser(), http.MethodPost, "/login", form.Encode(),
		"Accept", browserAccept, "Content-Type", "application/x-www-form-urlencoded")
	wantStatus(t, resp, http.StatusForbidden)
}

// TestLoginWithoutCSRFChangesNothing posts credentials the ways a script
// without the login page would: no cookie, and a body that is not a form
// (JSON, none). Each is refused before any password is checked: no
// failure counted, no failure row that could lock the account.
func TestLoginWithoutCSRFChangesNothing(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for _, tc := range []struct{ contentType, body string }{
			{"application/json", `{"username":"admin","password":"wrong password!"}`},
			{"text/plain", "username=admin&password=wrong"},
			{"", ""},
		} {
			resp := app.send(app.newBrowser(), http.MethodPost, "/login", tc.body, "Content-Type", tc.contentType)
			wantStatus(t, resp, http.StatusForbidden)
		}
		var rows int64
		if err := app.db.Model(&models.LoginFailure{}).Count(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if rows != 0 || !strings.Contains(app.metricsText(), `schooladmin_logins_total{result="failure"} 0`) {
			t.Fatalf("a refused login counted: %d failure rows", rows)
		}
	})
}

// TestLoginLongUsernameIsThrottled sends a 300-character username, longer
// than the throttle's key column: each failure still counts for that
// name and for the address, and the answer is 401, never a 500.
func TestLoginLongUsernameIsThrottled(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		cfg := web.DefaultConfig
		cfg.Throttle = auth.ThrottleLimits{PerAccount: 2, PerAddress: 100, Window: time.Minute}
		app := newTestAppWith(t, db, cfg)
		long := strings.Repeat("á", 299) + "z"
		for range 2 {
			wantStatus(t, app.submitLogin(app.newBrowser(), long, "wrong password!", "/"), http.StatusUnauthorized)
		}
		wantStatus(t, app.submitLogin(app.newBrowser(), strings.ToUpper(long), "wrong password!", "/"), http.StatusTooManyRequests)
		// another long name with the same first 299 characters is not locked
		wantStatus(t, app.submitLogin(app.newBrowser(), strings.Repeat("á", 299)+"y", "wrong password!", "/"), http.StatusUnauthorized)
		var perAddress int64
		if err := app.db.Model(&models.LoginFailure{}).Where("`key` LIKE ?", "ip:%").Count(&perAddress).Error; err != nil {
			t.Fatal(err)
		}
		if perAddress != 3 {
			t.Fatalf("the address counted %d failures, want 3", perAddress)
		}
	})
}
