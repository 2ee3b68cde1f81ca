package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"schooladmin/models"
)

// ThrottleLimits are the brute-force limits: more failures than these
// within Window lock further attempts until the oldest ages out.
type ThrottleLimits struct {
	PerAccount int
	PerAddress int
	Window     time.Duration
}

// DefaultThrottle: 5 failures per account or 20 per client address in
// 15 minutes.
var DefaultThrottle = ThrottleLimits{PerAccount: 5, PerAddress: 20, Window: 15 * time.Minute}

// LockedError says how long until logins may be tried again.
type LockedError struct{ RetryAfter time.Duration }

func (e *LockedError) Error() string { return fmt.Sprintf("login locked for %s", e.RetryAfter) }

// ErrBadCredentials is the one answer for an unknown user, a wrong
// password and a disabled account: nothing tells them apart.
var ErrBadCredentials = errors.New("bad credentials")

// Login checks passwords with brute-force throttling kept in the database.
type Login struct {
	Users    *models.UserStore
	Failures *models.LoginFailureStore
	Hasher   *Hasher
	Limits   ThrottleLimits
}

func accountKey(username string) string { return "user:" + strings.ToLower(username) }
func addressKey(ip string) string       { return "ip:" + ip }

// Attempt checks username and password from client address ip. It returns
// the user, a *LockedError, ErrBadCredentials, or another error.
func (l *Login) Attempt(ctx context.Context, username, password, ip string) (models.User, error) {
	username = models.CleanUsername(username)
	if err := l.checkLocked(ctx, username, ip); err != nil {
		return models.User{}, err
	}
	u, err := l.Users.GetByUsername(ctx, username)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return models.User{}, err
	}
	ok, err := l.Hasher.Verify(ctx, password, u.PasswordHash) // "" for unknown users: dummy hash
	if err != nil {
		return models.User{}, err
	}
	if !ok || !u.Active {
		if err := l.Failures.Add(ctx, []string{accountKey(username), addressKey(ip)}, time.Now().Add(-l.Limits.Window)); err != nil {
			return models.User{}, err
		}
		if u.ID != 0 {
			_ = l.Users.RecordLogin(ctx, u.ID, true)
		}
		return models.User{}, ErrBadCredentials
	}
	if err := l.Failures.Clear(ctx, accountKey(username)); err != nil {
		return models.User{}, err
	}
	return u, l.Users.RecordLogin(ctx, u.ID, false)
}

func (l *Login) checkLocked(ctx context.Context, username, ip string) error {
	var wait time.Duration
	for _, k := range []struct {
		key   string
		limit int
	}{{accountKey(username), l.Limits.PerAccount}, {addressKey(ip), l.Limits.PerAddress}} {
		times, err := l.Failures.Recent(ctx, k.key, time.Now().Add(-l.Limits.Window), k.limit)
		if err != nil {
			return err
		}
		if len(times) >= k.limit {
			wait = max(wait, time.Until(times[0].Add(l.Limits.Window)))
		}
	}
	if wait > 0 {
		return &LockedError{RetryAfter: wait}
	}
	return nil
}

// Reverify checks the password of a logged-in user (changing their own
// password) under the same throttling as logins, so a stolen session
// cannot be used to guess the password at leisure.
func (l *Login) Reverify(ctx context.Context, u models.User, password, ip string) error {
	if err := l.checkLocked(ctx, u.Username, ip); err != nil {
		return err
	}
	ok, err := l.Hasher.Verify(ctx, password, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		if err := l.Failures.Add(ctx, []string{accountKey(u.Username), addressKey(ip)}, time.Now().Add(-l.Limits.Window)); err != nil {
			return err
		}
		return ErrBadCredentials
	}
	return nil
}
