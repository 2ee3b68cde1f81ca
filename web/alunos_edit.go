package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

// Edit serves GET /alunos/:id/edit. The form carries the version and the
// values it was opened with, for merging a save that comes too late.
func (h *Alunos) Edit(c echo.Context) error {
	a, err := h.load(c)
	if err != nil {
		return err
	}
	return h.renderForm(c, http.StatusOK, views.FormFromAluno(a))
}

// UpdateForm serves POST /alunos/:id, the edit form. A save against a
// newer version is merged with it: what only the other person changed is
// kept, what only this person changed is applied; a field both changed
// brings the form back (409) with both values, and nothing is written.
func (h *Alunos) UpdateForm(c echo.Context) error {
	id, err := alunoID(c)
	if err != nil {
		return err
	}
	f, in, err := readForm(c)
	if err != nil {
		return err
	}
	f.ID = id
	mine := in.Values()
	f.Orig = readOrig(c.Request().PostForm, mine)
	f.Nome, f.Turma, f.RA = mine["nome"], mine["turma"], mine["ra"] // a kept stored value shows as typed
	ctx, actor := c.Request().Context(), auth.Actor(c)
	edit := mergedEdit[models.Aluno]{
		save: func(version int64, values map[string]string) (models.Aluno, error) {
			return h.store.Update(ctx, actor, id, version, models.AlunoInputFrom(values), true)
		},
		stored: func(a models.Aluno) (int64, map[string]string) { return a.Version, a.Values() },
		clean:  func(v map[string]string) map[string]string { return models.AlunoInputFrom(v).Clean().Values() },
	}
	a, merged, conflicts, err := edit.run(f.Version, f.Orig, mine)
	if errors.Is(err, models.ErrConflict) {
		return h.renderForm(c, http.StatusConflict, views.StaleAlunoForm(a, merged, conflicts))
	}
	if err != nil {
		return h.formFailure(c, f, err)
	}
	h.metrics.Changed(models.EntityAluno, "updated")
	return redirectWithFlash(c, views.AlunoURL(a, ""), "success", "Alterações salvas.")
}
