package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
	"schooladmin/views"
)

// alunoWalker reads every student of a list, a page at a time.
type alunoWalker interface {
	Walk(ctx context.Context, q models.ListQuery, size int, fn func([]models.Aluno) error) error
}

// exportStore is what the exports need from the database: the walk, and
// the list's total (a worksheet has room for about a million rows).
type exportStore interface {
	alunoWalker
	List(ctx context.Context, q models.ListQuery) ([]models.Aluno, int64, error)
}

// Exports serves GET /alunos/export: the students list, as filtered and
// sorted, as a CSV or Excel file.
type Exports struct {
	store exportStore
	log   *slog.Logger
	pages pageMaker
}

// sheetFormat is a spreadsheet format the export writes.
type sheetFormat struct {
	ext, contentType string
	open             func(w *echo.Response, delimiter rune) (views.AlunosSheet, error)
	maxRows          int64 // 0: no limit
}

var sheetFormats = map[string]sheetFormat{
	"csv": {"csv", "text/csv; charset=utf-8", func(w *echo.Response, d rune) (views.AlunosSheet, error) { return views.NewAlunosCSV(w, d) }, 0},
	"xlsx": {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		func(w *echo.Response, _ rune) (views.AlunosSheet, error) { return views.NewAlunosXLSX(w) }, views.XLSXMaxAlunos},
}

// exportWriteWindow is how long the client may take to receive each page
// of an export: the server's write timeout bounds an ordinary answer, but
// a large export is many pages long.
const exportWriteWindow = time.Minute

// Alunos serves GET /alunos/export?format=csv|xlsx with the list's q,
// turma and sort: every matching student, read and written a page at a
// time. The answer is committed with the first page; a failure after
// that aborts the connection, so the client sees a broken download
// rather than a short file that looks whole.
func (h *Exports) Alunos(c echo.Context) error {
	format, delimiter, q, err := parseExport(c.QueryParams())
	if err != nil {
		if wantsHTML(c) {
			return invalidAddress(c, h.pages, "alunos", err)
		}
		return err
	}
	if err := h.checkFits(c, format, q); err != nil {
		return err
	}
	res := c.Response()
	header := res.Header()
	header.Set(echo.HeaderContentType, format.contentType)
	header.Set(echo.HeaderContentDisposition, `attachment; filename="`+views.SheetFileName(format.ext, time.Now())+`"`)
	if c.Request().Method == http.MethodHead {
		return c.NoContent(http.StatusOK) // the headers are the answer
	}
	start := time.Now()
	rows, err := h.write(c, format, delimiter, q)
	if err == nil {
		h.log.Info("export", "format", format.ext, "rows", rows, "took", time.Since(start).Round(time.Millisecond))
		return nil
	}
	if !res.Committed {
		header.Del(echo.HeaderContentType)
		header.Del(echo.HeaderContentDisposition)
		return err
	}
	h.log.Error("export failed after it began", "format", format.ext, "rows", rows, "err", err)
	panic(http.ErrAbortHandler) // net/http closes the connection without ending the body
}

// errSheetFull answers an Excel export of more students than a worksheet holds.
var errSheetFull = echo.NewHTTPError(http.StatusUnprocessableEntity,
	"Uma planilha do Excel cabe no máximo 1.048.575 alunos: filtre a lista ou exporte em CSV.")

// checkFits refuses, before anything is sent, a list longer than format
// can hold.
func (h *Exports) checkFits(c echo.Context, format sheetFormat, q models.ListQuery) error {
	if format.maxRows == 0 {
		return nil
	}
	q.Page, q.PerPage = 1, 1
	_, total, err := h.store.List(c.Request().Context(), q)
	if err == nil && total > format.maxRows {
		return errSheetFull
	}
	return err
}

// write streams the students q matches as format, and returns how many.
func (h *Exports) write(c echo.Context, format sheetFormat, delimiter rune, q models.ListQuery) (int, error) {
	res := c.Response()
	sheet, err := format.open(res, delimiter)
	if err != nil {
		return 0, err
	}
	deadline := http.NewResponseController(res)
	rows := 0
	err = h.store.Walk(c.Request().Context(), q, models.ExportPageSize, func(page []models.Aluno) error {
		_ = deadline.SetWriteDeadline(time.Now().Add(exportWriteWindow)) // unsupported only in tests' recorders
		if err := sheet.Write(page); err != nil {
			return err
		}
		rows += len(page)
		if err := sheet.Flush(); err != nil {
			return err
		}
		if res.Committed {
			res.Flush()
		}
		return nil
	})
	if err != nil {
		return rows, err
	}
	return rows, sheet.Close()
}

// parseExport reads the format, the CSV delimiter and the list query; each
// wrong parameter is a field of one *ValidationError.
func parseExport(params url.Values) (sheetFormat, rune, models.ListQuery, error) {
	fields := map[string]string{}
	format, ok := sheetFormats[strings.ToLower(strings.TrimSpace(params.Get("format")))]
	if params.Get("format") == "" {
		format, ok = sheetFormats["csv"], true
	}
	if !ok {
		fields["format"] = "Formato desconhecido: use csv ou xlsx."
	}
	delimiter := ','
	switch params.Get("delimiter") {
	case "", "comma":
	case "semicolon":
		delimiter = ';'
	default:
		fields["delimiter"] = "Separador desconhecido: use comma (,) ou semicolon (;)."
	}
	q, err := models.ParseListQuery(models.AlunoList, params)
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		for k, v := range verr.Fields {
			fields[k] = v
		}
	} else if err != nil {
		return format, delimiter, q, err
	}
	if len(fields) > 0 {
		return format, delimiter, q, &models.ValidationError{Fields: fields}
	}
	return format, delimiter, q, nil
}
