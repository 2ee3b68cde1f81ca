package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"schooladmin/auth"
	"schooladmin/auth/authtest"
	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
)

// ssoRedirect is the client's redirect address as the provider knows it;
// tests carry the provider's answer to the test server by its path.
const ssoRedirect = "http://schooladmin.test/auth/oidc/callback"

// The provider's people: teachers, the head, someone of no group, someone
// from outside the school's domain, and a namesake of the local admin.
var ssoPeople = []authtest.Person{
	{Username: "ana", Password: "senha-da-ana", Email: "ana@escola.edu.br", EmailVerified: true, Groups: []string{"professores"}},
	{Username: "dora", Password: "senha-da-dora", Email: "dora@escola.edu.br", EmailVerified: true, Groups: []string{"direcao", "outros"}},
	{Username: "vera", Password: "senha-da-vera", Email: "vera@escola.edu.br", EmailVerified: true, Groups: []string{"visitantes"}},
	{Username: "fred", Password: "senha-do-fred", Email: "fred@gmail.com", EmailVerified: true, Groups: []string{"professores"}},
	{Username: "gabi", Password: "senha-da-gabi", Email: "gabi@escola.edu.br", EmailVerified: true}, // no groups claim at all
	{Username: "admin", Password: "senha-do-admin", Email: "admin@escola.edu.br", EmailVerified: true, Groups: []string{"direcao"}},
}

// ssoApp is the app with single sign-on through a real provider.
type ssoApp struct {
	*testApp
	op *authtest.Provider
}

func newSSOApp(t *testing.T, db *models.Database, change func(*web.Config)) ssoApp {
	t.Helper()
	op := authtest.StartProvider(t, ssoRedirect, ssoPeople...)
	cfg := web.DefaultConfig
	cfg.OIDC = &auth.OIDCConfig{
		Issuer: op.Issuer, ClientID: op.ClientID, ClientSecret: op.ClientSecret, RedirectURL: ssoRedirect,
		Scopes: []string{"openid", "email", "profile"}, AllowedDomains: []string{"escola.edu.br"}, RolesClaim: "groups",
		RoleMap: auth.RoleMap{"professores": models.RoleEditor, "direcao": models.RoleAdmin},
	}
	if change != nil {
		change(&cfg)
	}
	return ssoApp{newTestAppWith(t, db, cfg), op}
}

func forEachSSOApp(t *testing.T, change func(*web.Config), fn func(t *testing.T, app ssoApp)) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) { fn(t, newSSOApp(t, db, change)) })
}

// leave starts a sign-in in browser and returns the provider's address
// it is sent to.
func (a ssoApp) leave(browser *http.Client, next string) string {
	a.t.Helper()
	resp := a.send(browser, http.MethodGet, "/auth/oidc/login?next="+url.QueryEscape(next), "", "Accept", browserAccept)
	wantStatus(a.t, resp, http.StatusSeeOther)
	to := resp.Header.Get("Location")
	if !strings.HasPrefix(to, a.op.Issuer) {
		a.t.Fatalf("sent to %q, not to the provider", to)
	}
	return to
}

// back brings the provider's answer (its redirect to the client) to the
// app in browser.
func (a ssoApp) back(browser *http.Client, answer *url.URL) *http.Response {
	a.t.Helper()
	return a.send(browser, http.MethodGet, answer.RequestURI(), "", "Accept", browserAccept)
}

// signIn runs a whole sign-in of username in browser, heading for next.
func (a ssoApp) signIn(browser *http.Client, username, password, next string) *http.Response {
	a.t.Helper()
	return a.back(browser, a.op.SignIn(a.t, a.leave(browser, next), username, password))
}

// wantRefused checks a refusal page: its status, a message containing
// want, and no session in browser.
func (a ssoApp) wantRefused(browser *http.Client, resp *http.Response, status int, want string) {
	a.t.Helper()
	wantStatus(a.t, resp, status)
	msg := parseHTML(a.t, resp).Find(`[data-testid="refused-message"]`).Text()
	if !strings.Contains(msg, want) {
		a.t.Errorf("refusal says %q, want it to say %q", msg, want)
	}
	if r := a.send(browser, http.MethodGet, "/account", "", "Accept", browserAccept); r.StatusCode != http.StatusSeeOther {
		a.t.Errorf("after a refusal /account answers %d: a session was started", r.StatusCode)
	}
}

// wantNoUser checks that no account named username was made.
func (a ssoApp) wantNoUser(username string) {
	a.t.Helper()
	if _, err := models.NewUserStore(a.db).GetByUsername(a.t.Context(), username); err == nil {
		a.t.Errorf("an account %s was made", username)
	}
}

