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

// Login checks passwords with brute-force throttling kept in the database:
// local passwords against their hashes, directory users' against the
// directory. After the first factor it returns the user; a second step
// (such as a one-time code) belongs between it and the session.
type Login struct {
	Users    *models.UserStore
	Failures *models.LoginFailureStore
	Hasher   *Hasher
	Limits   ThrottleLimits
	// Directory, when set, checks the passwords of users it knows: anyone
	// without an account here, and the accounts it made.
	Directory *Directory
	// LocalDisabled refuses every password kept here (LOCAL_LOGIN=false):
	// people sign in through the provider or the directory only.
	LocalDisabled bool
}

func accountKey(username string) string { return "user:" + strings.ToLower(username) }
func addressKey(ip string) string       { return "ip:" + ip }

// Attempt checks username and password from client address ip. It returns
// the user (MethodOf tells how they signed in), a *LockedError,
// ErrBadCredentials, a *RefusedError (the directory knows them but gives
// them no access), an error wrapping ErrDirectory, or another error.
func (l *Login) Attempt(ctx context.Context, username, password, ip string) (models.User, error) {
	username = models.CleanUsername(username)
	if err := l.checkLocked(ctx, username, ip); err != nil {
		return models.User{}, err
	}
	u, err := l.Users.GetByUsername(ctx, username)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return models.User{}, err
	}
	if l.Directory != nil && (u.ID == 0 || u.Source == models.SourceLDAP) {
		return l.attemptDirectory(ctx, u, username, password, ip)
	}
	hash := u.PasswordHash
	if u.Source != models.SourceLocal || l.LocalDisabled {
		hash = "" // no password kept here counts: the dummy is checked instead
	}
	ok, err := l.Hasher.Verify(ctx, password, hash)
	if err != nil {
		return models.User{}, err
	}
	if !ok || !u.Active {
		return models.User{}, l.fail(ctx, u, username, ip)
	}
	if err := l.Failures.Clear(ctx, accountKey(username)); err != nil {
		return models.User{}, err
	}
	return u, l.Users.RecordLogin(ctx, u.ID, false)
}

// attemptDirectory checks the password against the directory and lets the
// person in with the roles their groups give. A refusal after a right
// password is not counted as a failure.
func (l *Login) attemptDirectory(ctx context.Context, u models.User, username, password, ip string) (models.User, error) {
	eu, err := l.Directory.Authenticate(ctx, username, password)
	if errors.Is(err, ErrBadCredentials) {
		return models.User{}, l.fail(ctx, u, username, ip)
	}
	if err != nil {
		return models.User{}, err
	}
	user, err := l.SignInExternal(ctx, eu, ip)
	if err != nil {
		return models.User{}, err
	}
	return user, l.Failures.Clear(ctx, accountKey(username))
}

// fail counts a failed login against the account and the address and
// returns ErrBadCredentials.
func (l *Login) fail(ctx context.Context, u models.User, username, ip string) error {
	if err := l.Failures.Add(ctx, []string{accountKey(username), addressKey(ip)}, time.Now().Add(-l.Limits.Window)); err != nil {
		return err
	}
	if u.ID != 0 {
		_ = l.Users.RecordLogin(ctx, u.ID, true)
	}
	return ErrBadCredentials
}

// CheckAddress returns a *LockedError when failures from ip lock logins,
// for sign-ins that have no username yet (single sign-on).
func (l *Login) CheckAddress(ctx context.Context, ip string) error {
	return l.checkLocked(ctx, "", ip) // "" skips the account key
}

// FailAddress counts a failure against ip alone (a single sign-on answer
// that only a replay or tampering produces).
func (l *Login) FailAddress(ctx context.Context, ip string) error {
	return l.Failures.Add(ctx, []string{addressKey(ip)}, time.Now().Add(-l.Limits.Window))
}

func (l *Login) checkLocked(ctx context.Context, username, ip string) error {
	var wait time.Duration
	for _, k := range []struct {
		key   string
		limit int
	}{{accountKey(username), l.Limits.PerAccount}, {addressKey(ip), l.Limits.PerAddress}} {
		if k.key == accountKey("") && username == "" {
			continue // CheckAddress: no account to look at
		}
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
