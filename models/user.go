package models

import "time"

// User is a person who logs in. PasswordHash is a PHC string (argon2id);
// it never leaves this package's callers in any answer or log.
type User struct {
	ID           int64  `gorm:"primaryKey"`
	Username     string `gorm:"size:64;not null;uniqueIndex"`
	Email        string `gorm:"size:254;not null;default:''"`
	PasswordHash string `gorm:"size:255;not null"`
	// Source is where the person signs in: SourceLocal (a password kept
	// here), SourceOIDC or SourceLDAP (an account made at their first
	// login, with no usable password here).
	Source string `gorm:"size:8;not null;default:''"`
	// ExternalID is the provider's stable name for the person (the OpenID
	// subject, the directory entry's DN); "" for local users.
	ExternalID   string     `gorm:"size:255;not null;default:''"`
	Active       bool       `gorm:"not null;default:true"`
	LastLoginAt  *time.Time ``
	FailedLogins int        `gorm:"not null;default:0"`
	CreatedBy    string     `gorm:"size:64;not null;default:''"`
	ChangedBy    string     `gorm:"size:64;not null;default:''"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Roles        []Role `gorm:"many2many:user_roles;constraint:OnDelete:CASCADE"`
}

// Role is a named set of permissions. Built-in roles (Admin, Editor,
// Viewer) are kept in step with the code at every migration and cannot
// be edited, only copied.
type Role struct {
	ID          int64            `gorm:"primaryKey"`
	Name        string           `gorm:"size:64;not null;uniqueIndex"`
	BuiltIn     bool             `gorm:"not null;default:false"`
	Permissions []RolePermission `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RolePermission grants one permission, such as "can_edit on Aluno", to a role.
type RolePermission struct {
	RoleID     int64  `gorm:"primaryKey;autoIncrement:false"`
	Permission string `gorm:"primaryKey;size:64"`
}

// PermissionNames lists the role's permissions.
func (r Role) PermissionNames() []string {
	names := make([]string, len(r.Permissions))
	for i, p := range r.Permissions {
		names[i] = p.Permission
	}
	return names
}

// UserSession is a login, referenced by the session cookie. Keeping it in
// the database lets logout, a password change or disabling a user end
// sessions at once on every replica.
type UserSession struct {
	// IDHash is the SHA-256 of the random token in the cookie; a database
	// leak does not give usable sessions.
	IDHash     string    `gorm:"primaryKey;size:64"`
	UserID     int64     `gorm:"not null;index"`
	CreatedAt  time.Time `gorm:"not null"`
	LastSeenAt time.Time `gorm:"not null"`
	User       User      `gorm:"constraint:OnDelete:CASCADE"`
}

// APIToken is a personal token for the JSON API. Only its hash is stored;
// Prefix (the first characters) lets people tell their tokens apart.
type APIToken struct {
	ID     int64  `gorm:"primaryKey"`
	UserID int64  `gorm:"not null;index"`
	Name   string `gorm:"size:100;not null"`
	// Scope is ScopeStudents or ScopeAdmin. Tokens made before scopes
	// existed become ScopeStudents (the column's default): the safe choice,
	// though an administrator's old token may have served admin routes.
	Scope      string     `gorm:"size:16;not null;default:'students'"`
	Hash       string     `gorm:"size:64;not null;uniqueIndex"`
	Prefix     string     `gorm:"size:16;not null"`
	ExpiresAt  *time.Time ``
	LastUsedAt *time.Time ``
	RevokedAt  *time.Time ``
	CreatedAt  time.Time
	User       User `gorm:"constraint:OnDelete:CASCADE"`
}

// LoginFailure is one failed login, counted per key ("user:NAME" or
// "ip:ADDRESS") within a window; shared by every replica. A key longer
// than the column is stored as its hash (storedKey).
type LoginFailure struct {
	ID  int64     `gorm:"primaryKey"`
	Key string    `gorm:"size:100;not null;index:idx_login_failures_key_at,priority:1"`
	At  time.Time `gorm:"not null;index:idx_login_failures_key_at,priority:2;index:idx_login_failures_at"`
}

// AuditEvent is one entry of the append-only audit trail. The index of
// (action, at) lets the home page count a week's changes inside the index.
type AuditEvent struct {
	ID         int64     `gorm:"primaryKey"`
	At         time.Time `gorm:"not null;index;index:idx_audit_action_at,priority:2"`
	Actor      string    `gorm:"size:64;not null;index"`                                      // username, or "" for anonymous
	Action     string    `gorm:"size:32;not null;index;index:idx_audit_action_at,priority:1"` // e.g. student.update, login.failure
	ObjectType string    `gorm:"size:16;not null;index:idx_audit_object,priority:1"`
	ObjectID   string    `gorm:"size:64;not null;default:'';index:idx_audit_object,priority:2"`
	Summary    string    `gorm:"size:255;not null;default:''"`
	Changes    string    `gorm:"type:text"` // JSON: field → [old, new]
	IP         string    `gorm:"size:64;not null;default:''"`
}
