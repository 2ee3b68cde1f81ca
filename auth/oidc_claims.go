package auth

import (
	"net/http"
	"strings"

	"schooladmin/models"
)

// Refusals of a provider's return that only a stale tab, a replay or a
// tampered answer cause.
var (
	errBadState = &RefusedError{Status: http.StatusBadRequest, Suspicious: true, Audit: "retorno sem login pendente (state)",
		Message: "Este retorno do provedor de login não corresponde a um login começado neste navegador, " +
			"ou demorou mais de 10 minutos. Volte à página de login e entre de novo."}
	errBadCode = &RefusedError{Status: http.StatusBadRequest, Suspicious: true, Audit: "código inválido ou já usado",
		Message: "O provedor de login não confirmou esta entrada: o código de retorno é inválido ou já foi usado. " +
			"Volte à página de login e entre de novo."}
)

// badToken refuses an ID token that fails verification; why goes to the
// audit trail.
func badToken(why string) *RefusedError {
	return &RefusedError{Status: http.StatusBadRequest, Suspicious: true, Audit: why,
		Message: "A identidade enviada pelo provedor de login não pôde ser verificada (assinatura, validade ou destino). " +
			"Entre de novo; se continuar, avise o administrador do schooladmin."}
}

// providerDown is a provider that did not answer or answered nonsense.
func providerDown(cause error) *RefusedError {
	return &RefusedError{Status: http.StatusServiceUnavailable, Audit: "provedor indisponível", Cause: cause,
		Message: "Não foi possível falar com o provedor de login agora. Tente de novo em instantes."}
}

// providerRefused is the provider's own refusal (error=access_denied, ...):
// only its code is shown, the description being text anyone can put in a link.
func providerRefused(code string) *RefusedError {
	code = truncate(code, 64)
	return &RefusedError{Status: http.StatusForbidden, Audit: "o provedor recusou: " + code,
		Message: "O provedor de login não concluiu a entrada (" + code + "). Volte à página de login e entre de novo."}
}

// claimSet is the claims of an ID token merged with the userinfo answer.
type claimSet map[string]any

// lookup finds a claim; "a.b" reads claim b of object a (Keycloak's
// realm_access.roles), where no claim named "a.b" exists.
func (c claimSet) lookup(name string) (any, bool) {
	if v, ok := c[name]; ok || !strings.Contains(name, ".") {
		return v, ok
	}
	head, rest, _ := strings.Cut(name, ".")
	inner, ok := c[head].(map[string]any)
	if !ok {
		return nil, false
	}
	return claimSet(inner).lookup(rest)
}

// str is a string claim, "" when absent or of another type.
func (c claimSet) str(name string) string {
	s, _ := c[name].(string)
	return strings.TrimSpace(s)
}

// values is a claim as a list of strings: a list's strings, or a string
// alone.
func (c claimSet) values(name string) []string {
	v, _ := c.lookup(name)
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, item := range v {
			if s, ok := item.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// emailUnverified reports an e-mail the provider says it has not checked
// (email_verified false, or "false" as some send it); no claim is no
// objection (Microsoft Entra ID sends none).
func (c claimSet) emailUnverified() bool {
	switch v := c["email_verified"].(type) {
	case bool:
		return !v
	case string:
		return strings.EqualFold(v, "false")
	}
	return false
}

// person is who the claims name, if the configuration lets them in (an
// allowed e-mail domain), with the roles their claim maps to.
func (o *OIDC) person(c claimSet) (models.ExternalUser, error) {
	email := c.str("email")
	username := c.str("preferred_username")
	if username == "" {
		username = email
	}
	if username == "" || c.str("sub") == "" {
		return models.ExternalUser{}, &RefusedError{Status: http.StatusForbidden, Audit: "sem nome nem e-mail",
			Message: "O provedor de login não informou seu nome de usuário nem seu e-mail; confira os escopos pedidos (OIDC_SCOPES)." + askAdmin}
	}
	if len(o.cfg.AllowedDomains) > 0 {
		if err := o.checkDomain(c, email); err != nil {
			return models.ExternalUser{}, err
		}
	}
	// No roles claim at all (Google Workspace sends none): the default
	// role makes a new account, whose roles are then given here.
	_, asserted := c.lookup(o.cfg.RolesClaim)
	return models.ExternalUser{Source: models.SourceOIDC, Subject: c.str("sub"), Username: username, Email: email,
		Roles: o.cfg.RoleMap.Roles(c.values(o.cfg.RolesClaim), o.cfg.DefaultRole), KeepRoles: !asserted}, nil
}

// checkDomain lets in only a verified e-mail of an allowed domain.
func (o *OIDC) checkDomain(c claimSet, email string) error {
	_, domain, ok := strings.Cut(strings.ToLower(email), "@")
	allowed := strings.Join(o.cfg.AllowedDomains, ", ")
	switch {
	case !ok || !containsFold(o.cfg.AllowedDomains, domain):
		shown := email
		if shown == "" {
			shown = "(nenhum)"
		}
		return &RefusedError{Status: http.StatusForbidden, Audit: "domínio não permitido: " + truncate(shown, 100),
			Message: "O e-mail " + shown + " não é de um domínio aceito por este schooladmin (" + allowed + "). " +
				"Entre com a conta da escola."}
	case c.emailUnverified():
		return &RefusedError{Status: http.StatusForbidden, Audit: "e-mail não verificado",
			Message: "O provedor de login não confirmou o e-mail " + email + "." + askAdmin}
	}
	return nil
}
