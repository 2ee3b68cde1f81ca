package web_test

import (
	"net/http"
	"strings"
	"testing"

	"schooladmin/auth"
	"schooladmin/auth/authtest"
	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
)

// ldapPeople are the test directory's people: a teacher, someone in no
// group that gives a role, and a namesake of the local admin.
var ldapPeople = []authtest.DirectoryPerson{
	{UID: "ana", Password: "senha-da-ana", Mail: "ana@escola.test", Groups: []string{"professores"}},
	{UID: "vera", Password: "senha-da-vera", Groups: []string{"visitantes"}},
	{UID: "admin", Password: "senha-do-admin-no-diretorio", Groups: []string{"professores"}},
}

// forEachLDAPApp runs fn on each database with the app checking passwords
// against one private slapd (over StartTLS).
func forEachLDAPApp(t *testing.T, change func(*web.Config), fn func(t *testing.T, app *testApp)) {
	slapd := authtest.StartSlapd(t, ldapPeople...)
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		cfg := web.DefaultConfig
		cfg.Directory = &auth.DirectoryConfig{
			URL: slapd.URL + "?starttls=true", BindDN: slapd.BindDN, BindPassword: slapd.BindPassword,
			UserBase: slapd.People, UserFilter: "(uid=%s)", RootCAs: slapd.RootCAs,
			RoleMap: auth.RoleMap{slapd.GroupDN("professores"): models.RoleEditor},
		}
		if change != nil {
			change(&cfg)
		}
		fn(t, newTestAppWith(t, db, cfg))
	})
}

func TestDirectoryLoginCreatesTheUserAndIsAudited(t *testing.T) {
	forEachLDAPApp(t, nil, func(t *testing.T, app *testApp) {
		_, doc := app.pageAs(app.newBrowser(), "/login")
		if hint := doc.Find(`[data-testid="login-hint"]`).Text(); !strings.Contains(hint, "rede da escola") {
			t.Errorf("the login form does not say whose password it takes: %q", hint)
		}
		browser := app.newBrowser()
		resp := app.submitLogin(browser, "Ana", "senha-da-ana", "/turmas")
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/turmas" {
			t.Errorf("sent to %q", loc)
		}
		u, err := models.NewUserStore(app.db).GetByUsername(t.Context(), "ana")
		if err != nil || u.Source != models.SourceLDAP || u.Email != "ana@escola.test" || len(u.Roles) != 1 || u.Roles[0].Name != models.RoleEditor {
			t.Fatalf("the account made: %+v %v", u, err)
		}
		_, doc = app.page("/admin/audit?action=login.success&actor=ana")
		if got := auditRow(doc, "login.success").Find(`[data-testid="audit-summary"]`).Text(); got != "Com diretório da escola (LDAP)" {
			t.Errorf("the audit shows the login as %q", got)
		}
		// The local administrator still signs in with the password kept
		// here, not the directory's namesake.
		wantStatus(t, app.submitLogin(app.newBrowser(), "admin", "senha-do-admin-no-diretorio", "/"), http.StatusUnauthorized)
		wantStatus(t, app.submitLogin(app.newBrowser(), "admin", testPassword, "/"), http.StatusSeeOther)
		_, doc = app.page("/admin/audit?action=login.success&actor=admin")
		if got := auditRow(doc, "login.success").Find(`[data-testid="audit-summary"]`).Text(); got != "Com senha do schooladmin" {
			t.Errorf("the audit shows a local login as %q", got)
		}
	})
}

func TestDirectoryLoginRefusals(t *testing.T) {
	forEachLDAPApp(t, nil, func(t *testing.T, app *testApp) {
		for _, tc := range []struct{ user, password string }{
			{"ana", "senha-errada"}, {"zeca", "senha-da-ana"}, {"*)(uid=*", "senha-da-ana"}, {"an*", "senha-da-ana"}, {"ana", ""},
		} {
			resp := app.submitLogin(app.newBrowser(), tc.user, tc.password, "/")
			wantStatus(t, resp, http.StatusUnauthorized)
			if msg := parseHTML(t, resp).Find(`[data-testid="login-error"]`).Text(); msg != "Usuário ou senha incorretos." {
				t.Errorf("%q: %q", tc.user, msg)
			}
		}
		resp := app.submitLogin(app.newBrowser(), "vera", "senha-da-vera", "/")
		wantStatus(t, resp, http.StatusForbidden)
		if msg := parseHTML(t, resp).Find(`[data-testid="login-error"]`).Text(); !strings.Contains(msg, "não faz parte de nenhum grupo") {
			t.Errorf("someone in no mapped group is told %q", msg)
		}
		if _, err := models.NewUserStore(app.db).GetByUsername(t.Context(), "vera"); err == nil {
			t.Error("an account was made for someone with no role")
		}
		_, doc := app.page("/admin/audit?action=login.failure")
		if got := auditRow(doc, "login.failure").Find(`[data-testid="audit-summary"]`).Text(); got != "Com diretório da escola (LDAP); motivo: sem papel" {
			t.Errorf("the audit shows the refusal as %q", got)
		}
	})
}

// Wrong directory passwords lock the account like local ones.
func TestDirectoryLoginIsThrottled(t *testing.T) {
	forEachLDAPApp(t, nil, func(t *testing.T, app *testApp) {
		for range auth.DefaultThrottle.PerAccount {
			wantStatus(t, app.submitLogin(app.newBrowser(), "ana", "senha-errada", "/"), http.StatusUnauthorized)
		}
		wantStatus(t, app.submitLogin(app.newBrowser(), "ana", "senha-da-ana", "/"), http.StatusTooManyRequests)
	})
}

func TestDirectoryDownIsSaidOnTheForm(t *testing.T) {
	down := func(cfg *web.Config) { cfg.Directory.URL = "ldap://127.0.0.1:1" }
	forEachLDAPApp(t, down, func(t *testing.T, app *testApp) {
		resp := app.submitLogin(app.newBrowser(), "ana", "senha-da-ana", "/")
		wantStatus(t, resp, http.StatusServiceUnavailable)
		if msg := parseHTML(t, resp).Find(`[data-testid="login-error"]`).Text(); !strings.Contains(msg, "diretório da escola não respondeu") {
			t.Errorf("a directory down is told as %q", msg)
		}
	})
}

// With LOCAL_LOGIN=false the form takes the directory's passwords only.
func TestDirectoryLoginWithoutLocalPasswords(t *testing.T) {
	noLocal := func(cfg *web.Config) { cfg.DisableLocalLogin = true }
	forEachLDAPApp(t, noLocal, func(t *testing.T, app *testApp) {
		wantStatus(t, app.submitLogin(app.newBrowser(), "admin", testPassword, "/"), http.StatusUnauthorized)
		wantStatus(t, app.submitLogin(app.newBrowser(), "ana", "senha-da-ana", "/"), http.StatusSeeOther)
	})
}
