package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ErrLastAdmin refuses a change that would leave no active administrator.
var ErrLastAdmin = errors.New("the last active Admin cannot be removed")

// UserStore reads and writes users and their roles.
type UserStore struct{ db *gorm.DB }

// NewUserStore returns a store on db.
func NewUserStore(db *Database) *UserStore { return &UserStore{db: db.DB} }

// NewUser is what creating a user needs; the password is already hashed.
type NewUser struct {
	Username     string
	Email        string
	PasswordHash string
	Roles        []string // role names
}

// CleanUsername trims a username and puts it in lower case, so "Ana" and
// "ana" are one user on every database (MariaDB's collation ignores case,
// SQLite's does not).
func CleanUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateUser checks username and email.
func ValidateUser(username, email string) error {
	errs := fieldErrors{}
	switch {
	case username == "":
		errs.add("username", "Informe o nome de usuário.")
	case utf8.RuneCountInString(username) > 64:
		errs.add("username", "O nome de usuário pode ter no máximo 64 caracteres.")
	case !validUsername(username):
		errs.add("username", "Use só letras sem acento, números, ponto, hífen, sublinhado ou @.")
	}
	checkEmail(errs, email)
	return errs.err()
}

// checkEmail accepts an empty address (e-mail is optional) or a plain one.
func checkEmail(errs fieldErrors, email string) {
	if email == "" {
		return
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		errs.add("email", "E-mail inválido.")
	}
}

func validUsername(s string) bool {
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)
		if !ok {
			return false
		}
	}
	return true
}

// Count returns how many users exist.
func (s *UserStore) Count(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, dbError(err)
}

// Create stores a new user with the named roles. A taken username gives
// ErrDuplicate; an unknown role a *ValidationError.
func (s *UserStore) Create(ctx context.Context, actor Actor, nu NewUser) (User, error) {
	nu.Username, nu.Email = CleanUsername(nu.Username), strings.TrimSpace(nu.Email)
	if err := ValidateUser(nu.Username, nu.Email); err != nil {
		return User{}, err
	}
	var u User
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		u = User{Username: nu.Username, Email: nu.Email, PasswordHash: nu.PasswordHash, Active: true,
			CreatedBy: actor.Username, ChangedBy: actor.Username}
		roles, err := rolesByName(tx, nu.Roles)
		if err != nil {
			return err
		}
		u.Roles = roles
		if err := tx.Omit("Roles.*").Create(&u).Error; err != nil {
			return dbError(err)
		}
		return recordAudit(tx, actor, "user.create", AuditUser, u.Username, "roles: "+strings.Join(nu.Roles, ", "), nil)
	})
	if err != nil {
		return User{}, fmt.Errorf("create user %s: %w", nu.Username, err)
	}
	return u, nil
}

func rolesByName(tx *gorm.DB, names []string) ([]Role, error) {
	roles := []Role{}
	if len(names) == 0 {
		return roles, nil
	}
	if err := tx.Where("name IN ?", names).Find(&roles).Error; err != nil {
		return nil, dbError(err)
	}
	if len(roles) != len(names) {
		return nil, &ValidationError{Fields: map[string]string{"roles": "Papel desconhecido."}}
	}
	return roles, nil
}

// Get returns user id with roles and permissions.
func (s *UserStore) Get(ctx context.Context, id int64) (User, error) {
	return getUser(s.db.WithContext(ctx).Where("id = ?", id))
}

// GetByUsername returns the named user with roles and permissions.
func (s *UserStore) GetByUsername(ctx context.Context, username string) (User, error) {
	return getUser(s.db.WithContext(ctx).Where("username = ?", CleanUsername(username)))
}

func getUser(db *gorm.DB) (User, error) {
	var u User
	if err := db.Preload("Roles", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).First(&u).Error; err != nil {
		return User{}, dbError(err)
	}
	return u, nil
}

// UserList is what the users list accepts: q finds a part of the username
// or e-mail.
var UserList = &ListSpec{
	Sorts:       map[string]string{"username": "username", "id": "id", "created_at": "created_at"},
	DefaultSort: "username",
}

