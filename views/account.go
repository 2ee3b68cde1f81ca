package views

import (
	"strconv"
	"time"

	"schooladmin/models"
)

// AccountView is the view model of the caller's own account page.
type AccountView struct {
	User           models.User
	Tokens         []models.APIToken
	Now            time.Time         // for each token's status
	PasswordErrors map[string]string // errors of the change-password form
	TokenErrors    map[string]string // errors of the new-token form
	TokenName      string            // what was typed in the new-token form
	TokenDays      string
	TokenScope     string // the scope chosen in the new-token form
	// CanAdminScope offers admin-scope tokens (the user manages users).
	CanAdminScope bool
	// RevokeTokens ticks "revoke my API tokens" in the password form.
	RevokeTokens bool
	// NewToken is a token just created, shown this once.
	NewToken string
}

// ScopeLabel names a token's scope in Portuguese.
func ScopeLabel(scope string) string {
	if scope == models.ScopeAdmin {
		return "administração"
	}
	return "alunos e turmas"
}

// TokenStatus says whether a token still works, in Portuguese.
func (v AccountView) TokenStatus(t models.APIToken) string {
	switch {
	case t.RevokedAt != nil:
		return "revogado em " + TimeOrDash(t.RevokedAt)
	case t.ExpiresAt != nil && !v.Now.Before(*t.ExpiresAt):
		return "expirado"
	}
	return "ativo"
}

// TokenRevocable reports whether the token can still be revoked.
func (v AccountView) TokenRevocable(t models.APIToken) bool { return v.TokenStatus(t) == "ativo" }

// TokenRevokeURL is where a token's revoke button posts.
func TokenRevokeURL(t models.APIToken) string {
	return "/account/tokens/" + strconv.FormatInt(t.ID, 10) + "/revoke"
}
