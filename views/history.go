package views

import (
	"maps"
	"slices"

	"schooladmin/models"
)

// actionLabels names audit actions for people.
var actionLabels = map[string]string{
	"student.create": "Aluno cadastrado", "student.update": "Aluno alterado", "student.delete": "Aluno excluído",
	"login.success": "Login", "login.failure": "Login recusado", "login.locked": "Login bloqueado",
	"login.logout": "Saída", "user.create": "Usuário criado", "user.update": "Usuário alterado",
	"user.password": "Senha alterada", "user.unlock": "Conta desbloqueada", "user.delete": "Usuário excluído",
	"role.create": "Papel criado",
	"role.update": "Papel alterado", "role.delete": "Papel excluído", "token.create": "Token criado",
	"token.revoke": "Token revogado",
}

// ActionLabel is the Portuguese name of an audit action.
func ActionLabel(action string) string {
	if l, ok := actionLabels[action]; ok {
		return l
	}
	return action
}

// ActorLabel names who did something.
func ActorLabel(actor string) string {
	if actor == "" {
		return "anônimo"
	}
	return actor
}

// ChangeRow is one changed field of an audit event.
type ChangeRow struct {
	Field, Old, New string
}

// ChangeRows lists an event's field changes in field order.
func ChangeRows(ev models.AuditEvent) []ChangeRow {
	changes := ev.ChangeList()
	rows := make([]ChangeRow, 0, len(changes))
	for _, field := range slices.Sorted(maps.Keys(changes)) {
		rows = append(rows, ChangeRow{Field: field, Old: changes[field].Old, New: changes[field].New})
	}
	return rows
}