func TestSSOSignInCreatesTheUserAndUpdatesTheirRoles(t *testing.T) {
	forEachSSOApp(t, nil, func(t *testing.T, app ssoApp) {
		browser := app.newBrowser()
		resp := app.signIn(browser, "ana", "senha-da-ana", "/turmas")
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/turmas" {
			t.Errorf("sent to %q after the sign-in, want /turmas", loc)
		}
		_, doc := app.pageAs(browser, "/account")
		if got := doc.Find(`[data-testid="account-details"]`).Text(); !strings.Contains(got, "ana") {
			t.Errorf("the account page of the new session shows %q", got)
		}
		if got := doc.Find(`[data-testid="external-account"]`).Text(); !strings.Contains(got, "login único") ||
			doc.Find(`[data-testid="password-form"]`).Length() != 0 {
			t.Errorf("the account page offers a password change, or says %q of where she signs in", got)
		}
		u, err := models.NewUserStore(app.db).GetByUsername(t.Context(), "ana")
		if err != nil || u.Source != models.SourceOIDC || u.Email != "ana@escola.edu.br" || u.PasswordHash != "" ||
			len(u.Roles) != 1 || u.Roles[0].Name != models.RoleEditor {
			t.Fatalf("the account made: %+v %v", u, err)
		}
		// The provider moves her to the head's group: the next login says so.
		app.op.SetGroups("ana", "direcao")
		wantStatus(t, app.signIn(app.newBrowser(), "ana", "senha-da-ana", "/"), http.StatusSeeOther)
		if u, _ = models.NewUserStore(app.db).GetByUsername(t.Context(), "ana"); len(u.Roles) != 1 || u.Roles[0].Name != models.RoleAdmin {
			t.Errorf("roles after the provider's change: %+v", u.Roles)
		}
		// Her account has no password here.
		wantStatus(t, app.submitLogin(app.newBrowser(), "ana", "", "/"), http.StatusUnauthorized)

		_, doc = app.page("/admin/audit?action=login.success&actor=ana")
		if got := auditRow(doc, "login.success").Find(`[data-testid="audit-summary"]`).Text(); got != "Com login único (OpenID Connect)" {
			t.Errorf("the audit shows the sign-in as %q", got)
		}
	})
}

func TestSSORoleMapping(t *testing.T) {
	withDefault := func(cfg *web.Config) { cfg.OIDC.DefaultRole = models.RoleViewer }
	forEachSSOApp(t, withDefault, func(t *testing.T, app ssoApp) {
		for _, tc := range []struct{ who, password, role string }{
			{"dora", "senha-da-dora", models.RoleAdmin},  // direcao, and an unmapped group
			{"vera", "senha-da-vera", models.RoleViewer}, // no mapped group: the default role
		} {
			wantStatus(t, app.signIn(app.newBrowser(), tc.who, tc.password, "/"), http.StatusSeeOther)
			u, err := models.NewUserStore(app.db).GetByUsername(t.Context(), tc.who)
			if err != nil || len(u.Roles) != 1 || u.Roles[0].Name != tc.role {
				t.Errorf("%s: roles %+v (%v), want %s", tc.who, u.Roles, err, tc.role)
			}
		}
	})
}

func TestSSORefusesAPersonWithNoRole(t *testing.T) {
	forEachSSOApp(t, nil, func(t *testing.T, app ssoApp) {
		browser := app.newBrowser()
		app.wantRefused(browser, app.signIn(browser, "vera", "senha-da-vera", "/"), http.StatusForbidden,
			"Peça a um administrador do schooladmin")
		app.wantNoUser("vera")
		_, doc := app.page("/admin/audit?action=login.failure")
		if got := auditRow(doc, "login.failure").Find(`[data-testid="audit-summary"]`).Text(); !strings.Contains(got, "sem papel") {
			t.Errorf("the audit shows the refusal as %q", got)
		}
	})
}

func TestSSORefusesADomainNotAllowed(t *testing.T) {
	forEachSSOApp(t, nil, func(t *testing.T, app ssoApp) {
		browser := app.newBrowser()
		app.wantRefused(browser, app.signIn(browser, "fred", "senha-do-fred", "/"), http.StatusForbidden,
			"fred@gmail.com não é de um domínio aceito")
		app.wantNoUser("fred")
	})
}

