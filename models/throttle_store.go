package models

import (
	"context"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// LoginFailureStore counts failed logins per key in the database, so that
// every replica sees the same counts.
type LoginFailureStore struct{ db *gorm.DB }

// NewLoginFailureStore returns a store on db.
func NewLoginFailureStore(db *Database) *LoginFailureStore { return &LoginFailureStore{db: db.DB} }

// maxKeyLength is the key column's size (LoginFailure.Key).
const maxKeyLength = 100

// storedKey is key as the column holds it: a key too long for the column
// (a login name is anything the client sends) is stored as the SHA-256 of
// the whole key, so it fits in strict mode and two long names sharing a
// beginning still count apart. Short keys stay readable.
func storedKey(key string) string {
	if utf8.RuneCountInString(key) <= maxKeyLength {
		return key
	}
	return "sha256:" + HashSecret(key)
}

// Recent returns the times of key's failures since since, oldest first.
func (s *LoginFailureStore) Recent(ctx context.Context, key string, since time.Time, limit int) ([]time.Time, error) {
	var times []time.Time
	err := s.db.WithContext(ctx).Model(&LoginFailure{}).Where("`key` = ? AND at >= ?", storedKey(key), since).
		Order("at DESC").Limit(limit).Pluck("at", &times).Error
	for i, j := 0, len(times)-1; i < j; i, j = i+1, j-1 {
		times[i], times[j] = times[j], times[i]
	}
	return times, dbError(err)
}

// Add records a failure now for each key, and forgets failures older than
// forgetBefore.
func (s *LoginFailureStore) Add(ctx context.Context, keys []string, forgetBefore time.Time) error {
	return transaction(ctx, s.db, func(tx *gorm.DB) error {
		at := now()
		rows := make([]LoginFailure, len(keys))
		for i, k := range keys {
			rows[i] = LoginFailure{Key: storedKey(k), At: at}
		}
		if err := tx.Create(&rows).Error; err != nil {
			return dbError(err)
		}
		return dbError(tx.Where("at < ?", forgetBefore).Delete(&LoginFailure{}).Error)
	})
}

// Clear forgets key's failures (after a successful login).
func (s *LoginFailureStore) Clear(ctx context.Context, key string) error {
	return dbError(s.db.WithContext(ctx).Where("`key` = ?", storedKey(key)).Delete(&LoginFailure{}).Error)
}
