package web

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
)

// createdBody is the answer to POST /alunos; the message is the one the
// original application sent, kept for its clients.
type createdBody struct {
	Message string       `json:"message"`
	Aluno   models.Aluno `json:"aluno"`
}

func (h *Alunos) listJSON(c echo.Context) error {
	q, err := models.ParseListQuery(models.AlunoList, c.QueryParams())
	if err != nil {
		return err
	}
	alunos, total, err := h.store.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	paging := listPaging{page: q.Page, perPage: q.PerPage, last: q.LastPage(total), rows: len(alunos), total: total}
	if len(alunos) > 0 {
		last := alunos[len(alunos)-1]
		paging.next = func() string { return q.NextCursor(last.SortValue(q.SortKey()), last.ID) }
	}
	setListHeaders(c, paging)
	return writeList(c, alunos)
}

// listBuffers recycles the buffers lists are encoded into.
var listBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// writeList answers a JSON array of students, encoded without reflection
// (models.Aluno.AppendJSON), as c.JSON would write it.
func writeList(c echo.Context, alunos []models.Aluno) error {
	bp := listBuffers.Get().(*[]byte)
	defer listBuffers.Put(bp)
	b := append((*bp)[:0], '[')
	for i, a := range alunos {
		if i > 0 {
			b = append(b, ',')
		}
		b = a.AppendJSON(b)
	}
	b = append(b, "]\n"...)
	*bp = b
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, b)
}

// msgCreated is the message the original application answered a create with.
const msgCreated = "Aluno adicionado com sucesso!"

func alunoLocation(a models.Aluno) string { return "/alunos/" + strconv.FormatInt(a.ID, 10) }