func TestSSORefusesAWrongState(t *testing.T) {
	forEachSSOApp(t, nil, func(t *testing.T, app ssoApp) {
		// The answer to one browser's sign-in brought to another browser.
		answer := app.op.SignIn(t, app.leave(app.newBrowser(), "/"), "ana", "senha-da-ana")
		other := app.newBrowser()
		app.wantRefused(other, app.back(other, answer), http.StatusBadRequest, "não corresponde a um login começado neste navegador")

		// The right browser, with the state changed on the way.
		browser := app.newBrowser()
		answer = app.op.SignIn(t, app.leave(browser, "/"), "ana", "senha-da-ana")
		q := answer.Query()
		q.Set("state", q.Get("state")+"x")
		answer.RawQuery = q.Encode()
		app.wantRefused(browser, app.back(browser, answer), http.StatusBadRequest, "não corresponde")
		app.wantNoUser("ana")
	})
}

func TestSSORefusesAReplayedCode(t *testing.T) {
	forEachSSOApp(t, nil, func(t *testing.T, app ssoApp) {
		browser := app.newBrowser()
		answer := app.op.SignIn(t, app.leave(browser, "/"), "ana", "senha-da-ana")
		wantStatus(t, app.back(browser, answer), http.StatusSeeOther)

		// Replayed as it was: the state was good for one return.
		again := app.newBrowser()
		app.wantRefused(again, app.back(again, answer), http.StatusBadRequest, "não corresponde")

		// Replayed with a fresh state of the attacker's own browser: the
		// provider refuses the used code.
		attacker := app.newBrowser()
		fresh, _ := url.Parse(app.leave(attacker, "/"))
		q := answer.Query()
		q.Set("state", fresh.Query().Get("state"))
		answer.RawQuery = q.Encode()
		app.wantRefused(attacker, app.back(attacker, answer), http.StatusBadRequest, "já foi usado")
	})
}

func TestSSORefusesBadIDTokens(t *testing.T) {
	forEachSSOApp(t, nil, func(t *testing.T, app ssoApp) {
		for _, tc := range []struct {
			name, audit string
			set         func(on bool)
		}{
			{"expired", "token de identidade expirado", app.op.IssueExpiredIDTokens},
			{"signed with a key the provider does not publish", "token de identidade inválido",
				func(on bool) { app.op.SignWithForeignKey(t, on) }},
		} {
			tc.set(true)
			browser := app.newBrowser()
			app.wantRefused(browser, app.signIn(browser, "ana", "senha-da-ana", "/"), http.StatusBadRequest,
				"não pôde ser verificada")
			tc.set(false)
			_, doc := app.page("/admin/audit?action=login.failure")
			if got := auditRow(doc, "login.failure").Find(`[data-testid="audit-summary"]`).Text(); !strings.Contains(got, tc.audit) {
				t.Errorf("%s: the audit says %q", tc.name, got)
			}
		}
		app.wantNoUser("ana")
	})
}

func TestSSODoesNotTakeOverALocalAccount(t *testing.T) {
	forEachSSOApp(t, nil, func(t *testing.T, app ssoApp) {
		browser := app.newBrowser()
		app.wantRefused(browser, app.signIn(browser, "admin", "senha-do-admin", "/"), http.StatusConflict,
			"outra conta chamada admin")
		app.login(app.newBrowser(), "admin", testPassword)
	})
}

func TestSSOBadAnswersGetAPageNotAnError(t *testing.T) {
	forEachSSOApp(t, nil, func(t *testing.T, app ssoApp) {
		browser := app.newBrowser()
		for _, path := range []string{"/auth/oidc/callback", "/auth/oidc/callback?code=&state=", "/auth/oidc/callback?state=%00&code=x%ff"} {
			app.wantRefused(browser, app.send(browser, http.MethodGet, path, "", "Accept", browserAccept), http.StatusBadRequest, "não corresponde")
		}
		// The provider's own refusal, to a sign-in this browser began.
		fresh, _ := url.Parse(app.leave(browser, "/"))
		resp := app.send(browser, http.MethodGet, "/auth/oidc/callback?error=access_denied&error_description=n%C3%A3o&state="+
			url.QueryEscape(fresh.Query().Get("state")), "", "Accept", browserAccept)
		app.wantRefused(browser, resp, http.StatusForbidden, "(access_denied)")
	})
}

