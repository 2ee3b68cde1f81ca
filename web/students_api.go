package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
)

// createdBody is the answer to POST /alunos; the message is the one the
// original application sent, kept for its clients.
type createdBody struct {
	Message string       `json:"message"`
	Aluno   models.Aluno `json:"aluno"`
}

func (h *Students) listJSON(c echo.Context) error {
	q, err := models.ParseStudentQuery(c.QueryParams())
	if err != nil {
		return err
	}
	alunos, total, err := h.store.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	paging := listPaging{page: q.Page, perPage: q.PerPage, last: q.LastPage(total), rows: len(alunos), total: total}
	if len(alunos) > 0 {
		paging.next = func() string { return q.NextCursor(alunos[len(alunos)-1]) }
	}
	setListHeaders(c, paging)
	return writeList(c, alunos)
}

// listBuffers recycles the buffers lists are encoded into.
var listBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// writeList answers a JSON array of students, encoded without reflection
// (models.Aluno.AppendJSON), as c.JSON would write it.
func writeList(c echo.Context, alunos []models.Aluno) error {
	bp := listBuffers.Get().(*[]byte)
	defer listBuffers.Put(bp)
	b := append((*bp)[:0], '[')
	for i, a := range alunos {
		if i > 0 {
			b = append(b, ',')
		}
		b = a.AppendJSON(b)
	}
	b = append(b, "]\n"...)
	*bp = b
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, b)
}

// msgCreated is the message the original application answered a create with.
const msgCreated = "Aluno adicionado com sucesso!"

func (h *Students) createJSON(c echo.Context) error {
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	body, err := decodeStudentBody(c)
	if err != nil {
		return err
	}
	create := func(idem ...models.Idempotent[models.Aluno]) (models.Aluno, error) {
		return h.store.Create(c.Request().Context(), auth.Actor(c), body.input, idem...)
	}
	a, replayed, err := createIdempotent(c, h.idempotency, key, body.raw, create, func(a models.Aluno) (models.StoredAnswer, error) {
		return createdAnswer(alunoLocation(a), createdBody{Message: msgCreated, Aluno: a})
	})
	if replayed || err != nil {
		return err
	}
	h.metrics.Changed(models.EntityAluno, "created")
	c.Response().Header().Set(echo.HeaderLocation, alunoLocation(a))
	return c.JSON(http.StatusCreated, createdBody{Message: msgCreated, Aluno: a})
}

func alunoLocation(a models.Aluno) string { return "/alunos/" + strconv.FormatInt(a.ID, 10) }

func (h *Students) showJSON(c echo.Context) error {
	id, err := studentID(c)
	if err != nil {
		return err
	}
	a, err := h.store.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(a.Version))
	return c.JSON(http.StatusOK, a)
}

// Replace serves PUT /alunos/:id: every field is required.
func (h *Students) Replace(c echo.Context) error { return h.updateJSON(c, true) }

// Patch serves PATCH /alunos/:id: only the fields sent change.
func (h *Students) Patch(c echo.Context) error { return h.updateJSON(c, false) }

func (h *Students) updateJSON(c echo.Context, complete bool) error {
	id, err := studentID(c)
	if err != nil {
		return err
	}
	body, err := decodeStudentBody(c)
	if err != nil {
		return err
	}
	version, err := expectedVersion(c, body.version, true)
	if err != nil {
		return err
	}
	a, err := h.store.Update(c.Request().Context(), auth.Actor(c), id, *version, body.input, complete)
	if err != nil {
		return err
	}
	h.metrics.Changed(models.EntityAluno, "updated")
	c.Response().Header().Set("ETag", etag(a.Version))
	return c.JSON(http.StatusOK, a)
}

// Delete serves DELETE /alunos/:id, honouring If-Match when sent.
func (h *Students) Delete(c echo.Context) error {
	id, err := studentID(c)
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
	h.metrics.Changed(models.EntityAluno, "deleted")
	return c.NoContent(http.StatusNoContent)
}

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// expectedVersion is the version the client last read: from If-Match or
// the body's "version" (they must agree when both are sent). Without
// either, required gives 428 Precondition Required.
func expectedVersion(c echo.Context, fromBody *int64, required bool) (*int64, error) {
	header := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if header == "" {
		if fromBody == nil && required {
			return nil, echo.NewHTTPError(http.StatusPreconditionRequired,
				`Informe a versão lida: o campo "version" ou o cabeçalho If-Match.`)
		}
		return fromBody, nil
	}
	v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(header, "W/"), `"`), 10, 64)
	if err != nil {
		return nil, invalidHeader(`If-Match deve ser a ETag lida, como "3".`)
	}
	if fromBody != nil && *fromBody != v {
		return nil, errors.Join(models.ErrConflict, errors.New("If-Match and body version differ"))
	}
	return &v, nil
}
