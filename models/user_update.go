package models

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Update changes email, active flag and roles. With orig, the values the
// edit started from, a stale edit is merged with the stored user (see
// MergeField) inside the transaction, and a field both sides changed gives
// a *MergeConflict with nothing written. Deactivating a user ends their
// sessions and revokes their API tokens (enabling them again does not
// revive forgotten tokens); losing the user-management permission revokes
// their admin-scope tokens. Leaving no active Admin gives ErrLastAdmin.
func (s *UserStore) Update(ctx context.Context, actor Actor, id int64, orig *UserFields, next UserFields) error {
	next.Email = strings.TrimSpace(next.Email)
	next.Roles = slices.Sorted(slices.Values(next.Roles))
	errs := fieldErrors{}
	checkEmail(errs, next.Email)
	if err := errs.err(); err != nil {
		return err
	}
	return transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := lockAdminRole(tx); err != nil {
			return err
		}
		u, err := getUser(tx.Where("id = ?", id))
		if err != nil {
			return err
		}
		edit := next
		if orig != nil {
			var conflicts []string
			if edit, conflicts = MergeUser(*orig, next, u); len(conflicts) > 0 {
				return &MergeConflict{Fields: conflicts}
			}
		}
		email, active := edit.Email, edit.Active
		changes := userChanges(u, edit) // before the writes, which change u
		roles, err := rolesByName(tx, edit.Roles)
		if err != nil {
			return err
		}
		if err := tx.Model(&u).Updates(map[string]any{"email": email, "active": active, "changed_by": actor.Username}).Error; err != nil {
			return dbError(err)
		}
		if err := tx.Model(&u).Omit("Roles.*").Association("Roles").Replace(roles); err != nil {
			return dbError(err)
		}
		if err := ensureAdminLeft(tx); err != nil {
			return err
		}
		if err := endAccess(tx, actor, id, active); err != nil {
			return err
		}
		return recordAudit(tx, actor, "user.update", AuditUser, u.Username, "", changes)
	})
}

// userChanges lists what edit changes of u, for the audit trail.
func userChanges(u User, edit UserFields) map[string]FieldChange {
	changes := map[string]FieldChange{}
	if u.Active != edit.Active {
		changes["active"] = FieldChange{Old: fmt.Sprint(u.Active), New: fmt.Sprint(edit.Active)}
	}
	if old := slices.Sorted(slices.Values(roleNames(u.Roles))); !slices.Equal(old, edit.Roles) {
		changes["roles"] = FieldChange{Old: strings.Join(old, ", "), New: strings.Join(edit.Roles, ", ")}
	}
	if u.Email != edit.Email {
		changes["email"] = FieldChange{Old: u.Email, New: edit.Email}
	}
	return changes
}

// roleNames lists the names of roles.
func roleNames(roles []Role) []string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = r.Name
	}
	return names
}
