package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
)

// touchEvery limits last-seen and last-used writes to one a minute per
// session or token, instead of one per request.
const touchEvery = time.Minute

// Timeouts of a login session.
type Timeouts struct {
	Idle     time.Duration // ends a session unused this long
	Absolute time.Duration // ends a session this long after login
}

// Authenticator identifies the caller of each request, by bearer token or
// session cookie, against the database on every request: a logout, a
// disabled user or a role change elsewhere takes effect at once.
type Authenticator struct {
	Sessions *models.SessionStore
	Tokens   *models.TokenStore
	Timeouts Timeouts
	// OnToken, when set, is told of every bearer token accepted or rejected.
	OnToken func(ok bool)
}

// Identify sets the request's Principal when credentials are valid. A bad
// bearer token is refused (401); a dead session just means anonymous.
func (a *Authenticator) Identify(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if header := c.Request().Header.Get(echo.HeaderAuthorization); header != "" {
			if err := a.identifyToken(c, header); err != nil {
				return err
			}
			return next(c)
		}
		if err := a.identifySession(c); err != nil {
			return err
		}
		return next(c)
	}
}

func (a *Authenticator) identifyToken(c echo.Context, header string) error {
	scheme, plain, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "Bearer") || plain == "" {
		a.tokenResult(false)
		return ErrBadToken
	}
	ctx := c.Request().Context()
	cred, err := a.Tokens.Authenticate(ctx, strings.TrimSpace(plain))
	if errors.Is(err, models.ErrNotFound) || err == nil && (!cred.TokenUsable(time.Now()) || !cred.User.Active) {
		a.tokenResult(false)
		return ErrBadToken
	}
	if err != nil {
		return err
	}
	if cred.LastUsedAt == nil || time.Since(*cred.LastUsedAt) > touchEvery {
		_ = a.Tokens.Touch(ctx, cred.TokenID) // bookkeeping only: never fail the request for it
	}
	a.tokenResult(true)
	setPrincipal(c, &Principal{User: cred.User, Permissions: cred.Permissions, ViaToken: true, TokenScope: cred.TokenScope})
	return nil
}

func (a *Authenticator) tokenResult(ok bool) {
	if a.OnToken != nil {
		a.OnToken(ok)
	}
}

func (a *Authenticator) identifySession(c echo.Context) error {
	if !HasSession(c) {
		return nil
	}
	s := currentSession(c)
	sid, _ := s.Values[sidKey].(string)
	if sid == "" {
		return nil
	}
	ctx := c.Request().Context()
	cred, err := a.Sessions.Authenticate(ctx, sid)
	if errors.Is(err, models.ErrNotFound) {
		return forgetSession(c)
	}
	if err != nil {
		return err
	}
	now := time.Now()
	if !cred.User.Active || now.Sub(cred.SessionSeen) > a.Timeouts.Idle || now.Sub(cred.SessionCreated) > a.Timeouts.Absolute {
		_ = a.Sessions.Delete(ctx, sid)
		return forgetSession(c)
	}
	if now.Sub(cred.SessionSeen) > touchEvery {
		_ = a.Sessions.Touch(ctx, sid)
	}
	setPrincipal(c, &Principal{User: cred.User, Permissions: cred.Permissions})
	return nil
}

const sidKey = "sid"

// SessionKey identifies the caller's login session, for what the server
// keeps for one session (an import's upload awaiting confirmation): the
// stored hash of its secret. "" for a caller without one (an API token).
func SessionKey(c echo.Context) string {
	if p := CurrentUser(c); p == nil || p.ViaToken || !HasSession(c) {
		return ""
	}
	sid, _ := currentSession(c).Values[sidKey].(string)
	if sid == "" {
		return ""
	}
	return models.HashSecret(sid)
}

func forgetSession(c echo.Context) error {
	s := currentSession(c)
	delete(s.Values, sidKey)
	return s.Save(c.Request(), c.Response())
}

// StartSession logs user id in: a new server-side session and a renewed
// cookie session with a new CSRF token, so nothing planted before the
// login (session fixation) survives it.
func (a *Authenticator) StartSession(c echo.Context, userID int64) error {
	s := currentSession(c)
	if old, _ := s.Values[sidKey].(string); old != "" {
		_ = a.Sessions.Delete(c.Request().Context(), old)
	}
	sid, err := a.Sessions.Create(c.Request().Context(), userID)
	if err != nil {
		return err
	}
	for k := range s.Values {
		delete(s.Values, k)
	}
	s.Values[sidKey] = sid
	s.Values[csrfKey] = randomString()
	return s.Save(c.Request(), c.Response())
}

// EndSession logs the caller out: the server-side session is deleted, so
// the old cookie no longer works anywhere.
func (a *Authenticator) EndSession(c echo.Context) error {
	s := currentSession(c)
	if sid, _ := s.Values[sidKey].(string); sid != "" {
		if err := a.Sessions.Delete(c.Request().Context(), sid); err != nil {
			return err
		}
	}
	for k := range s.Values {
		delete(s.Values, k)
	}
	return s.Save(c.Request(), c.Response())
}

// PruneLoop deletes expired sessions now and then, until ctx ends.
func (a *Authenticator) PruneLoop(ctx context.Context, every time.Duration) {
	for {
		now := time.Now()
		_ = a.Sessions.Prune(ctx, now.Add(-a.Timeouts.Idle), now.Add(-a.Timeouts.Absolute))
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
