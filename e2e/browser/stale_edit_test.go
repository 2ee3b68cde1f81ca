package browser

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// TestStaleEditMerges is two people editing one student at once: while
// the secretary has the edit form open, a coordinator changes the turma;
// the secretary changes only the name and saves, and both changes stay.
// Then both change the turma: the form comes back with both values, and
// the secretary chooses the coordinator's.
func TestStaleEditMerges(t *testing.T) {
	browser := startBrowser(t)
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		app := startApp(t, db)
		password := app.createUser(t, "secretaria", models.RoleEditor)
		p := newTab(t, browser, app.URL)
		p.signIn("/alunos", "secretaria", password)
		p.addStudent(student{"Ana Lima", "1º ano B", "2025-301"})
		id, err := strconv.ParseInt(strings.TrimPrefix(p.path(), "/alunos/"), 10, 64)
		if err != nil {
			t.Fatalf("student page %s: %v", p.path(), err)
		}
		coordinator := colleague{t: t, store: models.NewAlunoStore(db), id: id}

		p.click(testid("edit"))
		coordinator.setTurma(1, "2º ano C")
		p.fill(field("nome"), "Ana Lima Souza")
		if status := p.click(testid("save")); status != http.StatusOK || !studentPath.MatchString(p.path()) {
			t.Fatalf("saving after the coordinator's change led to %s (status %d)", p.path(), status)
		}
		expectFlash(p, "Alterações salvas.")
		expectStudent(p, "Ana Lima Souza", "2º ano C", "2025-301")

		p.click(testid("edit"))
		coordinator.setTurma(3, "3º ano A")
		p.fill(field("turma"), "1º ano D")
		if status := p.click(testid("save")); status != http.StatusConflict {
			t.Fatalf("saving a turma the coordinator also changed: status %d, want 409", status)
		}
		if got := p.text(testid("mine-turma")); got != "1º ano D" {
			t.Errorf("the secretary's turma is shown as %q", got)
		}
		if got := p.text(testid("current-turma")); got != "3º ano A" {
			t.Errorf("the coordinator's turma is shown as %q", got)
		}
		p.check(testid("conflict-turma") + ` input[name="keep_turma"][value="current"]`)
		if status := p.click(testid("save")); status != http.StatusOK || !studentPath.MatchString(p.path()) {
			t.Fatalf("saving the choice led to %s (status %d)", p.path(), status)
		}
		expectStudent(p, "Ana Lima Souza", "3º ano A", "2025-301")
	})
}

// colleague changes the student through the store, behind the browser's back.
type colleague struct {
	t     *testing.T
	store *models.AlunoStore
	id    int64
}

func (c colleague) setTurma(version int64, turma string) {
	c.t.Helper()
	_, err := c.store.Update(c.t.Context(), models.Actor{Username: "coordenacao"}, c.id, version,
		models.AlunoInput{Turma: &turma}, false)
	if err != nil {
		c.t.Fatalf("the coordinator's change: %v", err)
	}
}
