package views

import (
	"strconv"
	"strings"

	"schooladmin/models"
)

// The words people read for the internal names the data keeps
// ("can_list on Aluno", "Viewer", "student.update", "system") are all in
// this file, so that a new entity (such as Turma) adds its permissions,
// actions and fields in one place, and a translation has one file to
// follow. They are wording for screens, so they live in views: the
// database, the API, the command line and the audit records keep the
// internal names. TestEveryInternalNameHasALabel checks that nothing the
// code defines is left without one.

// permissionLabels names permissions.
var permissionLabels = map[string]string{
	models.PermListAlunos:    "Listar alunos",
	models.PermShowAlunos:    "Ver ficha de aluno",
	models.PermAddAlunos:     "Cadastrar alunos",
	models.PermEditAlunos:    "Editar alunos",
	models.PermDeleteAlunos:  "Excluir alunos",
	models.PermRestoreAlunos: "Ver a lixeira e restaurar alunos",
	models.PermListTurmas:    "Listar turmas",
	models.PermShowTurmas:    "Ver turma",
	models.PermAddTurmas:     "Cadastrar turmas",
	models.PermEditTurmas:    "Editar turmas",
	models.PermDeleteTurmas:  "Excluir turmas",
	models.PermManageUsers:   "Gerenciar usuários",
	models.PermManageRoles:   "Gerenciar papéis",
	models.PermReadAudit:     "Consultar a auditoria",
}

// builtInRoleLabels names the built-in roles and says in a line what each
// may do; a custom role is shown by its own name.
var builtInRoleLabels = map[string]struct{ label, description string }{
	models.RoleAdmin:  {"Administrador", "tudo, inclusive usuários e papéis"},
	models.RoleEditor: {"Editor", "cadastra, altera e exclui alunos e turmas; restaura alunos da lixeira"},
	models.RoleViewer: {"Consulta", "só vê alunos e turmas (listas e fichas)"},
}

// actionLabels names audit actions.
var actionLabels = map[string]string{
	"student.create": "Aluno cadastrado", "student.update": "Aluno alterado", "student.delete": "Aluno excluído",
	"student.restore": "Aluno restaurado da lixeira", "student.purge": "Aluno apagado da lixeira",
	"turma.create": "Turma criada", "turma.update": "Turma alterada", "turma.delete": "Turma excluída",
	"login.success": "Login", "login.failure": "Login recusado", "login.locked": "Login bloqueado",
	"login.logout": "Saída", "user.create": "Usuário criado", "user.update": "Usuário alterado",
	"user.password": "Senha alterada", "user.unlock": "Conta desbloqueada", "user.delete": "Usuário excluído",
	"role.create": "Papel criado", "role.update": "Papel alterado", "role.delete": "Papel excluído",
	"token.create": "Token criado", "token.revoke": "Token revogado",
	// An import as a whole; each student it changes has its own entry.
	"student.import": "Alunos importados",
}

// objectTypeLabels names the kinds of object the audit trail records.
var objectTypeLabels = map[string]string{
	models.AuditAluno: "Aluno", models.AuditLogin: "Login", models.AuditUser: "Usuário",
	models.AuditRole: "Papel", models.AuditToken: "Token de API", models.AuditTurma: "Turma",
}

// fieldLabels names the fields whose changes the audit trail records.
var fieldLabels = map[string]string{
	"nome": "Nome", "turma": "Turma", "ra": "RA", "codigo": "Código", "ano_letivo": "Ano letivo", "turno": "Turno",
	"email": "E-mail", "active": "Ativo", "roles": "Papéis", "permissions": "Permissões",
}

// methodLabels names the ways of signing in, as login events record them.
var methodLabels = map[string]string{
	"senha": "senha do schooladmin",
	"oidc":  "login único (OpenID Connect)",
	"ldap":  "diretório da escola (LDAP)",
}

// actorLabels names the audit trail's actors that are not people.
var actorLabels = map[string]string{
	"":       "anônimo",          // a failed login
	"system": "sistema",          // the first administrator, created at start-up
	"cli":    "linha de comando", // the schooladmin command
}

// label looks name up in labels, falling back to name itself.
func label(labels map[string]string, name string) string {
	if l, ok := labels[name]; ok {
		return l
	}
	return name
}

// SourceLabel names where an account signs in (models.User.Source).
func SourceLabel(source string) string {
	if source == models.SourceLocal {
		return label(methodLabels, "senha")
	}
	return label(methodLabels, source)
}

// PermissionLabel is the Portuguese name of a permission.
func PermissionLabel(permission string) string { return label(permissionLabels, permission) }

// RoleLabel is the Portuguese name of a role: a built-in role's label, a
// custom role's own name.
func RoleLabel(role string) string {
	if r, ok := builtInRoleLabels[role]; ok {
		return r.label
	}
	return role
}

// RoleDescription says in a line what a built-in role may do ("" for a
// custom role, whose permissions are listed instead).
func RoleDescription(role string) string { return builtInRoleLabels[role].description }

// RoleChoice is a role's checkbox label: its name and, for a built-in
// role, what it may do.
func RoleChoice(role string) string {
	if d := RoleDescription(role); d != "" {
		return RoleLabel(role) + ": " + d
	}
	return RoleLabel(role)
}

// ActionLabel is the Portuguese name of an audit action.
func ActionLabel(action string) string { return label(actionLabels, action) }

// ObjectTypeLabel is the Portuguese name of an audit object type.
func ObjectTypeLabel(objectType string) string { return label(objectTypeLabels, objectType) }

// FieldLabel is the Portuguese name of a field in the audit trail.
func FieldLabel(field string) string { return label(fieldLabels, field) }

// ActorLabel names who did something: a username, or what acted when no
// person did.
func ActorLabel(actor string) string { return label(actorLabels, actor) }

// FieldValue shows a field's recorded value to people: permissions and
// roles (recorded as comma-separated internal names) by their labels, a
// flag as Sim or Não.
func FieldValue(field, value string) string {
	switch field {
	case "permissions":
		return mapList(value, PermissionLabel)
	case "roles":
		return mapList(value, RoleLabel)
	case "active":
		if b, err := strconv.ParseBool(value); err == nil {
			return YesNo(b)
		}
	}
	return value
}

// AuditSummary is an event's summary for people: the summary of a new
// user ("roles: Admin, Editor") names the roles in Portuguese, a login's
// ("method: oidc; reason") how the person signed in and why they were
// refused.
func AuditSummary(ev models.AuditEvent) string {
	if roles, ok := strings.CutPrefix(ev.Summary, "roles: "); ok && ev.Action == "user.create" {
		if roles == "" {
			return "Papéis: —"
		}
		return "Papéis: " + mapList(roles, RoleLabel)
	}
	if method, reason, ok := models.ParseLoginSummary(ev.Summary); ok && ev.ObjectType == models.AuditLogin {
		if reason != "" {
			return "Com " + label(methodLabels, method) + "; motivo: " + reason
		}
		return "Com " + label(methodLabels, method)
	}
	return ev.Summary
}

// mapList applies name to each item of a comma-separated list.
func mapList(list string, name func(string) string) string {
	if list == "" {
		return ""
	}
	items := strings.Split(list, ", ")
	for i, it := range items {
		items[i] = name(it)
	}
	return strings.Join(items, ", ")
}
