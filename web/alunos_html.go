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

func (h *Alunos) listPage(c echo.Context) error {
	ctx := c.Request().Context()
	q, err := models.ParseListQuery(models.AlunoList, c.QueryParams())
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		p := h.pages.page(c, "Endereço inválido", "alunos")
		return render(c, http.StatusUnprocessableEntity, views.ErrorPage(p, http.StatusUnprocessableEntity, joinMessages(verr.Fields)))
	}
	alunos, total, err := h.store.List(ctx, q)
	if err != nil {
		return err
	}
	turmas, err := h.turmas.Codigos(ctx)
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

func (h *Alunos) showPage(c echo.Context) error {
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

func (h *Alunos) load(c echo.Context) (models.Aluno, error) {
	id, err := alunoID(c)
	if err != nil {
		return models.Aluno{}, err
	}
	return h.store.Get(c.Request().Context(), id)
}

// New serves GET /alunos/new, the empty form; ?turma= fills the turma in
// (after "Salvar e adicionar outro", for typing a class list).
func (h *Alunos) New(c echo.Context) error {
	// a turma's page links here with its code filled in
	return h.renderForm(c, http.StatusOK, views.AlunoForm{Turma: strings.TrimSpace(c.QueryParam("turma"))})
}

func (h *Alunos) renderForm(c echo.Context, status int, f views.AlunoForm) error {
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
func (h *Alunos) formFailure(c echo.Context, f views.AlunoForm, err error) error {
	status, fields, ok := formErrors(err)
	if !ok {
		return err
	}
	f.Errors = fields
	return h.renderForm(c, status, f)
}

func (h *Alunos) createForm(c echo.Context) error {
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
func (h *Alunos) ConfirmDelete(c echo.Context) error {
	a, err := h.load(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.AlunoDeletePage(h.pages.page(c, "Excluir aluno", "alunos"), a))
}

// redirectWithFlash is the "redirect" of post/redirect/get, with a message
// for the next page.
func redirectWithFlash(c echo.Context, to, kind, message string) error {
	if err := auth.AddFlash(c, kind, message); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}
