package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
)

// recordStore is what the shared JSON handlers need of an entity's store:
// T is its record, In what a client sends to create or change one.
type recordStore[T, In any] interface {
	Get(ctx context.Context, id int64) (T, error)
	Create(ctx context.Context, actor models.Actor, in In, idem ...models.Idempotent[T]) (T, error)
	Update(ctx context.Context, actor models.Actor, id, version int64, in In, complete bool) (T, error)
	Delete(ctx context.Context, actor models.Actor, id int64, version *int64) error
}

// recordAPI is the JSON API every entity shares beside its list: read one
// (with its ETag), create (with Idempotency-Key), replace or patch at the
// version the client read (If-Match or "version"), delete.
type recordAPI[T, In any] struct {
	entity      models.Entity
	records     recordStore[T, In]
	idempotency idempotencyStore
	metrics     *Metrics
	// decode reads a request body into the entity's input.
	decode func(c echo.Context) (objectBody, In, error)
	// version and location give a record's version and address.
	version  func(T) int64
	location func(T) string
	// created is the body of the answer to a create.
	created func(T) any
	// base is the entity's list address ("/alunos"); deleted is the flash
	// that names a record deleted through the screens.
	base    string
	deleted func(T) string
}

func (a recordAPI[T, In]) showJSON(c echo.Context) error {
	id, err := recordID(c, a.entity)
	if err != nil {
		return err
	}
	r, err := a.records.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(a.version(r)))
	return c.JSON(http.StatusOK, r)
}

func (a recordAPI[T, In]) createJSON(c echo.Context) error {
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	body, in, err := a.decode(c)
	if err != nil {
		return err
	}
	create := func(idem ...models.Idempotent[T]) (T, error) {
		return a.records.Create(c.Request().Context(), auth.Actor(c), in, idem...)
	}
	r, replayed, err := createIdempotent(c, a.idempotency, key, body.raw, create, func(r T) (models.StoredAnswer, error) {
		return createdAnswer(a.location(r), a.created(r))
	})
	if replayed || err != nil {
		return err
	}
	a.metrics.Changed(a.entity, "created")
	c.Response().Header().Set(echo.HeaderLocation, a.location(r))
	return c.JSON(http.StatusCreated, a.created(r))
}

// updateJSON serves PUT (complete: every required field) and PATCH (only
// the fields sent change).
func (a recordAPI[T, In]) updateJSON(c echo.Context, complete bool) error {
	id, err := recordID(c, a.entity)
	if err != nil {
		return err
	}
	body, in, err := a.decode(c)
	if err != nil {
		return err
	}
	version, err := expectedVersion(c, body.version, true)
	if err != nil {
		return err
	}
	r, err := a.records.Update(c.Request().Context(), auth.Actor(c), id, *version, in, complete)
	if err != nil {
		return err
	}
	a.metrics.Changed(a.entity, "updated")
	c.Response().Header().Set("ETag", etag(a.version(r)))
	return c.JSON(http.StatusOK, r)
}

// deleteJSON serves DELETE, honouring If-Match when sent.
func (a recordAPI[T, In]) deleteJSON(c echo.Context) error {
	id, err := recordID(c, a.entity)
	if err != nil {
		return err
	}
	version, err := expectedVersion(c, nil, false)
	if err != nil {
		return err
	}
	if err := a.records.Delete(c.Request().Context(), auth.Actor(c), id, version); err != nil {
		return err
	}
	a.metrics.Changed(a.entity, "deleted")
	return c.NoContent(http.StatusNoContent)
}

// DeleteForm serves POST base/:id/delete, the confirmation's form, for the
// version confirmed. A record changed meanwhile goes back to the
// confirmation, one already gone to the list, one that cannot go yet (a
// turma with students) to its page, each with a message.
func (a recordAPI[T, In]) DeleteForm(c echo.Context) error {
	id, err := recordID(c, a.entity)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(c.Request().PostFormValue("version"), 10, 64)
	if err != nil {
		return badRequest("Formulário sem a versão do registro; abra a confirmação de novo.")
	}
	ctx := c.Request().Context()
	r, err := a.records.Get(ctx, id) // for the message that says which record went
	if err == nil {
		err = a.records.Delete(ctx, auth.Actor(c), id, &version)
	}
	page := a.base + "/" + strconv.FormatInt(id, 10)
	switch {
	case errors.Is(err, models.ErrConflict):
		return redirectWithFlash(c, page+"/delete", "error", explain(err).message+" Confira os dados atuais antes de excluir.")
	case errors.Is(err, models.ErrNotFound):
		return redirectWithFlash(c, a.base, "error", recordMessages[a.entity].gone)
	case errors.Is(err, models.ErrNotEmpty):
		return redirectWithFlash(c, page, "error", explain(err).message)
	case err != nil:
		return err
	}
	a.metrics.Changed(a.entity, "deleted")
	return redirectWithFlash(c, a.base, "success", a.deleted(r))
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
