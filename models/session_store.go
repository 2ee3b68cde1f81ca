package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// NewSecret returns a random URL-safe string of 32 bytes of entropy.
func NewSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails on Linux; the Go runtime panics rather than return weak bytes
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is the stored form of a session or token secret. The secrets
// are random, so a fast hash is enough: nothing to brute-force.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// SessionStore keeps logins on the server side.
type SessionStore struct{ db *gorm.DB }

// NewSessionStore returns a store on db.
func NewSessionStore(db *Database) *SessionStore { return &SessionStore{db: db.DB} }

// Create starts a session for user id and returns the secret for the cookie.
func (s *SessionStore) Create(ctx context.Context, userID int64) (string, error) {
	secret := NewSecret()
	t := now()
	err := s.db.WithContext(ctx).Create(&UserSession{IDHash: HashSecret(secret), UserID: userID, CreatedAt: t, LastSeenAt: t}).Error
	if err != nil {
		return "", fmt.Errorf("create session: %w", dbError(err))
	}
	return secret, nil
}

// Touch records activity on a session (for the idle timeout).
func (s *SessionStore) Touch(ctx context.Context, secret string) error {
	err := s.db.WithContext(ctx).Model(&UserSession{}).Where("id_hash = ?", HashSecret(secret)).
		UpdateColumn("last_seen_at", now()).Error
	return dbError(err)
}

// Delete ends one session.
func (s *SessionStore) Delete(ctx context.Context, secret string) error {
	return dbError(s.db.WithContext(ctx).Where("id_hash = ?", HashSecret(secret)).Delete(&UserSession{}).Error)
}

// Prune deletes sessions idle since before idleBefore or started before
// startedBefore.
func (s *SessionStore) Prune(ctx context.Context, idleBefore, startedBefore time.Time) error {
	err := s.db.WithContext(ctx).Where("last_seen_at < ? OR created_at < ?", idleBefore, startedBefore).Delete(&UserSession{}).Error
	return dbError(err)
}
