package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
	"schooladmin/web/sheet"
)

// The browser's import: upload (POST /alunos/import) → preview (GET
// /alunos/import/:upload, a dry run) → confirm (POST
// /alunos/import/:upload). The uploaded file is kept on the server,
// keyed to the login session, for models.ImportUploadTTL: the preview is
// a plain GET, so reloading it (or coming back to it) reads the file
// again and shows what it would do now, and the confirmation applies the
// very file that was previewed, without sending it twice.

const importTitle = "Importar alunos"

// formPage renders the upload form, with the reason the last upload was
// not taken.
func (h *AlunosImport) formPage(c echo.Context, status int, msg string) error {
	p := h.pages.page(c, importTitle, "alunos")
	return render(c, status, views.AlunosImportPage(p, views.ImportForm{
		MaxSize: sizeText(h.maxBytes), MaxRows: sheet.Thousands(importMaxRows), Error: msg,
	}))
}

// upload keeps the browser's file for its session and leads to the
// preview.
func (h *AlunosImport) upload(c echo.Context) error {
	owner := auth.SessionKey(c)
	if owner == "" {
		return badRequest("A pré-visualização da importação é para o navegador, numa sessão. Pela API, envie o arquivo " +
			"como corpo de POST /alunos/import (com ?dry_run=true para só conferir).")
	}
	name, data, err := h.readFile(c)
	var tooLarge *echo.HTTPError
	switch {
	case errors.Is(err, errNoFile):
		return h.formPage(c, http.StatusUnprocessableEntity, errNoFile.Fields["file"])
	case errors.As(err, &tooLarge) && tooLarge.Code == http.StatusRequestEntityTooLarge:
		return h.formPage(c, http.StatusRequestEntityTooLarge, tooLarge.Message.(string))
	case err != nil:
		return err
	case len(data) == 0:
		return h.formPage(c, http.StatusUnprocessableEntity, "O arquivo enviado está vazio.")
	}
	id, err := h.uploads.Save(c.Request().Context(), owner, name, data)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/alunos/import/"+url.PathEscape(id))
}

// Preview serves GET /alunos/import/:upload: what the session's uploaded
// file would do now (a dry run), and the confirmation button.
func (h *AlunosImport) Preview(c echo.Context) error {
	allowTime(c)
	name, data, err := h.load(c)
	if err != nil {
		return h.gone(c, err)
	}
	res, err := h.store.Import(c.Request().Context(), auth.Actor(c), readImport(name, data), true)
	if err != nil {
		return err
	}
	if !wantsHTML(c) {
		return c.JSON(http.StatusOK, answerOf(res, true))
	}
	return h.previewPage(c, http.StatusOK, name, res)
}

// Confirm serves POST /alunos/import/:upload: the import of the file
// previewed, then the students list with what was done.
func (h *AlunosImport) Confirm(c echo.Context) error {
	allowTime(c)
	name, data, err := h.load(c)
	if err != nil {
		return h.gone(c, err)
	}
	ctx := c.Request().Context()
	res, err := h.store.Import(ctx, auth.Actor(c), readImport(name, data), false)
	if err != nil {
		return err
	}
	if !res.Applied {
		return h.previewPage(c, http.StatusUnprocessableEntity, name, res)
	}
	h.counted(res)
	if err := h.uploads.Delete(ctx, auth.SessionKey(c), c.Param("upload")); err != nil {
		return err
	}
	if !wantsHTML(c) {
		return c.JSON(http.StatusOK, answerOf(res, false))
	}
	return redirectWithFlash(c, "/alunos", "success", fmt.Sprintf("Importação concluída: %d novos, %d alterados, %d sem mudança.",
		res.Created, res.Updated, res.Unchanged))
}

// load reads the session's upload named in the address.
func (h *AlunosImport) load(c echo.Context) (string, []byte, error) {
	owner := auth.SessionKey(c)
	if owner == "" {
		return "", nil, models.ErrNotFound
	}
	return h.uploads.Load(c.Request().Context(), owner, c.Param("upload"))
}

// gone answers for an upload that expired, was imported already, or is
// another session's: back to the upload form, saying so.
func (h *AlunosImport) gone(c echo.Context, err error) error {
	if !errors.Is(err, models.ErrNotFound) {
		return err
	}
	const msg = "Esta pré-visualização expirou ou já foi importada. Envie o arquivo de novo."
	if !wantsHTML(c) {
		return echo.NewHTTPError(http.StatusNotFound, msg)
	}
	return redirectWithFlash(c, "/alunos/import", "error", msg)
}

func (h *AlunosImport) previewPage(c echo.Context, status int, name string, res models.ImportResult) error {
	p := h.pages.page(c, importTitle+": conferir", "alunos")
	return render(c, status, views.AlunosImportPreviewPage(p, views.ImportPreview{
		Upload: c.Param("upload"), Filename: name, Result: res,
	}))
}
