package views

import (
	"maps"
	"slices"
	"testing"

	"schooladmin/models"
)

// A permission, role or audit object type the code defines must have a
// Portuguese label, so a new entity cannot show internal words.
func TestEveryInternalNameHasALabel(t *testing.T) {
	for _, p := range models.AllPermissions {
		if PermissionLabel(p) == p {
			t.Errorf("permission %q has no label", p)
		}
	}
	for _, r := range []string{models.RoleAdmin, models.RoleEditor, models.RoleViewer} {
		if RoleDescription(r) == "" {
			t.Errorf("built-in role %q has no description", r)
		}
	}
	for _, kind := range []string{models.AuditAluno, models.AuditLogin, models.AuditUser, models.AuditRole, models.AuditToken} {
		if ObjectTypeLabel(kind) == kind {
			t.Errorf("audit object type %q has no label", kind)
		}
	}
	labels := slices.Collect(maps.Values(permissionLabels))
	if len(slices.Compact(slices.Sorted(slices.Values(labels)))) != len(labels) {
		t.Errorf("two permissions share a label: %v", labels)
	}
}

func TestFieldValuesInPortuguese(t *testing.T) {
	cases := []struct{ field, value, want string }{
		{"permissions", models.PermListAlunos + ", " + models.PermReadAudit, "Listar alunos, Consultar a auditoria"},
		{"roles", "Admin, Secretaria", "Administrador, Secretaria"},
		{"active", "false", "Não"},
		{"turma", "1A", "1A"},
		{"permissions", "", ""},
	}
	for _, tc := range cases {
		if got := FieldValue(tc.field, tc.value); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.field, tc.value, got, tc.want)
		}
	}
}

// A login's summary names how the person signed in, in Portuguese.
func TestLoginMethodsInPortuguese(t *testing.T) {
	for _, method := range []string{"senha", "oidc", "ldap"} {
		if label(methodLabels, method) == method {
			t.Errorf("sign-in method %q has no label", method)
		}
	}
	ev := models.AuditEvent{Action: "login.failure", ObjectType: models.AuditLogin, Summary: models.LoginSummary("ldap", "sem papel")}
	if got := AuditSummary(ev); got != "Com diretório da escola (LDAP); motivo: sem papel" {
		t.Errorf("a refused directory login is shown as %q", got)
	}
}
