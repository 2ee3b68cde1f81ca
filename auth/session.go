// Package auth owns who the caller is and what they may do: sessions,
// CSRF protection, and (with the security work) passwords, tokens and roles.
package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"net/http"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo-contrib/session"
	"github.com/labstack/echo/v4"
)

// SessionName is the name of the session cookie.
const SessionName = "schooladmin_session"

// SessionOptions are the cookie settings of the session.
type SessionOptions struct {
	Secure bool // send the cookie over HTTPS only
	MaxAge int  // seconds
}

// NewSessionStore returns a cookie store whose signing and encryption keys
// are derived from secret, so one SECRET_KEY is all an operator sets.
func NewSessionStore(secret []byte, opts SessionOptions) *sessions.CookieStore {
	store := sessions.NewCookieStore(deriveKey(secret, "session-sign"), deriveKey(secret, "session-encrypt"))
	store.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   opts.MaxAge,
		HttpOnly: true,
		Secure:   opts.Secure,
		SameSite: http.SameSiteLaxMode,
	}
	store.MaxAge(opts.MaxAge)
	useSessionValues(store)
	return store
}

func deriveKey(secret []byte, purpose string) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(purpose))
	return mac.Sum(nil)
}

// Sessions is the middleware that makes the session available to
// handlers and the other auth middleware.
func Sessions(store sessions.Store) echo.MiddlewareFunc {
	return session.Middleware(store)
}

// HasSession reports whether the session middleware ran for this request
// (the error handler also runs for routes outside it).
func HasSession(c echo.Context) bool {
	return c.Get(sessionStoreKey) != nil
}

// sessionStoreKey is where echo-contrib's session middleware keeps the store.
const sessionStoreKey = "_session_store"

// currentSession returns the request's session; a cookie that no longer
// decodes (new key, tampering) simply starts a fresh session.
func currentSession(c echo.Context) *sessions.Session {
	s, err := session.Get(SessionName, c)
	if err != nil && s == nil {
		s = sessions.NewSession(nil, SessionName)
	}
	return s
}

// AddFlash stores a one-time message for the next page.
func AddFlash(c echo.Context, kind, message string) error {
	s := currentSession(c)
	s.AddFlash(kind + "\x00" + message)
	return s.Save(c.Request(), c.Response())
}

// TakeFlash returns and clears the pending message, if any.
func TakeFlash(c echo.Context) (kind, message string, ok bool) {
	s := currentSession(c)
	flashes := s.Flashes()
	if len(flashes) == 0 {
		return "", "", false
	}
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return "", "", false
	}
	raw, _ := flashes[len(flashes)-1].(string)
	for i := 0; i < len(raw); i++ {
		if raw[i] == 0 {
			return raw[:i], raw[i+1:], true
		}
	}
	return "", raw, true
}

// newTokenKey holds an API token just created, between the POST that made
// it and the page that shows it.
const newTokenKey = "new_token"

// StashNewToken keeps a just-created API token in the session (signed and
// encrypted, never in a URL) for the page after the redirect.
func StashNewToken(c echo.Context, plain string) error {
	s := currentSession(c)
	s.Values[newTokenKey] = plain
	return s.Save(c.Request(), c.Response())
}

// TakeNewToken returns and forgets the stashed token: it is shown once.
func TakeNewToken(c echo.Context) (string, bool) {
	s := currentSession(c)
	plain, _ := s.Values[newTokenKey].(string)
	if plain == "" {
		return "", false
	}
	delete(s.Values, newTokenKey)
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return "", false // not forgotten: better unseen than shown twice
	}
	return plain, true
}
