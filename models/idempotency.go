package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// IdempotencyKey remembers the answer to a POST sent with an
// Idempotency-Key header, per user, so a client may retry safely.
type IdempotencyKey struct {
	UserID      int64     `gorm:"primaryKey;autoIncrement:false"`
	Key         string    `gorm:"primaryKey;size:255"`
	Fingerprint string    `gorm:"size:64;not null"` // SHA-256 of the request body
	Status      int       `gorm:"not null;default:0"`
	Location    string    `gorm:"size:255;not null;default:''"`
	Body        string    `gorm:"type:text"`
	CreatedAt   time.Time `gorm:"not null;index"`
}

// Pending reports whether the first request with this key is still running.
func (k IdempotencyKey) Pending() bool { return k.Status == 0 }

// StoredAnswer is the answer kept for replays.
type StoredAnswer struct {
	Status   int
	Location string
	Body     []byte
}

// IdempotencyStore keeps idempotency keys.
type IdempotencyStore struct{ db *gorm.DB }

// NewIdempotencyStore returns a store on db.
func NewIdempotencyStore(db *Database) *IdempotencyStore { return &IdempotencyStore{db: db.DB} }

// abandonedAfter is how long a key may stay pending before another request
// with it may take over (its first request died without an answer).
const abandonedAfter = time.Minute

// Begin claims key for a new request. It returns claimed=true when the
// caller should process the request; otherwise the stored row, which is
// pending (a concurrent duplicate) or holds the answer to replay.
func (s *IdempotencyStore) Begin(ctx context.Context, userID int64, key, fingerprint string) (IdempotencyKey, bool, error) {
	db := s.db.WithContext(ctx)
	row := IdempotencyKey{UserID: userID, Key: key, Fingerprint: fingerprint, CreatedAt: now()}
	res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return row, false, fmt.Errorf("claim idempotency key: %w", dbError(res.Error))
	}
	if res.RowsAffected == 1 {
		return row, true, nil
	}
	var stored IdempotencyKey
	if err := db.Where("user_id = ? AND `key` = ?", userID, key).First(&stored).Error; err != nil {
		return stored, false, fmt.Errorf("read idempotency key: %w", dbError(err))
	}
	if stored.Pending() && stored.CreatedAt.Before(now().Add(-abandonedAfter)) {
		take := db.Model(&IdempotencyKey{}).
			Where("user_id = ? AND `key` = ? AND status = 0 AND created_at = ?", userID, key, stored.CreatedAt).
			Updates(map[string]any{"fingerprint": fingerprint, "created_at": row.CreatedAt})
		if take.Error == nil && take.RowsAffected == 1 {
			return row, true, nil
		}
	}
	return stored, false, nil
}

// Finish stores the answer for key.
func (s *IdempotencyStore) Finish(ctx context.Context, userID int64, key string, a StoredAnswer) error {
	return finishIdempotency(s.db.WithContext(ctx), userID, key, a)
}

func finishIdempotency(db *gorm.DB, userID int64, key string, a StoredAnswer) error {
	res := db.Model(&IdempotencyKey{}).Where("user_id = ? AND `key` = ?", userID, key).
		Updates(map[string]any{"status": a.Status, "location": a.Location, "body": string(a.Body)})
	if res.Error != nil {
		return dbError(res.Error)
	}
	if res.RowsAffected != 1 {
		return errors.New("idempotency key vanished")
	}
	return nil
}

// Abandon forgets a claim with this fingerprint whose request failed on
// our side (it is still pending: no answer was stored), so the client's
// retry is processed afresh.
func (s *IdempotencyStore) Abandon(ctx context.Context, userID int64, key, fingerprint string) error {
	return dbError(s.db.WithContext(ctx).
		Where("user_id = ? AND `key` = ? AND status = 0 AND fingerprint = ?", userID, key, fingerprint).
		Delete(&IdempotencyKey{}).Error)
}

// Prune forgets keys older than before.
func (s *IdempotencyStore) Prune(ctx context.Context, before time.Time) error {
	return dbError(s.db.WithContext(ctx).Where("created_at < ?", before).Delete(&IdempotencyKey{}).Error)
}

// Idempotent asks a store's Create to store the answer under an
// idempotency key in the same transaction as the record, so a 201 and its
// replay record are written together or not at all.
type Idempotent[T any] struct {
	UserID int64
	Key    string
	Answer func(T) (StoredAnswer, error)
}

// finishAll stores the answers for created under every key of idem, in tx.
func finishAll[T any](tx *gorm.DB, created T, idem []Idempotent[T]) error {
	for _, id := range idem {
		answer, err := id.Answer(created)
		if err != nil {
			return err
		}
		if err := finishIdempotency(tx, id.UserID, id.Key, answer); err != nil {
			return err
		}
	}
	return nil
}
