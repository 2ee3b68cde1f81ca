package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
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
	store       turmaStore
	students    studentStore
	audit       historyStore
	idempotency idempotencyStore
	metrics     *Metrics
	pages       pageMaker
}

// List serves GET /turmas.
func (h *Turmas) List(c echo.Context) error {
	if wantsHTML(c) {
		return h.listPage(c)
	}
	return h.listJSON(c)
}

// Create serves POST /turmas: a JSON body or the new-turma form.
func (h *Turmas) Create(c echo.Context) error {
	if wantsHTML(c) {
		return h.createForm(c)
	}
	return h.createJSON(c)
}

// Show serves GET /turmas/:id.
func (h *Turmas) Show(c echo.Context) error {
	if wantsHTML(c) {
		return h.showPage(c)
	}
	return h.showJSON(c)
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

func (h *Turmas) createJSON(c echo.Context) error {
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	body, err := decodeTurmaBody(c)
	if err != nil {
		return err
	}
	create := func(idem ...models.Idempotent[models.Turma]) (models.Turma, error) {
		return h.store.Create(c.Request().Context(), auth.Actor(c), body.input, idem...)
	}
	t, replayed, err := createIdempotent(c, h.idempotency, key, body.raw, create, func(t models.Turma) (models.StoredAnswer, error) {
		return createdAnswer(turmaLocation(t), turmaCreated{Message: msgTurmaCreated, Turma: t})
	})
	if replayed || err != nil {
		return err
	}
	h.metrics.Changed(models.EntityTurma, "created")
	c.Response().Header().Set(echo.HeaderLocation, turmaLocation(t))
	return c.JSON(http.StatusCreated, turmaCreated{Message: msgTurmaCreated, Turma: t})
}

func (h *Turmas) showJSON(c echo.Context) error {
	t, err := h.load(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(t.Version))
	return c.JSON(http.StatusOK, t)
}

func (h *Turmas) load(c echo.Context) (models.Turma, error) {
	id, err := turmaID(c)
	if err != nil {
		return models.Turma{}, err
	}
	return h.store.Get(c.Request().Context(), id)
}

// Replace serves PUT /turmas/:id: codigo and ano_letivo are required.
func (h *Turmas) Replace(c echo.Context) error { return h.updateJSON(c, true) }

// Patch serves PATCH /turmas/:id: only the fields sent change.
func (h *Turmas) Patch(c echo.Context) error { return h.updateJSON(c, false) }

func (h *Turmas) updateJSON(c echo.Context, complete bool) error {
	id, err := turmaID(c)
	if err != nil {
		return err
	}
	body, err := decodeTurmaBody(c)
	if err != nil {
		return err
	}
	version, err := expectedVersion(c, body.version, true)
	if err != nil {
		return err
	}
	t, err := h.store.Update(c.Request().Context(), auth.Actor(c), id, *version, body.input, complete)
	if err != nil {
		return err
	}
	h.metrics.Changed(models.EntityTurma, "updated")
	c.Response().Header().Set("ETag", etag(t.Version))
	return c.JSON(http.StatusOK, t)
}

// Delete serves DELETE /turmas/:id: 409 while it has students.
func (h *Turmas) Delete(c echo.Context) error {
	id, err := turmaID(c)
	if err != nil {
		return err
	}
	version, err := expectedVersion(c, nil, false)
	if err != nil {
		return err
	}
	if err := h.store.Delete(c.Request().Context(), auth.Actor(c), id, version); err != nil {
		return err
	}
	h.metrics.Changed(models.EntityTurma, "deleted")
	return c.NoContent(http.StatusNoContent)
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
