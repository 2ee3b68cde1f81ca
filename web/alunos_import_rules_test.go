package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// An import needs can_add and can_edit on Aluno; a role with only one of
// them is refused.
func TestImportNeedsAddAndEdit(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	for i, perm := range []string{models.PermAddAlunos, models.PermEditAlunos} {
		role := "Só " + perm
		if _, err := models.NewRoleStore(app.db).Save(t.Context(), models.SystemActor, 0, nil,
			models.RoleFields{Name: role, Perms: []string{models.PermListAlunos, perm}}); err != nil {
			t.Fatal(err)
		}
		token := app.createUser(fmt.Sprintf("usuario%d", i), role)
		resp := app.send(app.apiClient, http.MethodPost, "/alunos/import", "ra,nome,turma\nR1,Ana,1A\n",
			"Authorization", "Bearer "+token, "Content-Type", "text/csv")
		wantStatus(t, resp, http.StatusForbidden)
	}
}

var studentAuditMetric = regexp.MustCompile(`(?m)^schooladmin_audit_events_total\{kind="student"\} (\d+)$`)

// The audit entries an import writes in batches are counted like those
// written one by one.
func TestImportIsCountedInTheAuditMetric(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	app.createAluno("Ana", "1A", "R1")
	wantStatus(t, app.importBody("", []byte("ra,nome,turma\nR1,Ana Souza,1A\nR2,Bia,1A\nR3,Caio,1A\n"), "text/csv"), http.StatusOK)
	var stored int64
	app.db.Model(&models.AuditEvent{}).Where("object_type = ?", models.AuditAluno).Count(&stored)
	m := studentAuditMetric.FindStringSubmatch(app.metricsText())
	if stored != 5 || m == nil || m[1] != "5" {
		t.Errorf("%d student audit entries stored, the metric says %v", stored, m)
	}
}
