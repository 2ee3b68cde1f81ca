package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Errors of role changes.
var (
	ErrBuiltInRole = errors.New("built-in roles cannot be changed")
	ErrRoleInUse   = errors.New("role is held by users")
)

// RoleStore reads and writes roles.
type RoleStore struct{ db *gorm.DB }

// NewRoleStore returns a store on db.
func NewRoleStore(db *Database) *RoleStore { return &RoleStore{db: db.DB} }

// RoleWithUsers is a role and how many users hold it.
type RoleWithUsers struct {
	Role
	Users int64
}

// List returns every role with its permissions and number of users.
func (s *RoleStore) List(ctx context.Context) ([]RoleWithUsers, error) {
	var roles []Role
	if err := s.db.WithContext(ctx).Preload("Permissions").Order("name").Find(&roles).Error; err != nil {
		return nil, fmt.Errorf("list roles: %w", dbError(err))
	}
	type count struct {
		RoleID int64
		N      int64
	}
	var counts []count
	err := s.db.WithContext(ctx).Table("user_roles").Select("role_id, COUNT(*) AS n").Group("role_id").Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("count role users: %w", dbError(err))
	}
	byRole := map[int64]int64{}
	for _, c := range counts {
		byRole[c.RoleID] = c.N
	}
	out := make([]RoleWithUsers, len(roles))
	for i, r := range roles {
		out[i] = RoleWithUsers{Role: r, Users: byRole[r.ID]}
	}
	return out, nil
}

// Get returns role id with its permissions.
func (s *RoleStore) Get(ctx context.Context, id int64) (Role, error) {
	var r Role
	err := s.db.WithContext(ctx).Preload("Permissions").First(&r, id).Error
	return r, dbError(err)
}

// ValidateRole checks a role's name and permissions.
func ValidateRole(name string, perms []string) error {
	errs := fieldErrors{}
	switch {
	case name == "":
		errs.add("name", "Informe o nome do papel.")
	case utf8.RuneCountInString(name) > 64 || !printable(name):
		errs.add("name", "O nome deve ter até 64 caracteres visíveis.")
	}
	for _, p := range perms {
		if !KnownPermission(p) {
			errs.add("permissions", "Permissão desconhecida: "+p)
		}
	}
	return errs.err()
}

// Save creates (id 0) or changes a custom role. With orig, the values the
// edit started from, a stale edit of a role is merged with the stored role
// (see MergeField) inside the transaction, and a name both sides changed
// gives a *MergeConflict with nothing written. Users who no longer
// manage users after the change lose their admin-scope tokens.
func (s *RoleStore) Save(ctx context.Context, actor Actor, id int64, orig *RoleFields, next RoleFields) (Role, error) {
	name, perms := cleanText(next.Name), next.Perms
	if err := ValidateRole(name, perms); err != nil {
		return Role{}, err
	}
	var role Role
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		action := "role.create"
		role = Role{}
		edit := RoleFields{Name: name, Perms: perms}
		if id != 0 {
			action = "role.update"
			// locked first, so a concurrent save merges with this one's result
			if err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).First(&role, id).Error; err != nil {
				return dbError(err)
			}
			if err := tx.Preload("Permissions").First(&role, id).Error; err != nil {
				return dbError(err)
			}
			if role.BuiltIn {
				return ErrBuiltInRole
			}
			if orig != nil {
				var conflicts []string
				if edit, conflicts = MergeRole(*orig, edit, role); len(conflicts) > 0 {
					return &MergeConflict{Fields: conflicts}
				}
			}
		}
		old := strings.Join(role.PermissionNames(), ", ")
		role.Name = edit.Name
		if err := tx.Omit("Permissions").Save(&role).Error; err != nil {
			return dbError(err)
		}
		if err := tx.Where("role_id = ?", role.ID).Delete(&RolePermission{}).Error; err != nil {
			return dbError(err)
		}
		role.Permissions = make([]RolePermission, 0, len(edit.Perms))
		for _, p := range edit.Perms {
			role.Permissions = append(role.Permissions, RolePermission{RoleID: role.ID, Permission: p})
		}
		if len(edit.Perms) > 0 {
			if err := tx.Create(&role.Permissions).Error; err != nil {
				return dbError(err)
			}
		}
		changes := map[string]FieldChange{"permissions": {Old: old, New: strings.Join(edit.Perms, ", ")}}
		if err := recordAudit(tx, actor, action, AuditRole, role.Name, "", changes); err != nil {
			return err
		}
		return revokeUnentitledAdminTokens(tx, actor) // the role may have lost user management
	})
	if err != nil {
		return Role{}, fmt.Errorf("save role %s: %w", name, err)
	}
	return role, nil
}

// Delete removes a custom role that no user holds.
func (s *RoleStore) Delete(ctx context.Context, actor Actor, id int64) error {
	return transaction(ctx, s.db, func(tx *gorm.DB) error {
		var role Role
		if err := tx.First(&role, id).Error; err != nil {
			return dbError(err)
		}
		if role.BuiltIn {
			return ErrBuiltInRole
		}
		var n int64
		if err := tx.Table("user_roles").Where("role_id = ?", id).Count(&n).Error; err != nil {
			return dbError(err)
		}
		if n > 0 {
			return ErrRoleInUse
		}
		if err := tx.Where("role_id = ?", id).Delete(&RolePermission{}).Error; err != nil {
			return dbError(err)
		}
		if err := tx.Delete(&role).Error; err != nil {
			return dbError(err)
		}
		return recordAudit(tx, actor, "role.delete", AuditRole, role.Name, "", nil)
	})
}

// Unknown returns those of names that no role has (exactly: a role map
// must name roles as they are spelled).
func (s *RoleStore) Unknown(ctx context.Context, names []string) ([]string, error) {
	var found []string
	if len(names) == 0 {
		return nil, nil
	}
	if err := s.db.WithContext(ctx).Model(&Role{}).Where("name IN ?", names).Pluck("name", &found).Error; err != nil {
		return nil, dbError(err)
	}
	var unknown []string
	for _, n := range names {
		if !slices.Contains(found, n) {
			unknown = append(unknown, n)
		}
	}
	return unknown, nil
}