func TestSSOLoginPageAndLogout(t *testing.T) {
	noLocal := func(cfg *web.Config) { cfg.DisableLocalLogin = true }
	forEachSSOApp(t, noLocal, func(t *testing.T, app ssoApp) {
		browser := app.newBrowser()
		resp, doc := app.pageAs(browser, "/login?next=/turmas")
		wantStatus(t, resp, http.StatusOK)
		if href, _ := doc.Find(`[data-testid="login-sso"]`).Attr("href"); href != "/auth/oidc/login?next=%2Fturmas" {
			t.Errorf("the provider's button leads to %q", href)
		}
		if doc.Find(`input[name="password"]`).Length() != 0 {
			t.Error("LOCAL_LOGIN=false still shows the password form")
		}
		csrf, _ := doc.Find(`meta[name="csrf-token"]`).Attr("content")
		form := url.Values{"_csrf": {csrf}, "username": {"admin"}, "password": {testPassword}}
		wantStatus(t, app.send(browser, http.MethodPost, "/login", form.Encode(),
			"Accept", browserAccept, "Content-Type", "application/x-www-form-urlencoded"), http.StatusUnauthorized)

		wantStatus(t, app.signIn(browser, "ana", "senha-da-ana", "/"), http.StatusSeeOther)
		resp = app.send(browser, http.MethodGet, "/account", "", "Accept", browserAccept)
		wantStatus(t, resp, http.StatusOK)
		csrf, _ = parseHTML(t, resp).Find(`meta[name="csrf-token"]`).Attr("content")
		wantStatus(t, app.send(browser, http.MethodPost, "/logout", url.Values{"_csrf": {csrf}}.Encode(),
			"Accept", browserAccept, "Content-Type", "application/x-www-form-urlencoded"), http.StatusSeeOther)
		if r := app.send(browser, http.MethodGet, "/account", "", "Accept", browserAccept); r.StatusCode != http.StatusSeeOther {
			t.Errorf("after logout /account answers %d", r.StatusCode)
		}
	})
}

// A provider that sends no roles claim at all (Google Workspace) gives a
// new account the default role, and leaves later role changes to the
// users screen.
func TestSSOWithoutARolesClaimKeepsTheRolesGivenHere(t *testing.T) {
	withDefault := func(cfg *web.Config) { cfg.OIDC.DefaultRole = models.RoleViewer }
	forEachSSOApp(t, withDefault, func(t *testing.T, app ssoApp) {
		wantStatus(t, app.signIn(app.newBrowser(), "gabi", "senha-da-gabi", "/"), http.StatusSeeOther)
		users := models.NewUserStore(app.db)
		u, err := users.GetByUsername(t.Context(), "gabi")
		if err != nil || len(u.Roles) != 1 || u.Roles[0].Name != models.RoleViewer {
			t.Fatalf("the new account: %+v %v", u, err)
		}
		if err := users.Update(t.Context(), models.Actor{Username: "admin"}, u.ID, nil,
			models.UserFields{Email: u.Email, Active: true, Roles: []string{models.RoleEditor}}); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, app.signIn(app.newBrowser(), "gabi", "senha-da-gabi", "/"), http.StatusSeeOther)
		if u, _ = users.GetByUsername(t.Context(), "gabi"); len(u.Roles) != 1 || u.Roles[0].Name != models.RoleEditor {
			t.Errorf("the role given here was replaced: %+v", u.Roles)
		}
	})
	forEachSSOApp(t, nil, func(t *testing.T, app ssoApp) {
		browser := app.newBrowser()
		app.wantRefused(browser, app.signIn(browser, "gabi", "senha-da-gabi", "/"), http.StatusForbidden, "Peça a um administrador")
		app.wantNoUser("gabi")
	})
}

// Answers only a replay or tampering produce count against the address
// like wrong passwords; past the limit, sign-ins from it wait.
func TestSSOReplaysAreThrottled(t *testing.T) {
	limits := func(cfg *web.Config) {
		cfg.Throttle = auth.ThrottleLimits{PerAccount: 100, PerAddress: 3, Window: time.Minute}
	}
	app := newSSOApp(t, modelstest.SQLite(t), limits)
	browser := app.newBrowser()
	for range 3 {
		wantStatus(t, app.send(browser, http.MethodGet, "/auth/oidc/callback?code=x&state=y", "", "Accept", browserAccept), http.StatusBadRequest)
	}
	resp := app.send(browser, http.MethodGet, "/auth/oidc/login?next=/", "", "Accept", browserAccept)
	app.wantRefused(browser, resp, http.StatusTooManyRequests, "Tente de novo em 1 minuto")
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	// Refusals by policy (no role) do not count: a school behind one
	// address is not locked out by people who lack access.
	other := newSSOApp(t, modelstest.SQLite(t), limits)
	for range 4 {
		b := other.newBrowser()
		other.wantRefused(b, other.signIn(b, "vera", "senha-da-vera", "/"), http.StatusForbidden, "Peça a um administrador")
	}
}
