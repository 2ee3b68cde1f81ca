package views

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"schooladmin/models"
)

// SelectOption is one choice of a select box or checkbox list.
type SelectOption struct {
	Value, Label string
}

// PermissionOptions lists every permission, in the order screens show them.
func PermissionOptions() []SelectOption {
	opts := make([]SelectOption, len(models.AllPermissions))
	for i, p := range models.AllPermissions {
		opts[i] = SelectOption{Value: p, Label: PermissionLabel(p)}
	}
	return opts
}

// PermissionLabels lists a role's permissions by their Portuguese names,
// in the screens' order.
func PermissionLabels(perms []string) []string {
	var labels []string
	for _, p := range models.AllPermissions {
		if slices.Contains(perms, p) {
			labels = append(labels, PermissionLabel(p))
		}
	}
	return labels
}

// TimeOrDash formats an optional timestamp, "—" for none.
func TimeOrDash(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return FormatTime(*t)
}

// YesNo is "Sim" or "Não".
func YesNo(b bool) string {
	if b {
		return "Sim"
	}
	return "Não"
}

// RoleNames joins the labels of roles, "—" for none.
func RoleNames(roles []models.Role) string {
	if len(roles) == 0 {
		return "—"
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = RoleLabel(r.Name)
	}
	return strings.Join(names, ", ")
}

// UserURL is the address of a user's administration page.
func UserURL(id int64, suffix string) string {
	return "/admin/users/" + strconv.FormatInt(id, 10) + suffix
}

// RoleURL is the address of a role's administration page.
func RoleURL(id int64, suffix string) string {
	return "/admin/roles/" + strconv.FormatInt(id, 10) + suffix
}

// UsersList is the view model of the users list.
type UsersList struct {
	Users    []models.User
	Total    int64
	Query    models.ListQuery
	LastPage int
	// LockedUntil holds, for each account failed logins locked, when
	// the lock ends.
	LockedUntil map[string]time.Time
}

// Pager is the users list's pager.
func (l UsersList) Pager() Pager {
	url := func(edit func(v url.Values)) string {
		v := url.Values{}
		if l.Query.Q != "" {
			v.Set("q", l.Query.Q)
		}
		if l.Query.Page > 1 {
			v.Set("page", strconv.Itoa(l.Query.Page))
		}
		if edit != nil {
			edit(v)
		}
		if len(v) == 0 {
			return "/admin/users"
		}
		return "/admin/users?" + v.Encode()
	}
	return Pager{Page: l.Query.Page, PerPage: l.Query.PerPage, LastPage: l.LastPage, Rows: len(l.Users), Total: l.Total, URL: url}
}

// UserForm is the view model of the new-user form and the edit page.
type UserForm struct {
	ID       int64 // 0 for a new user
	Username string
	Email    string
	Active   bool
	Source   string   // where the user signs in (models.User.Source)
	Roles    []string // the checked role names
	AllRoles []string // every role name, one checkbox each
	Errors   map[string]string
	Message  string // an error about the whole form, such as the last Admin
	// PasswordErrors are the errors of the password reset form.
	PasswordErrors map[string]string
	// LockedUntil is when the lock failed logins put on the account
	// ends; nil when it is not locked.
	LockedUntil *time.Time
	// Orig holds the values the edit form was opened with (hidden
	// fields), for merging a save that comes after someone else's.
	Orig *models.UserFields
	// Stale is set when someone else changed the user meanwhile;
	// Conflicts maps each field both changed to its stored value.
	Stale     bool
	Conflicts map[string]string
}

// UserFormFrom fills the edit form with a stored user.
func UserFormFrom(u models.User) UserForm {
	f := UserForm{ID: u.ID, Username: u.Username, Email: u.Email, Active: u.Active, Source: u.Source}
	for _, r := range u.Roles {
		f.Roles = append(f.Roles, r.Name)
	}
	f.Orig = &models.UserFields{Email: f.Email, Active: f.Active, Roles: f.Roles}
	return f
}

// StaleUserForm is the edit form after a stale save that could not be
// merged: the merged values, the stored user as the new starting point,
// and the e-mail both changed marked with its stored value.
func StaleUserForm(cur models.User, merged models.UserFields, conflicts []string) UserForm {
	f := UserFormFrom(cur)
	f.Email, f.Active, f.Roles = merged.Email, merged.Active, merged.Roles
	f.Stale, f.Conflicts = true, map[string]string{}
	if slices.Contains(conflicts, "email") {
		f.Conflicts["email"] = cur.Email
	}
	return f
}

// OrigActive is the hidden orig_active value.
func (f UserForm) OrigActive() string { return strconv.FormatBool(f.Orig.Active) }

// Action is where the form posts.
func (f UserForm) Action() string {
	if f.ID == 0 {
		return "/admin/users"
	}
	return UserURL(f.ID, "")
}

// HasRole reports whether role's checkbox is checked.
func (f UserForm) HasRole(role string) bool { return slices.Contains(f.Roles, role) }

// UserDelete is the view model of the delete confirmation.
type UserDelete struct {
	User    models.User
	Message string // why the deletion was refused
}

// RoleForm is the view model of the role form (new, copy and edit).
type RoleForm struct {
	ID      int64 // 0 for a new role
	Name    string
	Perms   []string
	BuiltIn bool // shown read-only
	Errors  map[string]string
	Message string // an error about the whole form
	// Orig holds the values the edit form was opened with (hidden
	// fields), for merging a save that comes after someone else's.
	Orig *models.RoleFields
	// Stale is set when someone else changed the role meanwhile;
	// Conflicts maps each field both changed to its stored value.
	Stale     bool
	Conflicts map[string]string
}

// RoleFormFrom fills the edit form with a stored role.
func RoleFormFrom(r models.Role) RoleForm {
	f := RoleForm{ID: r.ID, Name: r.Name, Perms: r.PermissionNames(), BuiltIn: r.BuiltIn}
	f.Orig = &models.RoleFields{Name: f.Name, Perms: f.Perms}
	return f
}

// StaleRoleForm is the edit form after a stale save that could not be
// merged: the merged values, the stored role as the new starting point,
// and the name both changed marked with its stored value.
func StaleRoleForm(cur models.Role, merged models.RoleFields, conflicts []string) RoleForm {
	f := RoleFormFrom(cur)
	f.Name, f.Perms = merged.Name, merged.Perms
	f.Stale, f.Conflicts = true, map[string]string{}
	if slices.Contains(conflicts, "name") {
		f.Conflicts["name"] = cur.Name
	}
	return f
}

// Action is where the form posts.
func (f RoleForm) Action() string {
	if f.ID == 0 {
		return "/admin/roles"
	}
	return RoleURL(f.ID, "")
}

// Has reports whether permission's checkbox is checked.
func (f RoleForm) Has(permission string) bool { return slices.Contains(f.Perms, permission) }

// RoleDelete is the view model of the role delete confirmation.
type RoleDelete struct {
	Role    models.RoleWithUsers
	Message string // why the deletion was refused
}

// LockedLabel says until when an account is locked.
func LockedLabel(until time.Time) string { return "Bloqueada até " + FormatTime(until) }
