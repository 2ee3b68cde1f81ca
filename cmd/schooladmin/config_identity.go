package main

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/web"
)

// readIdentity reads how people sign in besides local passwords: single
// sign-on (OIDC_*), the directory (LDAP_*) and LOCAL_LOGIN.
func readIdentity(env *envReader, w *web.Config) {
	w.OIDC = readOIDC(env)
	w.Directory = readDirectory(env)
	w.DisableLocalLogin = !env.boolean("LOCAL_LOGIN", true)
	if w.DisableLocalLogin && w.OIDC == nil && w.Directory == nil {
		env.problem("LOCAL_LOGIN", "false needs OIDC_ISSUER or LDAP_URL, else nobody could log in "+
			"(the command line still manages users)")
	}
}

// readOIDC reads the OpenID Connect provider; nil when OIDC_ISSUER is unset.
func readOIDC(env *envReader) *auth.OIDCConfig {
	issuer := env.str("OIDC_ISSUER", "")
	if issuer == "" {
		for _, name := range []string{"OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_REDIRECT_URL", "OIDC_ROLE_MAP"} {
			if env.str(name, "") != "" {
				env.problem("OIDC_ISSUER", "unset, but %s is set: name the provider (e.g. https://accounts.google.com)", name)
				return nil
			}
		}
		return nil
	}
	cfg := &auth.OIDCConfig{
		Issuer: issuer, ClientID: env.str("OIDC_CLIENT_ID", ""), ClientSecret: env.str("OIDC_CLIENT_SECRET", ""),
		RedirectURL: env.str("OIDC_REDIRECT_URL", ""), RolesClaim: env.str("OIDC_ROLES_CLAIM", "groups"),
		DefaultRole: env.str("OIDC_DEFAULT_ROLE", ""), Scopes: strings.Fields(env.str("OIDC_SCOPES", "openid email profile")),
	}
	if !webURL(issuer, true) {
		env.fail("OIDC_ISSUER", issuer, "the provider's https:// address, e.g. https://accounts.google.com")
	}
	if cfg.ClientID == "" {
		env.problem("OIDC_CLIENT_ID", "unset: the provider gives it when the application is registered")
	}
	if u, err := url.Parse(cfg.RedirectURL); !webURL(cfg.RedirectURL, false) || err != nil || u.Path != "/auth/oidc/callback" {
		env.fail("OIDC_REDIRECT_URL", cfg.RedirectURL, "this site's https://HOST/auth/oidc/callback, as registered at the provider")
	}
	for _, d := range env.list("OIDC_ALLOWED_DOMAINS") {
		if d = strings.ToLower(d); strings.ContainsAny(d, "@/ ") || !strings.Contains(d, ".") {
			env.fail("OIDC_ALLOWED_DOMAINS", d, "comma-separated e-mail domains such as escola.edu.br")
			continue
		}
		cfg.AllowedDomains = append(cfg.AllowedDomains, d)
	}
	cfg.RoleMap = roleMap(env, "OIDC_ROLE_MAP", ",", "comma-separated value=Role pairs such as professores=Editor,direcao=Admin")
	if len(cfg.RoleMap) == 0 && cfg.DefaultRole == "" {
		env.problem("OIDC_ROLE_MAP", "and OIDC_DEFAULT_ROLE are both unset: nobody could sign in with the provider")
	}
	return cfg
}

// readDirectory reads the LDAP directory; nil when LDAP_URL is unset.
func readDirectory(env *envReader) *auth.DirectoryConfig {
	cfg := &auth.DirectoryConfig{
		URL: env.str("LDAP_URL", ""), BindDN: env.str("LDAP_BIND_DN", ""), BindPassword: env.getenv("LDAP_BIND_PASSWORD"),
		UserBase: env.str("LDAP_USER_BASE", ""), UserFilter: env.str("LDAP_USER_FILTER", "(uid=%s)"),
		GroupBase: env.str("LDAP_GROUP_BASE", ""), DefaultRole: env.str("LDAP_DEFAULT_ROLE", ""),
	}
	if cfg.URL == "" {
		for _, name := range []string{"LDAP_BIND_DN", "LDAP_USER_BASE", "LDAP_GROUP_ROLE_MAP"} {
			if env.str(name, "") != "" {
				env.problem("LDAP_URL", "unset, but %s is set: name the directory (e.g. ldaps://dc1.escola.local)", name)
				return nil
			}
		}
		return nil
	}
	if cfg.UserBase == "" {
		env.problem("LDAP_USER_BASE", "unset: where people are searched, e.g. ou=pessoas,dc=escola,dc=local")
	}
	cfg.RoleMap = roleMap(env, "LDAP_GROUP_ROLE_MAP", ";", "semicolon-separated GROUP=Role pairs, "+
		"the group a DN or a cn, such as cn=professores,ou=grupos,dc=escola,dc=local=Editor;direcao=Admin")
	if len(cfg.RoleMap) == 0 && cfg.DefaultRole == "" {
		env.problem("LDAP_GROUP_ROLE_MAP", "and LDAP_DEFAULT_ROLE are both unset: nobody could sign in with the directory")
	}
	if _, err := auth.NewDirectory(*cfg); err != nil {
		name := "LDAP_URL"
		if strings.Contains(err.Error(), "filter") {
			name = "LDAP_USER_FILTER"
		}
		env.problem(name, "%v", err)
	}
	return cfg
}

// roleMap reads a value=Role map separated by sep.
func roleMap(env *envReader, name, sep, want string) auth.RoleMap {
	v := env.str(name, "")
	m, err := auth.ParseRoleMap(v, sep)
	if err != nil {
		env.fail(name, v, want)
	}
	return m
}

// webURL reports whether s is an absolute https:// URL, or http:// to
// this machine (a provider or site under test).
func webURL(s string, noQuery bool) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || noQuery && (u.RawQuery != "" || u.Fragment != "") {
		return false
	}
	local := u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1" || u.Hostname() == "::1"
	return u.Scheme == "https" || u.Scheme == "http" && local
}

// identityRoles lists the roles the identity settings give, which must
// exist in the database.
func identityRoles(cfg config) []string {
	var roles []string
	if o := cfg.Web.OIDC; o != nil {
		roles = append(append(roles, o.RoleMap.RoleNames()...), o.DefaultRole)
	}
	if d := cfg.Web.Directory; d != nil {
		roles = append(append(roles, d.RoleMap.RoleNames()...), d.DefaultRole)
	}
	roles = slices.DeleteFunc(roles, func(r string) bool { return r == "" })
	return slices.Compact(slices.Sorted(slices.Values(roles)))
}

// checkIdentityRoles refuses to start when a role map or default role
// names a role the database does not have: every sign-in it gives would
// be refused.
func checkIdentityRoles(ctx context.Context, cfg config, db *models.Database) error {
	unknown, err := models.NewRoleStore(db).Unknown(ctx, identityRoles(cfg))
	if err != nil || len(unknown) == 0 {
		return err
	}
	return fmt.Errorf("OIDC_ROLE_MAP, OIDC_DEFAULT_ROLE, LDAP_GROUP_ROLE_MAP or LDAP_DEFAULT_ROLE name roles that do not exist: %s "+
		"(names are spelled as on the roles screen, e.g. Admin, Editor, Viewer)", strings.Join(unknown, ", "))
}
