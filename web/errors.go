package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

// apiError is the JSON body of every error answer.
type apiError struct {
	Error  string            `json:"error"`
	Code   errorCode         `json:"code"`
	Fields map[string]string `json:"fields,omitempty"`
}

// publicError is an error as the caller sees it: status, a stable code,
// a message in Portuguese and, for validation, the fields. It never holds
// driver text.
type publicError struct {
	status  int
	code    errorCode
	message string
	fields  map[string]string
}

// body is the JSON answer of the error.
func (pe publicError) body() apiError {
	return apiError{Error: pe.message, Code: pe.code, Fields: pe.fields}
}

// explain maps any error a handler returns to what the caller may see:
// the one place that gives an error its status, code and message.
func explain(err error) publicError {
	var (
		httpErr   *echo.HTTPError
		valErr    *models.ValidationError
		tooLarge  *http.MaxBytesError
		clientErr *clientError
		recordErr *models.RecordError
	)
	var raTaken *models.RATakenError
	switch {
	case errors.As(err, &raTaken):
		msg := "O RA " + raTaken.RA + " agora é do aluno " + raTaken.Holder.Nome + " (id " + strconv.FormatInt(raTaken.Holder.ID, 10) +
			"): mude o RA de um dos dois antes de restaurar."
		return publicError{http.StatusConflict, codeDuplicateRA, msg, map[string]string{"ra": msg}}
	case errors.As(err, &recordErr):
		return explainRecord(recordErr)
	case errors.As(err, &clientErr):
		return publicError{clientErr.status, clientErr.code, clientErr.message, clientErr.fields}
	case errors.As(err, &valErr):
		return publicError{http.StatusUnprocessableEntity, codeValidation, "Dados inválidos.", valErr.Fields}
	case errors.As(err, &tooLarge):
		return publicError{http.StatusRequestEntityTooLarge, codeTooLarge,
			"O corpo da requisição passa do limite de " + strconv.FormatInt(tooLarge.Limit, 10) + " bytes.", nil}
	case errors.Is(err, models.ErrNotFound):
		return publicError{http.StatusNotFound, codeNotFound, "Registro não encontrado.", nil}
	case errors.Is(err, models.ErrDuplicate):
		return publicError{http.StatusConflict, codeDuplicate, "Já existe um registro com estes dados.", nil}
	case errors.Is(err, models.ErrConflict):
		return publicError{http.StatusConflict, codeStaleVersion, "O registro foi alterado por outra pessoa: leia a versão atual e tente de novo.", nil}
	case errors.Is(err, models.ErrUnavailable):
		return publicError{http.StatusServiceUnavailable, codeUnavailable, "O banco de dados não está respondendo. Tente de novo em instantes.", nil}
	case errors.As(err, &httpErr):
		msg, ok := httpErr.Message.(string)
		if !ok || httpErr.Internal != nil || msg == http.StatusText(httpErr.Code) {
			msg = statusMessage(httpErr.Code)
		}
		return publicError{httpErr.Code, codeOfStatus(httpErr.Code), msg, nil}
	}
	return publicError{http.StatusInternalServerError, codeInternal, statusMessage(http.StatusInternalServerError), nil}
}

// recordMessages word the store errors of each entity; duplicateCode is
// the code of a taken unique field, gone the flash of a record already
// deleted when a screen deletes it.
var recordMessages = map[models.Entity]struct {
	notFound, duplicate, conflict, gone string
	duplicateCode                       errorCode
}{
	models.EntityAluno: {"Aluno não encontrado.", "Já existe um aluno com este RA.",
		"O aluno foi alterado por outra pessoa: leia a versão atual e tente de novo.", "Este aluno já tinha sido excluído.", codeDuplicateRA},
	models.EntityTurma: {"Turma não encontrada.", "Já existe uma turma com este código.",
		"A turma foi alterada por outra pessoa: leia a versão atual e tente de novo.", "Esta turma já tinha sido excluída.", codeDuplicateCodigo},
	models.EntityUser: {"Usuário não encontrado.", "Já existe um usuário com este nome.",
		"O usuário foi alterado por outra pessoa: leia a versão atual e tente de novo.", "Este usuário já tinha sido excluído.", codeDuplicate},
	models.EntityRole: {"Papel não encontrado.", "Já existe um papel com este nome.",
		"O papel foi alterado por outra pessoa: leia a versão atual e tente de novo.", "Este papel já tinha sido excluído.", codeDuplicate},
	models.EntityToken: {"Token não encontrado.", "Já existe um token com este nome.",
		"O token foi alterado por outra pessoa: leia a versão atual e tente de novo.", "Este token já tinha sido revogado.", codeDuplicate},
}

