package main

import (
	"strings"
	"testing"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// A good single sign-on and directory configuration is read whole.
func TestIdentityConfig(t *testing.T) {
	cfg, err := loadConfig(env(map[string]string{
		"OIDC_ISSUER": "https://accounts.google.com", "OIDC_CLIENT_ID": "id", "OIDC_CLIENT_SECRET": "s",
		"OIDC_REDIRECT_URL": "https://escola.example/auth/oidc/callback", "OIDC_ALLOWED_DOMAINS": "Escola.edu.br, escola.sp.gov.br",
		"OIDC_ROLE_MAP": "professores=Editor, direcao=Admin", "OIDC_DEFAULT_ROLE": "Viewer",
		"LDAP_URL": "ldaps://dc1.escola.local", "LDAP_BIND_DN": "cn=svc,dc=escola,dc=local", "LDAP_BIND_PASSWORD": "x",
		"LDAP_USER_BASE": "ou=pessoas,dc=escola,dc=local", "LDAP_USER_FILTER": "(sAMAccountName=%s)",
		"LDAP_GROUP_ROLE_MAP": "CN=Professores,OU=Grupos,DC=escola,DC=local=Editor; direcao=Admin",
		"LOCAL_LOGIN":         "false",
	}))
	if err != nil {
		t.Fatal(err)
	}
	o, d := cfg.Web.OIDC, cfg.Web.Directory
	if o == nil || o.RolesClaim != "groups" || strings.Join(o.Scopes, " ") != "openid email profile" ||
		strings.Join(o.AllowedDomains, ",") != "escola.edu.br,escola.sp.gov.br" || o.DefaultRole != models.RoleViewer ||
		o.RoleMap.Roles([]string{"direcao"}, "")[0] != models.RoleAdmin {
		t.Errorf("OIDC: %+v", o)
	}
	if d == nil || d.UserFilter != "(sAMAccountName=%s)" ||
		d.RoleMap.Roles([]string{"cn=professores,ou=grupos,dc=escola,dc=local"}, "")[0] != models.RoleEditor {
		t.Errorf("LDAP: %+v", d)
	}
	if !cfg.Web.DisableLocalLogin {
		t.Error("LOCAL_LOGIN=false was not read")
	}
	if want := []string{models.RoleAdmin, models.RoleEditor, models.RoleViewer}; strings.Join(identityRoles(cfg), ",") != strings.Join(want, ",") {
		t.Errorf("roles to check: %v", identityRoles(cfg))
	}
	plain, err := loadConfig(env(nil))
	if err != nil || plain.Web.OIDC != nil || plain.Web.Directory != nil || plain.Web.DisableLocalLogin {
		t.Errorf("nothing set: %+v %v", plain.Web, err)
	}
}

// Each bad identity value gets a line of its own naming the variable.
func TestIdentityConfigErrors(t *testing.T) {
	oidc := map[string]string{"OIDC_ISSUER": "https://login.microsoftonline.com/t/v2.0", "OIDC_CLIENT_ID": "id",
		"OIDC_REDIRECT_URL": "https://escola.example/auth/oidc/callback", "OIDC_DEFAULT_ROLE": "Viewer"}
	with := func(base map[string]string, k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range base {
			m[a] = b
		}
		m[k] = v
		return m
	}
	cases := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"OIDC_CLIENT_ID": "id"}, "OIDC_ISSUER"},
		{with(oidc, "OIDC_ISSUER", "accounts.google.com"), "OIDC_ISSUER"},
		{with(oidc, "OIDC_CLIENT_ID", ""), "OIDC_CLIENT_ID"},
		{with(oidc, "OIDC_REDIRECT_URL", "https://escola.example/callback"), "OIDC_REDIRECT_URL"},
		{with(oidc, "OIDC_ROLE_MAP", "professores"), "OIDC_ROLE_MAP"},
		{with(oidc, "OIDC_ALLOWED_DOMAINS", "@escola.edu.br"), "OIDC_ALLOWED_DOMAINS"},
		{with(oidc, "OIDC_DEFAULT_ROLE", ""), "nobody could sign in"},
		{map[string]string{"LDAP_URL": "http://dc1", "LDAP_USER_BASE": "dc=x", "LDAP_DEFAULT_ROLE": "Viewer"}, "LDAP_URL"},
		{map[string]string{"LDAP_URL": "ldaps://dc1", "LDAP_DEFAULT_ROLE": "Viewer"}, "LDAP_USER_BASE"},
		{map[string]string{"LDAP_URL": "ldaps://dc1", "LDAP_USER_BASE": "dc=x", "LDAP_USER_FILTER": "(uid=ana)", "LDAP_DEFAULT_ROLE": "Viewer"}, "LDAP_USER_FILTER"},
		{map[string]string{"LDAP_URL": "ldaps://dc1", "LDAP_USER_BASE": "dc=x", "LDAP_GROUP_ROLE_MAP": "professores"}, "LDAP_GROUP_ROLE_MAP"},
		{map[string]string{"LDAP_BIND_DN": "cn=svc"}, "LDAP_URL"},
		{map[string]string{"LOCAL_LOGIN": "false"}, "LOCAL_LOGIN"},
		{map[string]string{"LOCAL_LOGIN": "talvez"}, "LOCAL_LOGIN"},
	}
	for _, tc := range cases {
		_, err := loadConfig(env(tc.vars))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error about %s", tc.vars, err, tc.want)
		}
	}
	// Two bad values, two lines; secrets never shown.
	_, err := loadConfig(env(map[string]string{"OIDC_ISSUER": "nope", "OIDC_CLIENT_SECRET": "s3cret", "DB_WAIT": "soon",
		"LDAP_URL": "ldaps://dc1", "LDAP_BIND_PASSWORD": "s3cret"}))
	if err == nil || strings.Count(err.Error(), "\n") < 2 || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("several bad values: %v", err)
	}
}

// A role map naming a role that does not exist stops the start, naming it.
func TestIdentityRolesMustExist(t *testing.T) {
	db := modelstest.SQLite(t)
	cfg, err := loadConfig(env(map[string]string{"LDAP_URL": "ldaps://dc1", "LDAP_USER_BASE": "dc=x",
		"LDAP_GROUP_ROLE_MAP": "professores=Editor;direcao=Diretoria", "LDAP_DEFAULT_ROLE": "Viewer"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := checkIdentityRoles(t.Context(), cfg, db); err == nil || !strings.Contains(err.Error(), "exist: Diretoria") {
		t.Errorf("an unknown role: %v", err)
	}
	cfg.Web.Directory.RoleMap = auth.RoleMap{"professores": models.RoleEditor}
	if err := checkIdentityRoles(t.Context(), cfg, db); err != nil {
		t.Errorf("known roles: %v", err)
	}
}
