package web

import (
	"context"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
)

// alunoStore is what the students handlers need from the database.
type alunoStore interface {
	List(ctx context.Context, q models.ListQuery) ([]models.Aluno, int64, error)
	Get(ctx context.Context, id int64) (models.Aluno, error)
	Create(ctx context.Context, actor models.Actor, in models.AlunoInput, idem ...models.Idempotent[models.Aluno]) (models.Aluno, error)
	Update(ctx context.Context, actor models.Actor, id, version int64, in models.AlunoInput, complete bool) (models.Aluno, error)
	Delete(ctx context.Context, actor models.Actor, id int64, version *int64) error
	alunoWalker
	bulkStore
}

// turmaCodes lists the turmas' codes, for the students list's filter.
type turmaCodes interface {
	Codigos(ctx context.Context) ([]string, error)
}

// historyStore gives a record's audit history for its page.
type historyStore interface {
	History(ctx context.Context, objectType string, id int64) ([]models.AuditEvent, error)
}

// Alunos serves /alunos: the JSON API for programs and the screens for
// people, on the same URLs (see resource).
type Alunos struct {
	recordAPI[models.Aluno, models.AlunoInput]
	store  alunoStore
	turmas turmaCodes
	audit  historyStore
	pages  pageMaker
}

// newAlunos returns the students' handlers on store.
func newAlunos(store alunoStore, turmas turmaCodes, audit historyStore, idempotency idempotencyStore, metrics *Metrics, pages pageMaker) *Alunos {
	return &Alunos{
		recordAPI: recordAPI[models.Aluno, models.AlunoInput]{
			entity: models.EntityAluno, records: store, idempotency: idempotency, metrics: metrics,
			decode: func(c echo.Context) (objectBody, models.AlunoInput, error) {
				body, err := decodeAlunoBody(c)
				return body.objectBody, body.input, err
			},
			version:  func(a models.Aluno) int64 { return a.Version },
			location: alunoLocation,
			created:  func(a models.Aluno) any { return createdBody{Message: msgCreated, Aluno: a} },
			base:     "/alunos",
			deleted:  func(a models.Aluno) string { return "Aluno " + a.Nome + " (RA " + a.RA + ") excluído." },
		},
		store: store, turmas: turmas, audit: audit, pages: pages,
	}
}

// alunoID reads the :id parameter of a student's route.
func alunoID(c echo.Context) (int64, error) { return recordID(c, models.EntityAluno) }