// List returns a page of users, with their roles, and how many match.
func (s *UserStore) List(ctx context.Context, q ListQuery) ([]User, int64, error) {
	db := s.db.WithContext(ctx).Model(&User{})
	if q.Q != "" {
		like := "%" + escapeLike(q.Q) + "%"
		db = db.Where("username LIKE ? ESCAPE '!' OR email LIKE ? ESCAPE '!'", like, like)
	}
	var total int64
	if err := db.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count users: %w", dbError(err))
	}
	users := []User{}
	if total <= int64(q.Offset()) {
		return users, total, nil
	}
	err := db.Preload("Roles", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).
		Order(q.order()).Limit(q.PerPage).Offset(q.Offset()).Find(&users).Error
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", dbError(err))
	}
	return users, total, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// Permissions returns the union of the user's roles' permissions.
func (s *UserStore) Permissions(ctx context.Context, userID int64) ([]string, error) {
	var perms []string
	err := s.db.WithContext(ctx).Model(&RolePermission{}).Distinct("permission").
		Joins("JOIN user_roles ON user_roles.role_id = role_permissions.role_id").
		Where("user_roles.user_id = ?", userID).Pluck("permission", &perms).Error
	return perms, dbError(err)
}

// SetPassword stores a new hash and ends every session of the user; with
// revokeAll, their API tokens stop too (someone who knew the old
// password may have made one).
func (s *UserStore) SetPassword(ctx context.Context, actor Actor, id int64, hash string, revokeAll bool) error {
	return transaction(ctx, s.db, func(tx *gorm.DB) error {
		u, err := getUser(tx.Where("id = ?", id))
		if err != nil {
			return err
		}
		if err := tx.Model(&u).Updates(map[string]any{"password_hash": hash, "changed_by": actor.Username, "failed_logins": 0}).Error; err != nil {
			return dbError(err)
		}
		if err := tx.Where("user_id = ?", id).Delete(&UserSession{}).Error; err != nil {
			return dbError(err)
		}
		if revokeAll {
			if err := revokeTokens(tx, actor, "revogado com a troca de senha", "user_id = ?", id); err != nil {
				return err
			}
		}
		return recordAudit(tx, actor, "user.password", AuditUser, u.Username, "senha alterada", nil)
	})
}

// Delete removes a user with their sessions and tokens.
func (s *UserStore) Delete(ctx context.Context, actor Actor, id int64) error {
	return transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := lockAdminRole(tx); err != nil {
			return err
		}
		u, err := getUser(tx.Where("id = ?", id))
		if err != nil {
			return err
		}
		for _, m := range []any{&UserSession{}, &APIToken{}} {
			if err := tx.Where("user_id = ?", id).Delete(m).Error; err != nil {
				return dbError(err)
			}
		}
		if err := tx.Exec("DELETE FROM user_roles WHERE user_id = ?", id).Error; err != nil {
			return dbError(err)
		}
		if err := tx.Delete(&User{}, id).Error; err != nil {
			return dbError(err)
		}
		if err := ensureAdminLeft(tx); err != nil {
			return err
		}
		return recordAudit(tx, actor, "user.delete", AuditUser, u.Username, "", nil)
	})
}

// lockAdminRole serialises changes that could remove the last
// administrator, so two admins cannot demote each other at once.
func lockAdminRole(tx *gorm.DB) error {
	var r Role
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("name = ?", RoleAdmin).First(&r).Error
	return dbError(err)
}

func ensureAdminLeft(tx *gorm.DB) error {
	var n int64
	err := tx.Model(&User{}).
		Joins("JOIN user_roles ON user_roles.user_id = users.id JOIN roles ON roles.id = user_roles.role_id").
		Where("roles.name = ? AND users.active = ?", RoleAdmin, true).Count(&n).Error
	if err != nil {
		return dbError(err)
	}
	if n == 0 {
		return ErrLastAdmin
	}
	return nil
}

// RecordLogin notes a successful (failed=false) or failed login.
func (s *UserStore) RecordLogin(ctx context.Context, id int64, failed bool) error {
	db := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", id)
	if failed {
		return dbError(db.UpdateColumn("failed_logins", gorm.Expr("failed_logins + 1")).Error)
	}
	return dbError(db.UpdateColumns(map[string]any{"failed_logins": 0, "last_login_at": now()}).Error)
}
