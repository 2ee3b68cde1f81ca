package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AccountLock says which failed logins lock an account: those recorded
// under Key since Since, once there are Limit of them. Package auth, which
// owns the throttling rules, fills it in.
type AccountLock struct {
	Key   string
	Limit int
	Since time.Time
}

// FailuresSince returns the times of the failures of each of keys since
// since, newest first; keys without failures are left out.
func (s *LoginFailureStore) FailuresSince(ctx context.Context, keys []string, since time.Time) (map[string][]time.Time, error) {
	out := map[string][]time.Time{}
	if len(keys) == 0 {
		return out, nil
	}
	var rows []LoginFailure
	err := s.db.WithContext(ctx).Select("`key`, at").Where("`key` IN ? AND at >= ?", keys, since).
		Order("at DESC").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("failed logins: %w", dbError(err))
	}
	for _, r := range rows {
		out[r.Key] = append(out[r.Key], r.At)
	}
	return out, nil
}

// Unlock forgets the failed logins of username's account (lock.Key), so
// they may log in again at once. It reports whether the account was
// locked; only then is the unlock audited.
func (s *LoginFailureStore) Unlock(ctx context.Context, actor Actor, username string, lock AccountLock) (bool, error) {
	var locked bool
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		var err error
		locked, err = unlockAccount(tx, actor, username, lock)
		return err
	})
	return locked, err
}

// ResetPassword is an administrator's SetPassword: it also unlocks the
// account, in the same transaction, and reports whether it was locked.
func (s *UserStore) ResetPassword(ctx context.Context, actor Actor, id int64, hash string, revokeTokens bool, lock AccountLock) (bool, error) {
	var locked bool
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		u, err := getUser(tx.Where("id = ?", id))
		if err != nil {
			return err
		}
		// SetPassword on this transaction runs in a savepoint of it
		if err := (&UserStore{db: tx}).SetPassword(ctx, actor, id, hash, revokeTokens); err != nil {
			return err
		}
		locked, err = unlockAccount(tx, actor, u.Username, lock)
		return err
	})
	return locked, err
}

func unlockAccount(tx *gorm.DB, actor Actor, username string, lock AccountLock) (bool, error) {
	var n int64
	if err := tx.Model(&LoginFailure{}).Where("`key` = ? AND at >= ?", lock.Key, lock.Since).Count(&n).Error; err != nil {
		return false, dbError(err)
	}
	if err := tx.Where("`key` = ?", lock.Key).Delete(&LoginFailure{}).Error; err != nil {
		return false, dbError(err)
	}
	if err := tx.Model(&User{}).Where("username = ?", username).UpdateColumn("failed_logins", 0).Error; err != nil {
		return false, dbError(err)
	}
	if n < int64(lock.Limit) {
		return false, nil
	}
	return true, recordAudit(tx, actor, "user.unlock", AuditUser, username, "conta desbloqueada", nil)
}
