package web

import (
	"context"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
)

// studentStore is what the students handlers need from the database.
type studentStore interface {
	List(ctx context.Context, q models.StudentQuery) ([]models.Aluno, int64, error)
	Turmas(ctx context.Context) ([]string, error)
	Get(ctx context.Context, id int64) (models.Aluno, error)
	Create(ctx context.Context, actor models.Actor, in models.AlunoInput, idem ...models.Idempotent[models.Aluno]) (models.Aluno, error)
	Update(ctx context.Context, actor models.Actor, id, version int64, in models.AlunoInput, complete bool) (models.Aluno, error)
	Delete(ctx context.Context, actor models.Actor, id int64, version *int64) error
	alunoWalker
	bulkStore
}

// historyStore gives a record's audit history for its page.
type historyStore interface {
	History(ctx context.Context, objectType string, id int64) ([]models.AuditEvent, error)
}

// Students serves /alunos: the JSON API for programs and the screens for
// people, on the same URLs (see wantsHTML).
type Students struct {
	store       studentStore
	audit       historyStore
	idempotency idempotencyStore
	metrics     *Metrics
	pages       pageMaker
}

// List serves GET /alunos.
func (h *Students) List(c echo.Context) error {
	if wantsHTML(c) {
		return h.listPage(c)
	}
	return h.listJSON(c)
}

// Create serves POST /alunos: a JSON body or the new-student form.
func (h *Students) Create(c echo.Context) error {
	if wantsHTML(c) {
		return h.createForm(c)
	}
	return h.createJSON(c)
}

// Show serves GET /alunos/:id.
func (h *Students) Show(c echo.Context) error {
	if wantsHTML(c) {
		return h.showPage(c)
	}
	return h.showJSON(c)
}

// studentID reads the :id parameter of a student's route.
func studentID(c echo.Context) (int64, error) { return recordID(c, models.EntityAluno) }
