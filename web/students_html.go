package web

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

func (h *Students) listPage(c echo.Context) error {
	ctx := c.Request().Context()
	q, err := models.ParseStudentQuery(c.QueryParams())
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		p := h.pages.page(c, "Endereço inválido", "alunos")
		return render(c, http.StatusUnprocessableEntity, views.ErrorPage(p, http.StatusUnprocessableEntity, joinMessages(verr.Fields)))
	}
	alunos, total, err := h.store.List(ctx, q)
	if err != nil {
		return err
	}
	turmas, err := h.store.Turmas(ctx)
	if err != nil {
		return err
	}
	l := views.AlunosList{Alunos: alunos, Total: total, Query: q, Turmas: turmas, LastPage: q.LastPage(total), PrintedAt: time.Now()}
	return render(c, http.StatusOK, views.AlunosListPage(h.pages.page(c, "Alunos", "alunos"), l))
}

func joinMessages(fields map[string]string) string {
	var msgs []string
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		msgs = append(msgs, fields[k])
	}
	return strings.Join(msgs, " ")
}

func (h *Students) showPage(c echo.Context) error {
	a, err := h.load(c)
	if err != nil {
		return err
	}
	history, err := h.audit.History(c.Request().Context(), models.AuditAluno, a.ID)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.AlunoShowPage(h.pages.page(c, a.Nome, "alunos"), a, history))
}

func (h *Students) load(c echo.Context) (models.Aluno, error) {
	id, err := studentID(c)
	if err != nil {
		return models.Aluno{}, err
	}
	return h.store.Get(c.Request().Context(), id)
}

// New serves GET /alunos/new, the empty form; ?turma= fills the turma in
// (after "Salvar e adicionar outro", for typing a class list).
func (h *Students) New(c echo.Context) error {
	// a turma's page links here with its code filled in
	return h.renderForm(c, http.StatusOK, views.AlunoForm{Turma: strings.TrimSpace(c.QueryParam("turma"))})
}

func (h *Students) renderForm(c echo.Context, status int, f views.AlunoForm) error {
	title := "Novo aluno"
	if f.ID != 0 {
		title = "Editar aluno"
	}
	return render(c, status, views.AlunoFormPage(h.pages.page(c, title, "alunos"), f))
}

// readForm reads the posted form into a view model (what was typed is
// kept) and a store input.
func readForm(c echo.Context) (views.AlunoForm, models.AlunoInput, error) {
	if err := parseForm(c); err != nil {
		return views.AlunoForm{}, models.AlunoInput{}, err
	}
	r := c.Request()
	f := views.AlunoForm{Nome: r.PostFormValue("nome"), Turma: r.PostFormValue("turma"), RA: r.PostFormValue("ra")}
	f.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return f, models.AlunoInput{Nome: &f.Nome, Turma: &f.Turma, RA: &f.RA}, nil
}

// formFailure re-renders the form for errors the person can fix, and
// passes anything else up to the error handler.
func (h *Students) formFailure(c echo.Context, f views.AlunoForm, err error) error {
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		f.Errors = verr.Fields
		return h.renderForm(c, http.StatusUnprocessableEntity, f)
	case errors.Is(err, models.ErrDuplicate):
		f.Errors = map[string]string{"ra": msgDuplicateRA}
		return h.renderForm(c, http.StatusConflict, f)
	}
	return err
}

func (h *Students) createForm(c echo.Context) error {
	f, in, err := readForm(c)
	if err != nil {
		return err
	}
	a, err := h.store.Create(c.Request().Context(), auth.Actor(c), in)
	if err != nil {
		return h.formFailure(c, f, err)
	}
	h.metrics.Changed(models.EntityAluno, "created")
	if c.Request().PostFormValue("then") == "new" { // "Salvar e adicionar outro"
		return redirectWithFlash(c, "/alunos/new?"+url.Values{"turma": {a.Turma}}.Encode(), "success",
			"Aluno "+a.Nome+" (RA "+a.RA+") adicionado. Agora o próximo.")
	}
	return redirectWithFlash(c, views.AlunoURL(a, ""), "success", msgCreated)
}

// ConfirmDelete serves GET /alunos/:id/delete, the confirmation step.
func (h *Students) ConfirmDelete(c echo.Context) error {
	a, err := h.load(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.AlunoDeletePage(h.pages.page(c, "Excluir aluno", "alunos"), a))
}

// DeleteForm serves POST /alunos/:id/delete, for the version confirmed.
func (h *Students) DeleteForm(c echo.Context) error {
	id, err := studentID(c)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(c.Request().PostFormValue("version"), 10, 64)
	if err != nil {
		return badRequest("Formulário sem a versão do aluno; abra a confirmação de novo.")
	}
	ctx := c.Request().Context()
	a, err := h.store.Get(ctx, id) // for the message that says which student went
	if err == nil {
		err = h.store.Delete(ctx, auth.Actor(c), id, &version)
	}
	switch {
	case errors.Is(err, models.ErrConflict):
		return redirectWithFlash(c, "/alunos/"+strconv.FormatInt(id, 10)+"/delete", "error",
			"O aluno foi alterado por outra pessoa. Confira os dados atuais antes de excluir.")
	case errors.Is(err, models.ErrNotFound):
		return redirectWithFlash(c, "/alunos", "error", "Este aluno já tinha sido excluído.")
	case err != nil:
		return err
	}
	h.metrics.Changed(models.EntityAluno, "deleted")
	return redirectWithFlash(c, "/alunos", "success", "Aluno "+a.Nome+" (RA "+a.RA+") excluído.")
}

// redirectWithFlash is the "redirect" of post/redirect/get, with a message
// for the next page.
func redirectWithFlash(c echo.Context, to, kind, message string) error {
	if err := auth.AddFlash(c, kind, message); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}
