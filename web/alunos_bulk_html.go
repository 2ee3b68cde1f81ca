package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

// bulkSelection is a bulk action as the list's form or the confirmation
// page sends it, and the list to go back to.
type bulkSelection struct {
	bulk models.AlunoBulk
	back string
}

// readSelection reads the action, the turma and the selected ids: each
// checked row, and with "page=all" every row of the page (the list's
// "select all" box, which works without the page's script); an id
// checked twice counts once.
func readSelection(v url.Values) (bulkSelection, error) {
	s := bulkSelection{back: safeBack(v.Get("back"))}
	s.bulk.Action, s.bulk.Turma = v.Get("action"), v.Get("turma")
	raw := v["ids"]
	if v.Get("page") == "all" {
		raw = append(raw, v["page_ids"]...)
	}
	seen := map[int64]bool{}
	for _, r := range raw {
		id, err := strconv.ParseInt(strings.TrimSpace(r), 10, 64)
		if err != nil {
			return s, badRequest("Seleção inválida: volte à lista e selecione os alunos de novo.")
		}
		if !seen[id] {
			seen[id] = true
			s.bulk.IDs = append(s.bulk.IDs, id)
		}
	}
	return s, nil
}

// safeBack is the list a selection came from: the students list or a
// turma's page on this site, else the students list.
func safeBack(raw string) string {
	p := safeNext(raw)
	if p == "/alunos" || strings.HasPrefix(p, "/alunos?") || strings.HasPrefix(p, "/turmas/") {
		return p
	}
	return "/alunos"
}

// bulkTitles name the page of each action.
var bulkTitles = map[string]string{models.BulkDelete: "Excluir alunos", models.BulkSetTurma: "Mover alunos de turma"}

// Confirm serves GET /alunos/bulk, the step between the list's selection
// and the action: for a move, the turma to move to; then the students,
// what will change for each, and the button that applies it.
func (h *AlunosBulk) Confirm(c echo.Context) error {
	sel, err := readSelection(c.QueryParams())
	if denied := mayBulk(c, sel.bulk.Action); denied != nil {
		return denied
	}
	if !wantsHTML(c) {
		return echo.NewHTTPError(http.StatusNotAcceptable, "Esta é a página de confirmação do navegador; pela API, use POST /alunos/bulk.")
	}
	if err != nil {
		return err
	}
	if len(sel.bulk.IDs) == 0 {
		return redirectWithFlash(c, sel.back, "error", "Selecione ao menos um aluno na lista.")
	}
	b := sel.bulk.Clean()
	page, status, err := h.preview(c.Request().Context(), b, sel.back)
	if err != nil {
		return err
	}
	return h.render(c, status, page)
}

// preview is the page of a selection: what is wrong with it, the turma
// to choose, or what will change.
func (h *AlunosBulk) preview(ctx context.Context, b models.AlunoBulk, back string) (views.AlunosBulk, int, error) {
	page := views.AlunosBulk{Action: b.Action, Turma: b.Turma, Back: back}
	fields := fieldMessages(b.Validate())
	if msg := fields["action"]; msg != "" {
		return page, 0, echo.NewHTTPError(http.StatusUnprocessableEntity, msg)
	}
	if page.Failure = fields["ids"]; page.Failure != "" {
		return page, http.StatusUnprocessableEntity, nil
	}
	alunos, err := h.store.GetMany(ctx, b.IDs)
	if err != nil {
		if page.Failure = fieldMessages(err)["ids"]; page.Failure != "" {
			return page, http.StatusUnprocessableEntity, nil
		}
		return page, 0, err
	}
	page.Alunos = alunos
	if b.Action == models.BulkDelete {
		return page, http.StatusOK, nil
	}
	if page.Turmas, err = h.turmas.Codigos(ctx); err != nil {
		return page, 0, err
	}
	switch msg := fields["turma"]; {
	case b.Turma == "":
		return page, http.StatusOK, nil // the first step: choose it
	case msg != "":
		page.Errors = map[string]string{"turma": msg}
		return page, http.StatusUnprocessableEntity, nil
	}
	page.Turma, page.NewTurma = storedCodigo(page.Turmas, b.Turma)
	return page, http.StatusOK, nil
}

// storedCodigo is the stored spelling of turma codigo among codigos (the
// same ignoring letter case and accents), and whether it is new.
func storedCodigo(codigos []string, codigo string) (string, bool) {
	key := models.SortKey(codigo)
	for _, c := range codigos {
		if models.SortKey(c) == key {
			return c, false
		}
	}
	return codigo, true
}

func (h *AlunosBulk) render(c echo.Context, status int, page views.AlunosBulk) error {
	return render(c, status, views.AlunosBulkPage(h.pages.page(c, bulkTitles[page.Action], "alunos"), page))
}

// applyForm applies the confirmed action and goes back to the list with
// a summary; a selection that cannot be applied (a student deleted
// meanwhile) shows why, and nothing changes.
func (h *AlunosBulk) applyForm(c echo.Context) error {
	if err := parseForm(c); err != nil {
		return err
	}
	sel, err := readSelection(c.Request().PostForm)
	if denied := mayBulk(c, sel.bulk.Action); denied != nil {
		return denied
	}
	if err != nil {
		return err
	}
	if len(sel.bulk.IDs) == 0 {
		return redirectWithFlash(c, sel.back, "error", "Selecione ao menos um aluno na lista.")
	}
	b := sel.bulk.Clean()
	ctx := c.Request().Context()
	n, err := h.store.Bulk(ctx, auth.Actor(c), b)
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		if _, ok := bulkTitles[b.Action]; !ok {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, joinMessages(verr.Fields))
		}
		page := views.AlunosBulk{Action: b.Action, Back: sel.back, Failure: joinMessages(verr.Fields) + " Nada foi alterado."}
		return h.render(c, http.StatusUnprocessableEntity, page)
	}
	if err != nil {
		return err
	}
	h.changed(b.Action, n)
	return redirectWithFlash(c, sel.back, "success", h.summary(ctx, b, n))
}

// summary is the message after a bulk action.
func (h *AlunosBulk) summary(ctx context.Context, b models.AlunoBulk, n int) string {
	if b.Action == models.BulkDelete {
		return plural(n, "aluno excluído.", "alunos excluídos.")
	}
	turma := b.Turma
	if codigos, err := h.turmas.Codigos(ctx); err == nil {
		turma, _ = storedCodigo(codigos, b.Turma)
	}
	msg := plural(n, "aluno movido", "alunos movidos") + " para a turma " + turma + "."
	if rest := len(b.IDs) - n; rest > 0 {
		msg += " " + plural(rest, "aluno já estava nela.", "alunos já estavam nela.")
	}
	return msg
}
