package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
)

// turmaStore is what the turmas handlers need from the database.
type turmaStore interface {
	List(ctx context.Context, q models.ListQuery) ([]models.Turma, int64, error)
	Get(ctx context.Context, id int64) (models.Turma, error)
	Create(ctx context.Context, actor models.Actor, in models.TurmaInput, idem ...models.Idempotent[models.Turma]) (models.Turma, error)
	Update(ctx context.Context, actor models.Actor, id, version int64, in models.TurmaInput, complete bool) (models.Turma, error)
	Delete(ctx context.Context, actor models.Actor, id int64, version *int64) error
}

// Turmas serves /turmas: the JSON API and the screens, in the students'
// shape (see resource); a turma's page lists its students.
type Turmas struct {
	recordAPI[models.Turma, models.TurmaInput]
	store    turmaStore
	students alunoStore
	audit    historyStore
	pages    pageMaker
}

// newTurmas returns the turmas' handlers on store.
func newTurmas(store turmaStore, students alunoStore, audit historyStore, idempotency idempotencyStore, metrics *Metrics, pages pageMaker) *Turmas {
	return &Turmas{
		recordAPI: recordAPI[models.Turma, models.TurmaInput]{
			entity: models.EntityTurma, records: store, idempotency: idempotency, metrics: metrics,
			decode: func(c echo.Context) (objectBody, models.TurmaInput, error) {
				body, err := decodeTurmaBody(c)
				return body.objectBody, body.input, err
			},
			version:  func(t models.Turma) int64 { return t.Version },
			location: turmaLocation,
			created:  func(t models.Turma) any { return turmaCreated{Message: msgTurmaCreated, Turma: t} },
			base:     "/turmas",
			deleted:  func(t models.Turma) string { return "Turma " + t.Codigo + " excluída." },
		},
		store: store, students: students, audit: audit, pages: pages,
	}
}

func turmaID(c echo.Context) (int64, error) { return recordID(c, models.EntityTurma) }

func turmaLocation(t models.Turma) string { return "/turmas/" + strconv.FormatInt(t.ID, 10) }

// turmaCreated is the answer to POST /turmas.
type turmaCreated struct {
	Message string       `json:"message"`
	Turma   models.Turma `json:"turma"`
}

const msgTurmaCreated = "Turma adicionada com sucesso!"

func (h *Turmas) listJSON(c echo.Context) error {
	q, err := models.ParseListQuery(models.TurmaList, c.QueryParams())
	if err != nil {
		return err
	}
	turmas, total, err := h.store.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	setListHeaders(c, listPaging{page: q.Page, perPage: q.PerPage, last: q.LastPage(total), rows: len(turmas), total: total})
	return c.JSON(http.StatusOK, turmas)
}

func (h *Turmas) load(c echo.Context) (models.Turma, error) {
	id, err := turmaID(c)
	if err != nil {
		return models.Turma{}, err
	}
	return h.store.Get(c.Request().Context(), id)
}

// turmaBody is a decoded JSON request body for a turma.
type turmaBody struct {
	objectBody
	input models.TurmaInput
}

// decodeTurmaBody reads a JSON object with codigo, ano_letivo, turno and
// version; alunos, the count, is read-only and ignored like id.
func decodeTurmaBody(c echo.Context) (turmaBody, error) {
	body, err := readObjectBody(c)
	if err != nil {
		return turmaBody{}, err
	}
	tb := turmaBody{objectBody: body}
	body.each(func(key string, value json.RawMessage) {
		switch key {
		case "codigo":
			tb.input.Codigo = body.read.text(key, value)
		case "ano_letivo":
			tb.input.AnoLetivo = body.read.integer(key, value)
		case "turno":
			tb.input.Turno = body.read.text(key, value)
		case "alunos":
		default:
			body.read.other(key)
		}
	})
	return tb, body.err()
}
