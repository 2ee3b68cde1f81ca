package models

// Permissions, in Flask-AppBuilder's form "permission on view". Routes
// declare one of these; roles are sets of them.
const (
	PermListAlunos   = "can_list on Aluno"
	PermShowAlunos   = "can_show on Aluno"
	PermAddAlunos    = "can_add on Aluno"
	PermEditAlunos   = "can_edit on Aluno"
	PermDeleteAlunos = "can_delete on Aluno"
	// PermRestoreAlunos opens the trash (Lixeira): the deleted students'
	// data, and bringing them back.
	PermRestoreAlunos = "can_restore on Aluno"
	PermListTurmas    = "can_list on Turma"
	PermShowTurmas    = "can_show on Turma"
	PermAddTurmas     = "can_add on Turma"
	PermEditTurmas    = "can_edit on Turma"
	PermDeleteTurmas  = "can_delete on Turma"
	PermManageUsers   = "can_manage on Users"
	PermManageRoles   = "can_manage on Roles"
	PermReadAudit     = "can_read on AuditLog"
)

// AllPermissions is every permission, in the order screens list them.
var AllPermissions = []string{
	PermListAlunos, PermShowAlunos, PermAddAlunos, PermEditAlunos, PermDeleteAlunos, PermRestoreAlunos,
	PermListTurmas, PermShowTurmas, PermAddTurmas, PermEditTurmas, PermDeleteTurmas,
	PermManageUsers, PermManageRoles, PermReadAudit,
}

// Built-in role names.
const (
	RoleAdmin  = "Admin"
	RoleEditor = "Editor"
	RoleViewer = "Viewer"
)

// builtInRoles are created at migration and kept in step with the code.
var builtInRoles = map[string][]string{
	RoleAdmin: AllPermissions,
	RoleEditor: {
		PermListAlunos, PermShowAlunos, PermAddAlunos, PermEditAlunos, PermDeleteAlunos, PermRestoreAlunos,
		PermListTurmas, PermShowTurmas, PermAddTurmas, PermEditTurmas, PermDeleteTurmas,
	},
	RoleViewer: {PermListAlunos, PermShowAlunos, PermListTurmas, PermShowTurmas},
}

// KnownPermission reports whether p is in AllPermissions.
func KnownPermission(p string) bool {
	for _, q := range AllPermissions {
		if p == q {
			return true
		}
	}
	return false
}
