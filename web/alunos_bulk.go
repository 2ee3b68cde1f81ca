package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
)

// bulkStore is what bulk actions need from the database.
type bulkStore interface {
	Bulk(ctx context.Context, actor models.Actor, b models.AlunoBulk) (int, error)
	GetMany(ctx context.Context, ids []int64) ([]models.Aluno, error)
}

// AlunosBulk serves /alunos/bulk: one action (delete, or move to a turma)
// on many students at once, all or nothing. The route needs the list
// permission; each action needs its own too (bulkPermissions), checked
// here because the action is in the request.
type AlunosBulk struct {
	store   bulkStore
	turmas  turmaCodes
	metrics *Metrics
	pages   pageMaker
}

// bulkPermissions is the permission each action needs.
var bulkPermissions = map[string]string{
	models.BulkDelete:   models.PermDeleteAlunos,
	models.BulkSetTurma: models.PermEditAlunos,
}

// mayBulk refuses (403) a caller without the permission of action; before
// the action is known (""), one who holds none of them.
func mayBulk(c echo.Context, action string) error {
	p := auth.CurrentUser(c)
	if perm, ok := bulkPermissions[action]; ok {
		if !p.Can(perm) {
			return auth.ErrForbidden
		}
		return nil
	}
	for _, perm := range bulkPermissions {
		if p.Can(perm) {
			return nil
		}
	}
	return auth.ErrForbidden
}

// bulkAnswer is the JSON answer of a bulk action.
type bulkAnswer struct {
	Affected int `json:"affected"`
}

// Apply serves POST /alunos/bulk: a JSON body, or the confirmation page's form.
func (h *AlunosBulk) Apply(c echo.Context) error {
	if wantsHTML(c) {
		return h.applyForm(c)
	}
	if err := mayBulk(c, ""); err != nil {
		return err
	}
	b, err := decodeBulkBody(c)
	if denied := mayBulk(c, b.Action); denied != nil && b.Action != "" {
		return denied // the permission first, then the rest of the request
	}
	if err != nil {
		return err
	}
	n, err := h.store.Bulk(c.Request().Context(), auth.Actor(c), b)
	if err != nil {
		return namedFields(err)
	}
	h.changed(b.Action, n)
	return c.JSON(http.StatusOK, bulkAnswer{Affected: n})
}

// changed counts the changes in the metrics, one per student.
func (h *AlunosBulk) changed(action string, n int) {
	what := "updated"
	if action == models.BulkDelete {
		what = "deleted"
	}
	for range n {
		h.metrics.Changed(models.EntityAluno, what)
	}
}

// decodeBulkBody reads {"action", "ids", "turma"}; wrong types are 400,
// other fields 422, like every JSON body.
func decodeBulkBody(c echo.Context) (models.AlunoBulk, error) {
	var b models.AlunoBulk
	body, err := readObjectBody(c)
	if err != nil {
		return b, err
	}
	if body.version != nil {
		body.read.other("version")
	}
	body.each(func(key string, value json.RawMessage) {
		switch key {
		case "action":
			if s := body.read.text(key, value); s != nil {
				b.Action = *s
			}
		case "turma":
			if s := body.read.text(key, value); s != nil {
				b.Turma = *s
			}
		case "ids":
			if err := json.Unmarshal(value, &b.IDs); err != nil {
				body.read.typeErrs[key] = "Deve ser uma lista de números inteiros: os ids dos alunos."
			}
		default:
			body.read.other(key)
		}
	})
	return b, body.err()
}

// namedFields words a validation error with its messages, so the error
// itself names what was wrong (the unknown id, the action) and not only
// its fields.
func namedFields(err error) error {
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	return &clientError{status: http.StatusUnprocessableEntity, code: codeValidation, message: joinMessages(verr.Fields), fields: verr.Fields}
}
