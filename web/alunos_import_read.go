package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
	"schooladmin/web/sheet"
)

// The bounds of an import besides IMPORT_MAX_BYTES.
const (
	// importMaxRows is how many students one file may hold: 100,000 apply
	// within the benchmark's 15 s and 128 MiB; a longer file is refused
	// whole, with a message to split it.
	importMaxRows = 100_000
	// importMaxUnzipped is how far an XLSX file may unzip, all its parts
	// together (100,000 rows of three columns unzip to about 15 MiB).
	importMaxUnzipped = 64 << 20
	// multipartSlack is what a browser's form adds around the file.
	multipartSlack = 64 << 10
)

// importColumns are the columns an import reads, by header name.
var importColumns = []string{"ra", "nome", "turma"}

// importBodyLimit is the body limit of POST /alunos/import: the file and
// the form around it. The file alone is held to maxBytes.
func importBodyLimit(maxBytes int64) int64 { return maxBytes + multipartSlack }

// fileTooLarge is the 413 of a file over the limit.
func fileTooLarge(limit int64) error {
	return echo.NewHTTPError(http.StatusRequestEntityTooLarge,
		"O arquivo passa de "+sizeText(limit)+", o limite da importação: divida-o em arquivos menores.")
}

// errNoFile is a form without its file.
var errNoFile = &models.ValidationError{Fields: map[string]string{"file": "Escolha o arquivo da planilha (CSV ou .xlsx)."}}

// readFile reads the file of an import: the request's body, or the field
// "file" of a multipart form, at most maxBytes of it, with its name (from
// the form, or the body's Content-Disposition).
func (h *AlunosImport) readFile(c echo.Context) (string, []byte, error) {
	r := c.Request()
	mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if strings.HasPrefix(mt, "multipart/") {
		return h.readFormFile(r)
	}
	if r.ContentLength > h.maxBytes {
		return "", nil, fileTooLarge(h.maxBytes)
	}
	data, err := h.readAtMost(r.Body, r.ContentLength)
	if err != nil {
		return "", nil, err
	}
	_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Disposition"))
	return baseName(params["filename"]), data, nil
}

// readFormFile reads the field "file" of a multipart form: from the form
// already parsed (the CSRF check of a browser's post reads it), else
// streamed from the body.
func (h *AlunosImport) readFormFile(r *http.Request) (string, []byte, error) {
	if r.MultipartForm == nil {
		mr, err := r.MultipartReader()
		if err != nil {
			return "", nil, badRequest("Formulário multipart mal formado.")
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return "", nil, errNoFile
			}
			if err != nil {
				return "", nil, h.readError(err)
			}
			if part.FormName() == "file" {
				data, err := h.readAtMost(part, 0)
				return baseName(part.FileName()), data, err
			}
		}
	}
	files := r.MultipartForm.File["file"]
	if len(files) == 0 {
		return "", nil, errNoFile
	}
	if files[0].Size > h.maxBytes {
		return "", nil, fileTooLarge(h.maxBytes)
	}
	f, err := files[0].Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err := h.readAtMost(f, files[0].Size)
	return baseName(files[0].Filename), data, err
}

// readAtMost reads r whole, up to maxBytes; size, when known, sizes the
// buffer at once.
func (h *AlunosImport) readAtMost(r io.Reader, size int64) ([]byte, error) {
	var buf bytes.Buffer
	if size > 0 && size <= h.maxBytes {
		buf.Grow(int(size) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(r, h.maxBytes+1))
	if err != nil {
		return nil, h.readError(err)
	}
	if n > h.maxBytes {
		return nil, fileTooLarge(h.maxBytes)
	}
	return buf.Bytes(), nil
}

// readError is a failed read: over the body's limit is 413.
func (h *AlunosImport) readError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return fileTooLarge(h.maxBytes)
	}
	return err
}

// baseName is a file name without the folders some browsers send.
func baseName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" {
		return ""
	}
	return name
}

// readImport reads a spreadsheet into what the store imports.
func readImport(name string, data []byte) models.ImportFile {
	t := sheet.Read(data, importColumns, sheet.Limits{
		MaxRows: importMaxRows, MaxUnzipped: importMaxUnzipped, MaxProblems: models.MaxImportErrors,
	})
	file := models.ImportFile{Name: name, MoreProblems: t.MoreProblems, Rows: make([]models.ImportRow, len(t.Rows))}
	for _, p := range t.Problems {
		file.Problems = append(file.Problems, models.ImportProblem{Line: p.Line, Field: p.Field, Message: p.Message})
	}
	for i, r := range t.Rows {
		file.Rows[i] = models.ImportRow{Line: r.Line, RA: r.Cells[0], Nome: r.Cells[1], Turma: r.Cells[2]}
	}
	return file
}

// sizeText writes a size as people read it: in MiB when whole.
func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return sheet.Thousands(int(n)) + " bytes"
}
