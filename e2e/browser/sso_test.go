package browser

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"schooladmin/auth"
	"schooladmin/auth/authtest"
	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
)

// startSSOApp serves the app with single sign-on through a real OpenID
// provider (auth/authtest), which knows ana, a teacher.
func startSSOApp(t *testing.T, db *models.Database) (*app, *authtest.Provider) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	op := authtest.StartProvider(t, base+"/auth/oidc/callback", authtest.Person{
		Username: "ana", Password: "senha-da-ana", Email: "ana@escola.edu.br", EmailVerified: true, Groups: []string{"professores"},
	})
	cfg := web.DefaultConfig
	cfg.OIDC = &auth.OIDCConfig{
		Issuer: op.Issuer, ClientID: op.ClientID, ClientSecret: op.ClientSecret, RedirectURL: base + "/auth/oidc/callback",
		Scopes: []string{"openid", "email", "profile"}, AllowedDomains: []string{"escola.edu.br"},
		RolesClaim: "groups", RoleMap: auth.RoleMap{"professores": models.RoleEditor},
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := web.New(cfg, db, []byte(strings.Repeat("k", 32)), log)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	ts.Config.Handler = srv.Echo
	ts.Start()
	t.Cleanup(ts.Close)
	return &app{URL: base, db: db, server: srv}, op
}

// A teacher signs in through the provider's own login page and lands on
// the page she asked for, logged in with the role her group gives; signing
// out ends the session here.
func TestSignInThroughTheOpenIDProvider(t *testing.T) {
	a, op := startSSOApp(t, modelstest.SQLite(t))
	p := newTab(t, startBrowser(t), a.URL)

	p.open("/turmas")
	if got := p.path(); got != "/login?next="+url.QueryEscape("/turmas") {
		t.Fatalf("signed out, /turmas led to %s", got)
	}
	if got := p.text(testid("login-sso")); got != "Entrar com login único (SSO)" {
		t.Errorf("the provider's button says %q", got)
	}
	p.click(testid("login-sso"))
	if loc := run(p, "location", chromedp.Location()); !strings.HasPrefix(loc, op.Issuer+"/login/username") {
		t.Fatalf("the button led to %s, not the provider's login page", loc)
	}
	p.fill("#username", "ana")
	p.fill("#password", "senha-da-ana")
	if status := p.click(`button[type="submit"]`); status != http.StatusOK || p.path() != "/turmas" {
		t.Fatalf("signing in at the provider led to %s (status %d), want /turmas", p.path(), status)
	}
	if got := p.text(testid("account-link")); got != "ana" {
		t.Errorf("the menu names %q", got)
	}
	u, err := models.NewUserStore(a.db).GetByUsername(t.Context(), "ana")
	if err != nil || len(u.Roles) != 1 || u.Roles[0].Name != models.RoleEditor {
		t.Errorf("ana's account: %+v %v", u, err)
	}

	p.click(testid("logout"))
	p.open("/turmas")
	if got := p.path(); !strings.HasPrefix(got, "/login") {
		t.Errorf("after signing out /turmas led to %s", got)
	}
}
