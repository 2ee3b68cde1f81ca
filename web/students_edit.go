package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

// maxMergeAttempts bounds how often a stale edit is merged again when the
// student keeps changing while it is being saved.
const maxMergeAttempts = 3

// Edit serves GET /alunos/:id/edit. The form carries the version and the
// values it was opened with, for merging a save that comes too late.
func (h *Students) Edit(c echo.Context) error {
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
func (h *Students) UpdateForm(c echo.Context) error {
	id, err := studentID(c)
	if err != nil {
		return err
	}
	f, mine, err := readForm(c)
	if err != nil {
		return err
	}
	f.ID = id
	orig := readOrig(c, &f, mine)
	a, err := h.saveEdit(c.Request().Context(), auth.Actor(c), id, f.Version, orig, mine)
	if errors.Is(err, models.ErrConflict) {
		merged, conflicts := models.MergeAluno(orig, mine, a)
		return h.renderForm(c, http.StatusConflict, views.StaleForm(a, merged, conflicts))
	}
	if err != nil {
		return h.formFailure(c, f, err)
	}
	h.metrics.Changed(models.EntityAluno, "updated")
	return redirectWithFlash(c, views.AlunoURL(a, ""), "success", "Alterações salvas.")
}

// readOrig reads the values the form was opened with (orig_FIELD; a
// field not sent stays nil) into the view model and a store input. A field
// whose keep_FIELD is "current" takes its original value as typed (mine
// points into f), which leaves the stored value as it is.
func readOrig(c echo.Context, f *views.AlunoForm, mine models.AlunoInput) models.AlunoInput {
	form := c.Request().PostForm
	value := func(name string, typed *string) *string {
		if !form.Has("orig_" + name) {
			return nil
		}
		v := form.Get("orig_" + name)
		if form.Get("keep_"+name) == "current" {
			*typed = v
		}
		return &v
	}
	orig := models.AlunoInput{Nome: value("nome", mine.Nome), Turma: value("turma", mine.Turma), RA: value("ra", mine.RA)}
	if orig.Nome != nil && orig.Turma != nil && orig.RA != nil {
		f.Orig = &views.AlunoValues{Nome: *orig.Nome, Turma: *orig.Turma, RA: *orig.RA}
	}
	return orig
}

// saveEdit saves a complete edit made from version. When the student has
// moved on, the edit is merged with the stored student (models.MergeAluno)
// and saved at the stored version, through the same versioned update, so a
// change made meanwhile is never overwritten. It returns ErrConflict, with
// the stored student, when both sides changed a field (or the student kept
// changing).
func (h *Students) saveEdit(ctx context.Context, actor models.Actor, id, version int64, orig, mine models.AlunoInput) (models.Aluno, error) {
	in := mine
	for attempt := 1; ; attempt++ {
		a, err := h.store.Update(ctx, actor, id, version, in, true)
		if !errors.Is(err, models.ErrConflict) || attempt == maxMergeAttempts {
			return a, err
		}
		merged, conflicts := models.MergeAluno(orig, mine, a)
		if len(conflicts) > 0 {
			return a, err
		}
		version, in = a.Version, merged
	}
}
