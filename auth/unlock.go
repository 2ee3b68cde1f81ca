package auth

import (
	"context"
	"time"

	"schooladmin/models"
)

// accountLock is what locks username's account under l's limits now.
func (l *Login) accountLock(username string) models.AccountLock {
	return models.AccountLock{Key: accountKey(username), Limit: l.Limits.PerAccount, Since: time.Now().Add(-l.Limits.Window)}
}

// LockedUntil returns, for each of usernames whose account failed logins
// have locked, when the lock ends by itself (as Attempt computes it: when
// the oldest of the last PerAccount failures leaves the window).
func (l *Login) LockedUntil(ctx context.Context, usernames []string) (map[string]time.Time, error) {
	keys := make([]string, len(usernames))
	for i, u := range usernames {
		keys[i] = accountKey(u)
	}
	failures, err := l.Failures.FailuresSince(ctx, keys, time.Now().Add(-l.Limits.Window))
	if err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	for i, u := range usernames {
		if times := failures[keys[i]]; len(times) >= l.Limits.PerAccount {
			out[u] = times[l.Limits.PerAccount-1].Add(l.Limits.Window)
		}
	}
	return out, nil
}

// Unlock lets username log in again at once, forgetting their account's
// failed logins (not their address's). It reports whether the account was
// locked; only then is the unlock audited.
func (l *Login) Unlock(ctx context.Context, actor models.Actor, username string) (bool, error) {
	return l.Failures.Unlock(ctx, actor, models.CleanUsername(username), l.accountLock(username))
}

// ResetPassword stores an administrator's new password hash for u, which
// ends u's sessions (and, with revokeTokens, stops u's API tokens) and
// unlocks the account; it reports whether the account was locked.
func (l *Login) ResetPassword(ctx context.Context, actor models.Actor, u models.User, hash string, revokeTokens bool) (bool, error) {
	return l.Users.ResetPassword(ctx, actor, u.ID, hash, revokeTokens, l.accountLock(u.Username))
}
