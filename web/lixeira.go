package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

// trashStore is what the trash needs from the database.
type trashStore interface {
	Trash(ctx context.Context, q models.ListQuery) ([]models.AlunoExcluido, int64, error)
	Restore(ctx context.Context, actor models.Actor, id int64) (models.Aluno, error)
}

// Lixeira serves the trash: GET /alunos/trash lists the deleted students
// (a page for people, JSON for programs) and POST /alunos/:id/restore
// brings one back.
type Lixeira struct {
	store trashStore
	// retention is how long a deleted student is kept (TRASH_RETENTION),
	// for the purge date each entry shows.
	retention time.Duration
	metrics   *Metrics
	pages     pageMaker
}

// trashEntry is a deleted student as the API lists it: STUDENT, who
// deleted it and when, and when it will be purged.
type trashEntry struct {
	models.AlunoExcluido
	PurgeAt time.Time `json:"purge_at"`
}

// restoredBody is the answer to a restore through the API.
type restoredBody struct {
	Message string       `json:"message"`
	Aluno   models.Aluno `json:"aluno"`
}

const msgRestored = "Aluno restaurado com sucesso!"

// List serves GET /alunos/trash: newest deletion first, paged like every
// list (X-Total-Count, Link); q matches the beginning of the name or RA.
func (h *Lixeira) List(c echo.Context) error {
	q, err := models.ParseListQuery(models.TrashList, c.QueryParams())
	if err != nil {
		if wantsHTML(c) {
			return invalidAddress(c, h.pages, "lixeira", err)
		}
		return err
	}
	rows, total, err := h.store.Trash(c.Request().Context(), q)
	if err != nil {
		return err
	}
	if wantsHTML(c) {
		l := views.LixeiraList{Alunos: rows, Total: total, Query: q, LastPage: q.LastPage(total), Retention: h.retention}
		return render(c, http.StatusOK, views.LixeiraPage(h.pages.page(c, "Lixeira", "lixeira"), l))
	}
	setListHeaders(c, listPaging{page: q.Page, perPage: q.PerPage, last: q.LastPage(total), rows: len(rows), total: total})
	entries := make([]trashEntry, len(rows))
	for i, r := range rows {
		entries[i] = trashEntry{AlunoExcluido: r, PurgeAt: r.DeletedAt.Add(h.retention)}
	}
	return c.JSON(http.StatusOK, entries)
}

// Restore serves POST /alunos/:id/restore: the student comes back with
// its id, version and history. An RA taken meanwhile is 409, naming the
// student who has it.
func (h *Lixeira) Restore(c echo.Context) error {
	id, err := alunoID(c)
	if err != nil {
		return err
	}
	a, err := h.store.Restore(c.Request().Context(), auth.Actor(c), id)
	if wantsHTML(c) {
		return h.restored(c, a, err)
	}
	if err != nil {
		return err
	}
	h.metrics.Changed(models.EntityAluno, "restored")
	c.Response().Header().Set(echo.HeaderLocation, alunoLocation(a))
	return c.JSON(http.StatusOK, restoredBody{Message: msgRestored, Aluno: a})
}

// restored answers the restore form: the student's page, or back to the
// trash with what went wrong.
func (h *Lixeira) restored(c echo.Context, a models.Aluno, err error) error {
	var taken *models.RATakenError
	switch {
	case errors.As(err, &taken):
		return redirectWithFlash(c, "/alunos/trash", "error", explain(err).message)
	case errors.Is(err, models.ErrNotFound):
		return redirectWithFlash(c, "/alunos/trash", "error", "Este aluno não está mais na lixeira.")
	case err != nil:
		return err
	}
	h.metrics.Changed(models.EntityAluno, "restored")
	return redirectWithFlash(c, alunoLocation(a), "success", "Aluno "+a.Nome+" (RA "+a.RA+") restaurado.")
}
