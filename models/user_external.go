package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Where users sign in (User.Source).
const (
	SourceLocal = ""     // a password kept in schooladmin
	SourceOIDC  = "oidc" // an OpenID Connect provider
	SourceLDAP  = "ldap" // an LDAP directory (Active Directory, OpenLDAP)
)

// ErrOtherAccount refuses a provider's sign-in whose username belongs to an
// account of another origin (a local one, or another person at the same
// provider): a provider must never take over an account it did not make.
var ErrOtherAccount = errors.New("the username belongs to an account of another origin")

// ExternalUser is a person as a single sign-on provider or a directory
// vouches for them at a login.
type ExternalUser struct {
	Source   string // SourceOIDC or SourceLDAP
	Subject  string // the provider's stable name for them
	Username string
	Email    string
	Roles    []string // role names, already mapped from the provider's groups
	// KeepRoles: the provider says nothing of groups (no roles claim at
	// all), so Roles are for a new account only and an existing one keeps
	// the roles given to it here.
	KeepRoles bool
}

// SyncExternal makes the account of a provider's user at their first login
// (with no usable password) and brings its e-mail and roles in step with
// the provider at each later one; both are audited like any change, with
// actor as the one who made it. An account of another origin gives
// ErrOtherAccount; a change that leaves no active Admin ErrLastAdmin.
func (s *UserStore) SyncExternal(ctx context.Context, actor Actor, eu ExternalUser) (User, error) {
	eu.Username, eu.Email = CleanUsername(eu.Username), strings.TrimSpace(eu.Email)
	eu.Roles = slices.Compact(slices.Sorted(slices.Values(eu.Roles)))
	if err := ValidateUser(eu.Username, eu.Email); err != nil {
		return User{}, err
	}
	var u User
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		var err error
		u, err = getUser(tx.Where("username = ?", eu.Username))
		switch {
		case errors.Is(err, ErrNotFound):
			u, err = createExternal(tx, actor, eu)
			return err
		case err != nil:
			return err
		case u.Source != eu.Source || u.ExternalID != "" && u.ExternalID != eu.Subject && eu.Source == SourceOIDC:
			return ErrOtherAccount
		}
		return updateExternal(tx, actor, &u, eu)
	})
	if err != nil {
		return User{}, fmt.Errorf("sign-in of %s user %s: %w", eu.Source, eu.Username, err)
	}
	return u, nil
}

// createExternal stores a provider's user: no password hash, so no
// password ever matches (the hasher compares against a dummy).
func createExternal(tx *gorm.DB, actor Actor, eu ExternalUser) (User, error) {
	roles, err := rolesByName(tx, eu.Roles)
	if err != nil {
		return User{}, err
	}
	u := User{Username: eu.Username, Email: eu.Email, Source: eu.Source, ExternalID: eu.Subject, Active: true,
		CreatedBy: actor.Username, ChangedBy: actor.Username, Roles: roles}
	if err := tx.Omit("Roles.*").Create(&u).Error; err != nil {
		return User{}, dbError(err)
	}
	return u, recordAudit(tx, actor, "user.create", AuditUser, u.Username, "roles: "+strings.Join(eu.Roles, ", "), nil)
}

// updateExternal writes what changed of the e-mail, roles and subject;
// nothing at all when nothing did, so an ordinary login is one read.
func updateExternal(tx *gorm.DB, actor Actor, u *User, eu ExternalUser) error {
	if eu.KeepRoles {
		eu.Roles = slices.Sorted(slices.Values(roleNames(u.Roles)))
	}
	changes := userChanges(*u, UserFields{Email: eu.Email, Active: u.Active, Roles: eu.Roles})
	if len(changes) == 0 && u.ExternalID == eu.Subject {
		return nil
	}
	if _, ok := changes["roles"]; ok {
		wasAdmin := slices.Contains(roleNames(u.Roles), RoleAdmin)
		if err := lockAdminRole(tx); err != nil {
			return err
		}
		roles, err := rolesByName(tx, eu.Roles)
		if err != nil {
			return err
		}
		if err := tx.Model(u).Omit("Roles.*").Association("Roles").Replace(roles); err != nil {
			return dbError(err)
		}
		if wasAdmin {
			if err := ensureAdminLeft(tx); err != nil {
				return err
			}
		}
	}
	err := tx.Model(u).Updates(map[string]any{"email": eu.Email, "external_id": eu.Subject, "changed_by": actor.Username}).Error
	if err != nil {
		return dbError(err)
	}
	if len(changes) == 0 {
		return nil
	}
	return recordAudit(tx, actor, "user.update", AuditUser, u.Username, "", changes)
}
