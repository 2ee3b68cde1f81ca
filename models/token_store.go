package models

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// TokenPrefix starts every API token, so leaked tokens are easy to spot.
const TokenPrefix = "sa_"

// TokenStore keeps personal API tokens.
type TokenStore struct{ db *gorm.DB }

// NewTokenStore returns a store on db.
func NewTokenStore(db *Database) *TokenStore { return &TokenStore{db: db.DB} }

// Create makes a token of scope (ScopeStudents or ScopeAdmin; ""
// is ScopeStudents) for user id. The returned plain token is shown once;
// only its hash is stored. An admin-scope token for a user who does not
// manage users is ErrAdminScope.
func (s *TokenStore) Create(ctx context.Context, actor Actor, userID int64, name, scope string, expires *time.Time) (string, APIToken, error) {
	name = cleanText(name)
	if name == "" {
		name = "token"
	}
	if utf8.RuneCountInString(name) > 100 || !printable(name) {
		return "", APIToken{}, &ValidationError{Fields: map[string]string{"name": "O nome deve ter até 100 caracteres visíveis."}}
	}
	if expires != nil && !expires.After(time.Now()) {
		return "", APIToken{}, &ValidationError{Fields: map[string]string{"expires": "A validade deve estar no futuro."}}
	}
	if expires != nil {
		// stored like every time (see now): MariaDB keeps milliseconds
		e := expires.UTC().Truncate(time.Millisecond)
		expires = &e
	}
	plain := TokenPrefix + NewSecret()
	var t APIToken
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		scope, err := checkScope(tx, userID, scope)
		if err != nil {
			return err
		}
		t = APIToken{UserID: userID, Name: name, Scope: scope, Hash: HashSecret(plain), Prefix: plain[:10], ExpiresAt: expires}
		if err := tx.Create(&t).Error; err != nil {
			return dbError(err)
		}
		return recordAudit(tx, actor, "token.create", AuditToken, t.ID, scopeSummary(name, scope), nil)
	})
	if err != nil {
		return "", APIToken{}, fmt.Errorf("create token: %w", err)
	}
	return plain, t, nil
}

// Touch records the token's use; callers do it at most once a minute.
func (s *TokenStore) Touch(ctx context.Context, id int64) error {
	return dbError(s.db.WithContext(ctx).Model(&APIToken{}).Where("id = ?", id).UpdateColumn("last_used_at", now()).Error)
}

// ListForUser returns a user's tokens, newest first.
func (s *TokenStore) ListForUser(ctx context.Context, userID int64) ([]APIToken, error) {
	var ts []APIToken
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&ts).Error
	return ts, dbError(err)
}

// Revoke ends token id of user userID (a user revokes only their own).
func (s *TokenStore) Revoke(ctx context.Context, actor Actor, userID, id int64) error {
	return transaction(ctx, s.db, func(tx *gorm.DB) error {
		res := tx.Model(&APIToken{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, userID).UpdateColumn("revoked_at", now())
		if res.Error != nil {
			return dbError(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return recordAudit(tx, actor, "token.revoke", AuditToken, id, "", nil)
	})
}