// explainRecord words a store error about one record.
func explainRecord(e *models.RecordError) publicError {
	msgs := recordMessages[e.Entity]
	switch {
	case errors.Is(e, models.ErrNotFound):
		return publicError{http.StatusNotFound, codeNotFound, msgs.notFound, nil}
	case errors.Is(e, models.ErrDuplicate):
		return publicError{http.StatusConflict, msgs.duplicateCode, msgs.duplicate, map[string]string{e.Field: msgs.duplicate}}
	case errors.Is(e, models.ErrConflict):
		return publicError{http.StatusConflict, codeStaleVersion, msgs.conflict, nil}
	case errors.Is(e, models.ErrNotEmpty):
		students := strconv.FormatInt(e.Count, 10) + " alunos"
		if e.Count == 1 {
			students = "1 aluno"
		}
		return publicError{http.StatusConflict, codeTurmaNotEmpty, "A turma " + e.Name + " ainda tem " + students +
			": mova-os para outra turma antes de excluí-la.", nil}
	}
	return publicError{http.StatusInternalServerError, codeInternal, statusMessage(http.StatusInternalServerError), nil}
}

// statusMessage is the Portuguese text for a status without a specific one.
func statusMessage(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Página não encontrada."
	case http.StatusMethodNotAllowed:
		return "Método não permitido neste endereço."
	case http.StatusForbidden:
		return "Acesso negado."
	case http.StatusUnauthorized:
		return "Autenticação necessária."
	case http.StatusServiceUnavailable:
		return "Serviço indisponível. Tente de novo em instantes."
	case http.StatusInternalServerError:
		return "Erro interno. A falha foi registrada; tente de novo em instantes."
	}
	if status >= 500 {
		return "Erro no servidor."
	}
	return "Requisição inválida."
}

// retryUnavailable is the Retry-After, in seconds, of a 503: long enough
// for a database failover or a burst of logins to pass, short enough for
// a script to wait without giving up.
const retryUnavailable = "5"

// statusClientClosed is nginx's 499 "client closed request": the client
// went away before the answer, so the failure is not the server's.
const statusClientClosed = 499

// explainRequest is explain for c's request: a failure while the client
// had already gone (its request context cancelled: the driver then
// reports "context canceled", or "interrupted" on SQLite) is 499, not a
// server error for the metrics and the log.
func explainRequest(c echo.Context, err error) publicError {
	pe := explain(err)
	if pe.status >= 500 && errors.Is(c.Request().Context().Err(), context.Canceled) {
		// never written (nobody reads it), so it has no code of its own
		return publicError{statusClientClosed, codeInternal, "O cliente desistiu do pedido.", nil}
	}
	return pe
}

// statusOf is the status an error becomes; metrics use it too.
func statusOf(c echo.Context, err error) int {
	if err == nil {
		return c.Response().Status
	}
	return explainRequest(c, err).status
}

// handleError is Echo's HTTPErrorHandler: a page for people, JSON for
// programs, the full error in the log for anything that is our fault. An
// answer to HEAD is written like GET's; net/http drops its body.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	pe := explainRequest(c, err)
	varyAccept(c.Response().Header()) // a page or JSON, by Accept
	if pe.status == http.StatusServiceUnavailable {
		// the database or the hashing slots are back within seconds, mostly
		c.Response().Header().Set("Retry-After", retryUnavailable)
	}
	r := c.Request()
	switch {
	case pe.status == statusClientClosed:
		s.log.Debug("client went away", "method", r.Method, "path", r.URL.Path, "status", pe.status, "err", err)
	case pe.status >= 500:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", pe.status, "err", err)
	}
	var werr error
	switch {
	case pe.status == statusClientClosed:
		werr = c.NoContent(pe.status) // nobody reads it; the status is for the metrics
	case auth.IsUnauthenticated(err) && wantsHTML(c):
		werr = c.Redirect(http.StatusSeeOther, loginURL(c))
	case wantsHTML(c):
		p := s.page(c, errorTitle(pe.status), "")
		werr = render(c, pe.status, views.ErrorPage(p, pe.status, pe.message))
	default:
		if pe.status == http.StatusUnauthorized {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="schooladmin"`)
		}
		werr = c.JSON(pe.status, pe.body())
	}
	if werr != nil {
		s.log.Error("writing error response", "err", werr)
	}
}

func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Página não encontrada"
	case http.StatusForbidden:
		return "Acesso negado"
	case http.StatusServiceUnavailable:
		return "Serviço indisponível"
	}
	if status >= 500 {
		return "Algo deu errado"
	}
	return "Não foi possível atender ao pedido"
}
