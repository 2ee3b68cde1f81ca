package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
	"schooladmin/views"
)

// failingWalker gives pages of students, then fails; its lists count
// total students.
type failingWalker struct {
	pages int
	total int64
}

func (w failingWalker) List(context.Context, models.ListQuery) ([]models.Aluno, int64, error) {
	return nil, w.total, nil
}

func (w failingWalker) Walk(_ context.Context, _ models.ListQuery, size int, fn func([]models.Aluno) error) error {
	for p := range w.pages {
		page := make([]models.Aluno, size)
		for i := range page {
			page[i] = models.Aluno{ID: int64(p*size + i + 1), Nome: "Aluno", Turma: "1A", RA: "R" + strconv.Itoa(p*size+i)}
		}
		if err := fn(page); err != nil {
			return err
		}
	}
	return models.ErrUnavailable
}

// exportWith serves one export from a walker that fails after pages.
func exportWith(t *testing.T, pages int, path string) (*http.Response, error) {
	return exportFrom(t, failingWalker{pages: pages}, path)
}

func exportFrom(t *testing.T, store exportStore, path string) (*http.Response, error) {
	t.Helper()
	e := echo.New()
	h := &Exports{store: store, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	e.GET("/alunos/export", h.Alunos)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	return resp, err
}

func TestExportFailingBeforeTheFirstPageIsAnError(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		resp, err := exportWith(t, 0, "/alunos/export?format="+format)
		if err != nil || resp.StatusCode == http.StatusOK || resp.Header.Get("Content-Disposition") != "" {
			t.Errorf("%s: %d, Content-Disposition %q, read error %v; want an error answer, no attachment",
				format, resp.StatusCode, resp.Header.Get("Content-Disposition"), err)
		}
	}
}

func TestExportFailingMidwayBreaksTheDownload(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		resp, err := exportWith(t, 3, "/alunos/export?format="+format)
		if resp.StatusCode != http.StatusOK || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s failing after 3 pages: %d, read error %v; want 200 and a broken body", format, resp.StatusCode, err)
		}
	}
}

func TestExportRefusesMoreStudentsThanAWorksheetHolds(t *testing.T) {
	resp, _ := exportFrom(t, failingWalker{total: views.XLSXMaxAlunos + 1}, "/alunos/export?format=xlsx")
	if resp.StatusCode != http.StatusUnprocessableEntity || resp.Header.Get("Content-Disposition") != "" {
		t.Errorf("XLSX of %d students: %d, want 422 before anything is sent", views.XLSXMaxAlunos+1, resp.StatusCode)
	}
	resp, _ = exportFrom(t, failingWalker{total: views.XLSXMaxAlunos}, "/alunos/export?format=xlsx")
	if resp.StatusCode != http.StatusInternalServerError { // the walk's failure
		t.Errorf("XLSX of %d students: %d, want it begun", views.XLSXMaxAlunos, resp.StatusCode)
	}
}
