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
	q, err := models.ParseListQuery(models.AlunoList, params)
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
// kept) and its values; a year that is not a number is a field error.
func readTurmaForm(c echo.Context) (views.TurmaForm, map[string]string, error) {
	if err := parseForm(c); err != nil {
		return views.TurmaForm{}, nil, err
	}
	r := c.Request()
	f := views.TurmaForm{Codigo: r.PostFormValue("codigo"), AnoLetivo: strings.TrimSpace(r.PostFormValue("ano_letivo")), Turno: r.PostFormValue("turno")}
	f.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return f, map[string]string{"codigo": f.Codigo, "ano_letivo": f.AnoLetivo, "turno": f.Turno}, nil
}

// formFailure re-renders the form for errors the person can fix, and
// passes anything else up to the error handler.
func (h *Turmas) formFailure(c echo.Context, f views.TurmaForm, err error) error {
	status, fields, ok := formErrors(err)
	if !ok {
		return err
	}
	f.Errors = fields
	return h.renderForm(c, status, f)
}

func (h *Turmas) createForm(c echo.Context) error {
	f, values, err := readTurmaForm(c)
	if err != nil {
		return err
	}
	in, err := models.TurmaInputFrom(values)
	if err == nil {
		var t models.Turma
		if t, err = h.store.Create(c.Request().Context(), auth.Actor(c), in); err == nil {
			h.metrics.Changed(models.EntityTurma, "created")
			return redirectWithFlash(c, views.TurmaURL(t, ""), "success", "Turma "+t.Codigo+" adicionada.")
		}
	}
	return h.formFailure(c, f, err)
}

// UpdateForm serves POST /turmas/:id, the edit form, merged with changes
// made meanwhile like the students' (see mergedEdit).
func (h *Turmas) UpdateForm(c echo.Context) error {
	id, err := turmaID(c)
	if err != nil {
		return err
	}
	f, mine, err := readTurmaForm(c)
	if err != nil {
		return err
	}
	f.ID = id
	f.Orig = readOrig(c.Request().PostForm, mine)
	f.Codigo, f.AnoLetivo, f.Turno = mine["codigo"], mine["ano_letivo"], mine["turno"]
	ctx, actor := c.Request().Context(), auth.Actor(c)
	edit := mergedEdit[models.Turma]{
		save: func(version int64, values map[string]string) (models.Turma, error) {
			in, err := models.TurmaInputFrom(values)
			if err != nil {
				return models.Turma{}, err
			}
			return h.store.Update(ctx, actor, id, version, in, true)
		},
		stored: func(t models.Turma) (int64, map[string]string) { return t.Version, t.Values() },
		clean: func(v map[string]string) map[string]string {
			in, err := models.TurmaInputFrom(v)
			if err != nil {
				return v
			}
			return in.Clean().Values()
		},
	}
	t, merged, conflicts, err := edit.run(f.Version, f.Orig, mine)
	if errors.Is(err, models.ErrConflict) {
		return h.renderForm(c, http.StatusConflict, views.StaleTurmaForm(t, merged, conflicts))
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

// schoolYear is the current year, the default ano letivo.
func schoolYear() int { return time.Now().Year() }
