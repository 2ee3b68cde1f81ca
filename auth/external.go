package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"schooladmin/models"
)

// Sign-in methods, as the audit trail records them in a login's summary.
const (
	MethodPassword = "senha" // a password kept in schooladmin
	MethodOIDC     = "oidc"  // an OpenID Connect provider
	MethodLDAP     = "ldap"  // a password checked by the directory
)

// MethodOf is how user u signs in with a password: against the directory
// for a directory user, else against the hash kept here.
func MethodOf(u models.User) string {
	if u.Source == models.SourceLDAP {
		return MethodLDAP
	}
	return MethodPassword
}

// RefusedError is a sign-in refused with a reason the person can act on:
// the provider or directory vouched for them (or the exchange with it
// failed), and the page says why. Audit is the short reason for the audit
// trail; Status the HTTP status of the page.
type RefusedError struct {
	Status  int
	Message string // Portuguese, for the page
	Audit   string // Portuguese, a few words for the audit trail
	// Suspicious marks a refusal that only a replay, a tampered answer or
	// a stale tab causes (not a policy), counted like a wrong password
	// against the client address.
	Suspicious bool
	Cause      error // what went wrong underneath, for the log
}

func (e *RefusedError) Error() string {
	if e.Cause != nil {
		return "sign-in refused: " + e.Audit + ": " + e.Cause.Error()
	}
	return "sign-in refused: " + e.Audit
}

// Unwrap returns the cause.
func (e *RefusedError) Unwrap() error { return e.Cause }

// askAdmin ends every "no access" message: the person cannot fix it alone.
const askAdmin = " Peça a um administrador do schooladmin da sua escola que libere o seu acesso."

// errNoRole refuses a person the provider vouched for who holds none of
// the groups that give a role, when there is no default role.
var errNoRole = &RefusedError{Status: http.StatusForbidden, Audit: "sem papel",
	Message: "Sua conta foi reconhecida, mas não faz parte de nenhum grupo que dê acesso ao schooladmin." + askAdmin}

// RoleMap maps a provider's group or role values to role names. Keys are
// compared without regard to case; a key that is a distinguished name
// (cn=professores,ou=grupos,...) is compared as one, ignoring spaces
// after commas.
type RoleMap map[string]string

// ParseRoleMap reads "value=Role" pairs separated by sep. The role is
// after the last "=", so a value may be a distinguished name.
func ParseRoleMap(s, sep string) (RoleMap, error) {
	m := RoleMap{}
	for pair := range strings.SplitSeq(s, sep) {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		i := strings.LastIndex(pair, "=")
		value, role := strings.TrimSpace(pair[:max(i, 0)]), strings.TrimSpace(pair[i+1:])
		if i < 0 || value == "" || role == "" {
			return nil, fmt.Errorf("%q is not a value=Role pair", pair)
		}
		m[foldGroup(value)] = role
	}
	return m, nil
}

// Roles are the roles values map to, sorted; fallback (a role name, or
// "" for none) when none does.
func (m RoleMap) Roles(values []string, fallback string) []string {
	var roles []string
	for _, v := range values {
		if role, ok := m[foldGroup(v)]; ok {
			roles = append(roles, role)
		}
	}
	if len(roles) == 0 && fallback != "" {
		roles = []string{fallback}
	}
	return slices.Compact(slices.Sorted(slices.Values(roles)))
}

// RoleNames lists the roles the map gives, for checking they exist.
func (m RoleMap) RoleNames() []string {
	var names []string
	for _, r := range m {
		names = append(names, r)
	}
	return slices.Compact(slices.Sorted(slices.Values(names)))
}

// foldGroup puts a group value in the form keys are compared in: lower
// case, and a distinguished name without spaces around its separators.
func foldGroup(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if !strings.Contains(v, "=") {
		return v
	}
	parts := strings.Split(v, ",")
	for i, p := range parts {
		k, val, _ := strings.Cut(p, "=")
		parts[i] = strings.TrimSpace(k) + "=" + strings.TrimSpace(val)
	}
	return strings.Join(parts, ",")
}

// SignInExternal lets in a person a provider vouched for: their account is
// made or brought in step (models.UserStore.SyncExternal), and refused
// with a reason when it belongs to someone else, is disabled, or the
// change would leave no administrator.
func (l *Login) SignInExternal(ctx context.Context, eu models.ExternalUser, ip string) (models.User, error) {
	if len(eu.Roles) == 0 && !l.holdsARole(ctx, eu) {
		return models.User{}, errNoRole
	}
	u, err := l.Users.SyncExternal(ctx, models.Actor{Username: models.CleanUsername(eu.Username), IP: ip}, eu)
	var verr *models.ValidationError
	switch {
	case errors.Is(err, models.ErrOtherAccount):
		return models.User{}, &RefusedError{Status: http.StatusConflict, Audit: "conta de outra origem",
			Message: "Já existe no schooladmin outra conta chamada " + models.CleanUsername(eu.Username) +
				", que não foi criada por este login; ela não é usada por ele." + askAdmin}
	case errors.Is(err, models.ErrLastAdmin):
		return models.User{}, &RefusedError{Status: http.StatusConflict, Audit: "deixaria o sistema sem administrador",
			Message: "Seus grupos mudaram e tirariam do schooladmin o último administrador ativo; nada foi alterado." + askAdmin}
	case errors.As(err, &verr) && verr.Fields["roles"] != "":
		return models.User{}, &RefusedError{Status: http.StatusForbidden, Audit: "papel inexistente",
			Message: "Seus grupos dão um papel que não existe no schooladmin (" + strings.Join(eu.Roles, ", ") + ")." + askAdmin}
	case errors.As(err, &verr):
		return models.User{}, &RefusedError{Status: http.StatusForbidden, Audit: "nome de usuário inválido",
			Message: "O nome de usuário " + eu.Username + " não é aceito pelo schooladmin (até 64 letras sem acento, " +
				"números, ponto, hífen, sublinhado ou @)." + askAdmin}
	case err != nil:
		return models.User{}, err
	}
	if eu.KeepRoles && len(u.Roles) == 0 {
		return models.User{}, errNoRole // every role taken away here
	}
	if !u.Active {
		return models.User{}, &RefusedError{Status: http.StatusForbidden, Audit: "conta desativada",
			Message: "Sua conta no schooladmin está desativada." + askAdmin}
	}
	return u, l.Users.RecordLogin(ctx, u.ID, false)
}

// holdsARole reports whether a provider that says nothing of groups
// (KeepRoles) signs in someone whose account here has a role.
func (l *Login) holdsARole(ctx context.Context, eu models.ExternalUser) bool {
	if !eu.KeepRoles {
		return false
	}
	u, err := l.Users.GetByUsername(ctx, eu.Username)
	return err == nil && len(u.Roles) > 0
}
