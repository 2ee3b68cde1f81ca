package models

import (
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// Token scopes bound what an API token reaches, on top of its user's
// permissions: a leaked token of an administrator should not be a way to
// create administrators.
const (
	// ScopeStudents reaches the student (and turma) routes only; the default.
	ScopeStudents = "students"
	// ScopeAdmin reaches every route its user may use, users and roles
	// included; only a user holding PermManageUsers may hold one.
	ScopeAdmin = "admin"
)

// ErrAdminScope means an admin-scope token was asked for a user who does
// not hold PermManageUsers.
var ErrAdminScope = errors.New("only a user who manages users may hold an admin-scope token")

// checkScope validates a token's scope ("" is ScopeStudents) for user
// userID and returns it.
func checkScope(tx *gorm.DB, userID int64, scope string) (string, error) {
	switch scope {
	case "", ScopeStudents:
		return ScopeStudents, nil
	case ScopeAdmin:
		ok, err := holdsPermission(tx, userID, PermManageUsers)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", ErrAdminScope
		}
		return ScopeAdmin, nil
	}
	return "", &ValidationError{Fields: map[string]string{"scope": "Escopo inválido: escolha alunos (students) ou administração (admin)."}}
}

// usersHolding is the subquery of the ids of users holding a permission.
const usersHolding = `SELECT ur.user_id FROM user_roles ur
	JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE rp.permission = ?`

func holdsPermission(tx *gorm.DB, userID int64, permission string) (bool, error) {
	var n int64
	err := tx.Model(&User{}).Where("id = ? AND id IN ("+usersHolding+")", userID, permission).Count(&n).Error
	return n > 0, dbError(err)
}

// revokeTokens revokes the live tokens matching the condition, auditing
// each with reason as its summary.
func revokeTokens(tx *gorm.DB, actor Actor, reason string, query string, args ...any) error {
	var ids []int64
	live := tx.Model(&APIToken{}).Where("revoked_at IS NULL").Where(query, args...)
	if err := live.Pluck("id", &ids).Error; err != nil {
		return dbError(err)
	}
	if len(ids) == 0 {
		return nil
	}
	if err := tx.Model(&APIToken{}).Where("id IN ?", ids).UpdateColumn("revoked_at", now()).Error; err != nil {
		return dbError(err)
	}
	for _, id := range ids {
		if err := recordAudit(tx, actor, "token.revoke", AuditToken, id, reason, nil); err != nil {
			return err
		}
	}
	return nil
}

// revokeUnentitledAdminTokens revokes the admin-scope tokens of users who
// no longer manage users (a role taken away or changed), so giving the
// permission back later does not revive a token minted under it.
func revokeUnentitledAdminTokens(tx *gorm.DB, actor Actor) error {
	return revokeTokens(tx, actor, "revogado: o dono não administra mais usuários",
		"scope = ? AND user_id NOT IN ("+usersHolding+")", ScopeAdmin, PermManageUsers)
}

// endAccess ends what a user update took away: every session and token
// of a user no longer active, and admin-scope tokens of anyone who no
// longer manages users.
func endAccess(tx *gorm.DB, actor Actor, id int64, active bool) error {
	if !active {
		if err := tx.Where("user_id = ?", id).Delete(&UserSession{}).Error; err != nil {
			return dbError(err)
		}
		if err := revokeTokens(tx, actor, "revogado: usuário desativado", "user_id = ?", id); err != nil {
			return err
		}
	}
	return revokeUnentitledAdminTokens(tx, actor)
}

// scopeSummary is a token's audit summary: its name and scope.
func scopeSummary(name, scope string) string { return fmt.Sprintf("%s (escopo %s)", name, scope) }
