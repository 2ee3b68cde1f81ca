package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Credentials is what authenticating a request needs, read in one query:
// the token or session, its user, and the user's permissions.
type Credentials struct {
	User        User
	Permissions []string
	// TokenID, TokenScope, ExpiresAt, RevokedAt and LastUsedAt describe a token.
	TokenID    int64
	TokenScope string
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
	// SessionCreated and SessionSeen describe a session.
	SessionCreated time.Time
	SessionSeen    time.Time
}

// credentialsRow is the flat row both queries return.
type credentialsRow struct {
	UserID                int64
	Username, Email       string
	Active                bool
	LastLoginAt           *time.Time
	TokenID               int64
	Scope                 string
	ExpiresAt, RevokedAt  *time.Time
	LastUsedAt            *time.Time
	CreatedAt, LastSeenAt *time.Time
	Perms                 *string
}

// permissionsOf is the correlated subquery that lists a user's
// permissions, comma-separated (GROUP_CONCAT exists in MariaDB and SQLite).
const permissionsOf = `(SELECT GROUP_CONCAT(DISTINCT rp.permission) FROM user_roles ur
	JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE ur.user_id = u.id) AS perms`

const userColumns = `u.id AS user_id, u.username, u.email, u.active, u.last_login_at, `

// selectCredentials starts the credentials queries: they ask for MariaDB's
// query cache (used when the server runs with query_cache_type=DEMAND, see
// docs/operations.md). The same token or session is looked up on every
// request, and MariaDB drops a cached result the moment a write to any
// table it read commits, so logout, disabling a user, a role change or a
// revoked token still apply at once, on every replica, while a repeated
// lookup costs the server a hash probe instead of planning the permissions
// subquery again. Nothing else asks for the cache. The hint is a
// MariaDB-only executable comment: SQLite and MySQL read a comment.
const selectCredentials = "SELECT /*M! SQL_CACHE */ "

func (r credentialsRow) credentials() Credentials {
	c := Credentials{
		User:    User{ID: r.UserID, Username: r.Username, Email: r.Email, Active: r.Active, LastLoginAt: r.LastLoginAt},
		TokenID: r.TokenID, TokenScope: r.Scope, ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt, LastUsedAt: r.LastUsedAt,
	}
	if r.CreatedAt != nil {
		c.SessionCreated, c.SessionSeen = *r.CreatedAt, *r.LastSeenAt
	}
	if r.Perms != nil && *r.Perms != "" {
		c.Permissions = strings.Split(*r.Perms, ",")
	}
	return c
}

// TokenUsable reports whether the token may authenticate at now.
func (c Credentials) TokenUsable(now time.Time) bool {
	return c.RevokedAt == nil && (c.ExpiresAt == nil || now.Before(*c.ExpiresAt))
}

// Authenticate reads a plain token's credentials, or ErrNotFound.
func (s *TokenStore) Authenticate(ctx context.Context, plain string) (Credentials, error) {
	if !strings.HasPrefix(plain, TokenPrefix) {
		return Credentials{}, ErrNotFound
	}
	return scanCredentials(s.db.WithContext(ctx).Raw(selectCredentials+userColumns+`t.id AS token_id, t.scope, t.expires_at,
		t.revoked_at, t.last_used_at, `+permissionsOf+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`, HashSecret(plain)))
}

// Authenticate reads a session secret's credentials, or ErrNotFound.
func (s *SessionStore) Authenticate(ctx context.Context, secret string) (Credentials, error) {
	return scanCredentials(s.db.WithContext(ctx).Raw(selectCredentials+userColumns+`s.created_at, s.last_seen_at, `+permissionsOf+`
		FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, HashSecret(secret)))
}

func scanCredentials(q *gorm.DB) (Credentials, error) {
	var rows []credentialsRow
	if err := q.Scan(&rows).Error; err != nil {
		return Credentials{}, dbError(err)
	}
	if len(rows) == 0 {
		return Credentials{}, ErrNotFound
	}
	return rows[0].credentials(), nil
}
