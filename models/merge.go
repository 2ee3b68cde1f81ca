package models

import (
	"slices"
	"strings"
)

// A stale edit is merged field by field against what is stored now, so it
// never undoes another person's change: the edit carries the values it
// started from (orig), what its author sent (mine) and is compared with
// the stored values (theirs).

// MergeField merges one field: a field only one side changed takes that
// side's value. conflict is true when both changed it to different values;
// mine is returned then, for its author to confirm or drop.
func MergeField[T comparable](orig, mine, theirs T) (merged T, conflict bool) {
	switch {
	case mine == orig:
		return theirs, false
	case theirs == orig, theirs == mine:
		return mine, false
	}
	return mine, true
}

// MergeSet merges a set (the roles ticked, a role's permissions) item by
// item: an item only one side added or removed follows that side. Two
// sides cannot disagree about one item, so a set never conflicts. The
// result is sorted.
func MergeSet(orig, mine, theirs []string) []string {
	var out []string
	for _, item := range slices.Compact(slices.Sorted(slices.Values(slices.Concat(orig, mine, theirs)))) {
		keep, _ := MergeField(slices.Contains(orig, item), slices.Contains(mine, item), slices.Contains(theirs, item))
		if keep {
			out = append(out, item)
		}
	}
	return out
}

// MergeFields merges a complete stale edit of any entity given as field →
// value maps, each cleaned as the store cleans it: what the edit started
// from (orig), what its author sent (mine) and what is stored (theirs). It
// returns the values to save and, sorted, the fields both sides changed. A
// field orig lacks (a form that did not say what it started from) counts
// as changed by both sides when mine differs from theirs.
func MergeFields(orig, mine, theirs map[string]string) (map[string]string, []string) {
	merged := map[string]string{}
	var conflicts []string
	for field, m := range mine {
		o, known := orig[field]
		if !known {
			o = theirs[field] + "\x00" // differs from both: any difference conflicts
		}
		v, conflict := MergeField(o, m, theirs[field])
		if conflict {
			conflicts = append(conflicts, field)
		}
		merged[field] = v
	}
	slices.Sort(conflicts)
	return merged, conflicts
}

// MergeConflict is a stale edit in which both sides changed the same
// fields to different values; nothing was saved. errors.Is matches it
// with ErrConflict.
type MergeConflict struct {
	Fields []string
}

func (e *MergeConflict) Error() string {
	return "conflicting changes to " + strings.Join(e.Fields, ", ")
}

// Is makes a MergeConflict an ErrConflict.
func (e *MergeConflict) Is(target error) bool { return target == ErrConflict }

// UserFields are what the user form changes.
type UserFields struct {
	Email  string
	Active bool
	Roles  []string // role names
}

// MergeUser merges a stale edit of user u (mine) made from orig; it
// returns the fields to save and those both sides changed.
func MergeUser(orig, mine UserFields, u User) (UserFields, []string) {
	email, conflict := MergeField(strings.TrimSpace(orig.Email), strings.TrimSpace(mine.Email), u.Email)
	active, _ := MergeField(orig.Active, mine.Active, u.Active)
	merged := UserFields{Email: email, Active: active, Roles: MergeSet(orig.Roles, mine.Roles, roleNames(u.Roles))}
	if conflict {
		return merged, []string{"email"}
	}
	return merged, nil
}

// RoleFields are what the role form changes.
type RoleFields struct {
	Name  string
	Perms []string
}

// MergeRole merges a stale edit of role r (mine) made from orig; it
// returns the fields to save and those both sides changed.
func MergeRole(orig, mine RoleFields, r Role) (RoleFields, []string) {
	name, conflict := MergeField(cleanText(orig.Name), cleanText(mine.Name), r.Name)
	merged := RoleFields{Name: name, Perms: MergeSet(orig.Perms, mine.Perms, r.PermissionNames())}
	if conflict {
		return merged, []string{"name"}
	}
	return merged, nil
}
