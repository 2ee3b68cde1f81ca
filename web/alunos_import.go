package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
)

// alunoImporter is what the import needs from the students store.
type alunoImporter interface {
	Import(ctx context.Context, actor models.Actor, file models.ImportFile, dryRun bool) (models.ImportResult, error)
}

// importUploads keeps a browser's upload between its preview and its
// confirmation, for one session.
type importUploads interface {
	Save(ctx context.Context, owner, filename string, data []byte) (string, error)
	Load(ctx context.Context, owner, id string) (string, []byte, error)
	Delete(ctx context.Context, owner, id string) error
}

// AlunosImport serves /alunos/import: a spreadsheet as the body of the
// API's POST, or uploaded in the browser, previewed, then confirmed.
type AlunosImport struct {
	store    alunoImporter
	uploads  importUploads
	maxBytes int64 // IMPORT_MAX_BYTES
	metrics  *Metrics
	pages    pageMaker
}

// importRoutes registers the import's routes. Each needs both can_add and
// can_edit on Aluno: a route declares one permission, the handler checks
// the other.
func importRoutes(protect protectFunc, h *AlunosImport) {
	both := func(next echo.HandlerFunc) echo.HandlerFunc { return alsoRequire(models.PermEditAlunos, next) }
	protect(http.MethodGet, "/alunos/import", both(h.Form), models.PermAddAlunos)
	protect(http.MethodPost, "/alunos/import", both(h.Create), models.PermAddAlunos)
	protect(http.MethodGet, "/alunos/import/:upload", both(h.Preview), models.PermAddAlunos)
	protect(http.MethodPost, "/alunos/import/:upload", both(h.Confirm), models.PermAddAlunos)
}

// alsoRequire runs next only for a caller who also holds permission.
func alsoRequire(permission string, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !auth.CurrentUser(c).Can(permission) {
			return auth.ErrForbidden
		}
		return next(c)
	}
}

// importAnswer is the JSON answer of an import: the contract's counts and
// errors, plus how many errors there are in all (at most 1,000 are
// listed), the turmas it creates and whether it was a dry run.
type importAnswer struct {
	Created     int                    `json:"created"`
	Updated     int                    `json:"updated"`
	Unchanged   int                    `json:"unchanged"`
	Errors      []models.ImportProblem `json:"errors"`
	ErrorsTotal int                    `json:"errors_total"`
	NewTurmas   []string               `json:"new_turmas"`
	DryRun      bool                   `json:"dry_run"`
}

// importLimits is the answer to GET /alunos/import for programs: what an
// import takes.
type importLimits struct {
	Columns  []string `json:"columns"`
	Formats  []string `json:"formats"`
	MaxBytes int64    `json:"max_bytes"`
	MaxRows  int      `json:"max_rows"`
}

// Form serves GET /alunos/import: the upload form, or for programs the
// limits of an import.
func (h *AlunosImport) Form(c echo.Context) error {
	if !wantsHTML(c) {
		return c.JSON(http.StatusOK, importLimits{
			Columns: importColumns, Formats: []string{"csv", "xlsx"}, MaxBytes: h.maxBytes, MaxRows: importMaxRows,
		})
	}
	return h.formPage(c, http.StatusOK, "")
}

// Create serves POST /alunos/import: for programs the import itself (the
// file as the body or the multipart field "file"; ?dry_run=true only
// reports), for the browser the upload that leads to the preview.
func (h *AlunosImport) Create(c echo.Context) error {
	if wantsHTML(c) {
		return h.upload(c)
	}
	dryRun, err := dryRunParam(c)
	if err != nil {
		return err
	}
	name, data, err := h.readFile(c)
	if err != nil {
		return err
	}
	res, err := h.store.Import(c.Request().Context(), auth.Actor(c), readImport(name, data), dryRun)
	if err != nil {
		return err
	}
	h.counted(res)
	status := http.StatusOK
	if res.ErrorsTotal > 0 {
		status = http.StatusUnprocessableEntity
	}
	return c.JSON(status, answerOf(res, dryRun))
}

func answerOf(res models.ImportResult, dryRun bool) importAnswer {
	a := importAnswer{
		Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged,
		Errors: res.Errors, ErrorsTotal: res.ErrorsTotal, NewTurmas: res.NewTurmas, DryRun: dryRun,
	}
	if a.Errors == nil {
		a.Errors = []models.ImportProblem{}
	}
	if a.NewTurmas == nil {
		a.NewTurmas = []string{}
	}
	return a
}

// counted adds an applied import's changes to the students' metrics.
func (h *AlunosImport) counted(res models.ImportResult) {
	if !res.Applied {
		return
	}
	for range res.Created {
		h.metrics.Changed(models.EntityAluno, "created")
	}
	for range res.Updated {
		h.metrics.Changed(models.EntityAluno, "updated")
	}
}

// dryRunParam reads ?dry_run (true or false; absent is false).
func dryRunParam(c echo.Context) (bool, error) {
	v := c.QueryParam("dry_run")
	if v == "" {
		return false, nil
	}
	dry, err := strconv.ParseBool(v)
	if err != nil {
		return false, &models.ValidationError{Fields: map[string]string{"dry_run": "Use dry_run=true ou dry_run=false."}}
	}
	return dry, nil
}
