package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

func (h *Turmas) listPage(c echo.Context) error {
	q, err := models.ParseListQuery(models.TurmaList, c.QueryParams())
	if err != nil {
		return invalidAddress(c, h.pages, "turmas", err)
	}
	turmas, total, err := h.store.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	l := views.TurmasList{Turmas: turmas, Total: total, Query: q, LastPage: q.LastPage(total)}
	return render(c, http.StatusOK, views.TurmasListPage(h.pages.page(c, "Turmas", "turmas"), l))
}

// invalidAddress answers a list address with parameters out of range.
func invalidAddress(c echo.Context, pages pageMaker, nav string, err error) error {
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	p := pages.page(c, "Endereço inválido", nav)
	return render(c, http.StatusUnprocessableEntity, views.ErrorPage(p, http.StatusUnprocessableEntity, joinMessages(verr.Fields)))
}

// showPage shows the turma and a page of its students, searched, sorted
// and paged like the students list.
func (h *Turmas) showPage(c echo.Context) error {
	ctx := c.Request().Context()
	t, err := h.load(c)
	if err != nil {
		return err
	}
	params := c.QueryParams()
	params.Set("turma", t.Codigo)
	q, err := models.ParseStudentQuery(params)
	if err != nil {
		return invalidAddress(c, h.pages, "turmas", err)
	}
	alunos, total, err := h.students.List(ctx, q)
	if err != nil {
		return err
	}
	history, err := h.audit.History(ctx, models.AuditTurma, t.ID)
	if err != nil {
		return err
	}
	l := views.AlunosList{Alunos: alunos, Total: total, Query: q, LastPage: q.LastPage(total), Base: views.TurmaURL(t, ""), PrintedAt: time.Now()}
	return render(c, http.StatusOK, views.TurmaShowPage(h.pages.page(c, "Turma "+t.Codigo, "turmas"), t, l, history))
}

// New serves GET /turmas/new, the empty form (this school year).
func (h *Turmas) New(c echo.Context) error {
	return h.renderForm(c, http.StatusOK, views.TurmaForm{AnoLetivo: strconv.Itoa(schoolYear())})
}

// Edit serves GET /turmas/:id/edit.
func (h *Turmas) Edit(c echo.Context) error {
	t, err := h.load(c)
	if err != nil {
		return err
	}
	return h.renderForm(c, http.StatusOK, views.FormFromTurma(t))
}

func (h *Turmas) renderForm(c echo.Context, status int, f views.TurmaForm) error {
	title := "Nova turma"
	if f.ID != 0 {
		title = "Editar turma"
	}
	return render(c, status, views.TurmaFormPage(h.pages.page(c, title, "turmas"), f))
}

// readTurmaForm reads the posted form into a view model (what was typed is
// kept) and a store input; a year that is not a number is a field error.
func readTurmaForm(c echo.Context) (views.TurmaForm, models.TurmaInput, error) {
	if err := parseForm(c); err != nil {
		return views.TurmaForm{}, models.TurmaInput{}, err
	}
	r := c.Request()
	f := views.TurmaForm{Codigo: r.PostFormValue("codigo"), AnoLetivo: strings.TrimSpace(r.PostFormValue("ano_letivo")), Turno: r.PostFormValue("turno")}
	f.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	in := models.TurmaInput{Codigo: &f.Codigo, Turno: &f.Turno}
	if f.AnoLetivo != "" {
		year, err := strconv.Atoi(f.AnoLetivo)
		if err != nil {
			return f, in, &models.ValidationError{Fields: map[string]string{"ano_letivo": "O ano letivo deve ser um número, como 2026."}}
		}
		in.AnoLetivo = &year
	}
	return f, in, nil
}

// formFailure re-renders the form for errors the person can fix, and
// passes anything else up to the error handler.
func (h *Turmas) formFailure(c echo.Context, f views.TurmaForm, err error) error {
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		f.Errors = verr.Fields
		return h.renderForm(c, http.StatusUnprocessableEntity, f)
	case errors.Is(err, models.ErrDuplicate):
		pe := explain(err)
		f.Errors = pe.fields
		return h.renderForm(c, http.StatusConflict, f)
	}
	return err
}

func (h *Turmas) createForm(c echo.Context) error {
	f, in, err := readTurmaForm(c)
	if err == nil {
		var t models.Turma
		if t, err = h.store.Create(c.Request().Context(), auth.Actor(c), in); err == nil {
			h.metrics.Changed(models.EntityTurma, "created")
			return redirectWithFlash(c, views.TurmaURL(t, ""), "success", "Turma "+t.Codigo+" adicionada.")
		}
	}
	return h.formFailure(c, f, err)
}

// UpdateForm serves POST /turmas/:id, the edit form. A stale version
// shows the stored values beside what was typed.
func (h *Turmas) UpdateForm(c echo.Context) error {
	id, err := turmaID(c)
	if err != nil {
		return err
	}
	f, in, err := readTurmaForm(c)
	f.ID = id
	if err != nil {
		return h.formFailure(c, f, err)
	}
	t, err := h.store.Update(c.Request().Context(), auth.Actor(c), id, f.Version, in, true)
	if errors.Is(err, models.ErrConflict) {
		f.Current, f.Version = &t, t.Version
		return h.renderForm(c, http.StatusConflict, f)
	}
	if err != nil {
		return h.formFailure(c, f, err)
	}
	h.metrics.Changed(models.EntityTurma, "updated")
	return redirectWithFlash(c, views.TurmaURL(t, ""), "success", "Alterações salvas.")
}

// ConfirmDelete serves GET /turmas/:id/delete, the confirmation step.
func (h *Turmas) ConfirmDelete(c echo.Context) error {
	t, err := h.load(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.TurmaDeletePage(h.pages.page(c, "Excluir turma", "turmas"), t))
}

// DeleteForm serves POST /turmas/:id/delete, for the version confirmed.
func (h *Turmas) DeleteForm(c echo.Context) error {
	id, err := turmaID(c)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(c.Request().PostFormValue("version"), 10, 64)
	if err != nil {
		return badRequest("Formulário sem a versão da turma; abra a confirmação de novo.")
	}
	back := "/turmas/" + strconv.FormatInt(id, 10)
	err = h.store.Delete(c.Request().Context(), auth.Actor(c), id, &version)
	switch {
	case errors.Is(err, models.ErrConflict):
		return redirectWithFlash(c, back+"/delete", "error", "A turma foi alterada por outra pessoa. Confira os dados atuais antes de excluir.")
	case errors.Is(err, models.ErrNotEmpty):
		return redirectWithFlash(c, back, "error", explain(err).message)
	case errors.Is(err, models.ErrNotFound):
		return redirectWithFlash(c, "/turmas", "error", "Esta turma já tinha sido excluída.")
	case err != nil:
		return err
	}
	h.metrics.Changed(models.EntityTurma, "deleted")
	return redirectWithFlash(c, "/turmas", "success", "Turma excluída.")
}

// schoolYear is the current year, the default ano letivo.
func schoolYear() int { return time.Now().Year() }
