package browser

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// TestImportingASpreadsheet is the secretary bringing the year's list from
// Excel: a CSV saved in Windows-1252 with semicolons, as Excel in
// Portuguese writes it, is uploaded, previewed (and the preview reloaded),
// confirmed, and its students are on the list.
func TestImportingASpreadsheet(t *testing.T) {
	browser := startBrowser(t)
	// "João Araújo" and "Érica Luz" in Windows-1252
	csv := "RA;Nome;Turma\r\n2026-001;Ana Lima;5B\r\n2026-002;Jo\xe3o Ara\xfajo;5A\r\n2026-003;\xc9rica Luz;5A\r\n"
	file := filepath.Join(t.TempDir(), "turma 5.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		app := startApp(t, db)
		password := app.createUser(t, "secretaria", models.RoleEditor)
		p := newTab(t, browser, app.URL)
		p.signIn("/alunos", "secretaria", password)
		p.addStudent(student{"Ana Lima", "5A", "2026-001"})

		p.open("/alunos")
		if status := p.click(testid("import-alunos")); status != http.StatusOK || p.path() != "/alunos/import" {
			t.Fatalf("Importar planilha led to %s (status %d)", p.path(), status)
		}
		run(p, "choose the file", chromedp.SetUploadFiles(testid("import-file-input"), []string{file}))
		if status := p.click(testid("preview")); status != http.StatusOK || !strings.HasPrefix(p.path(), "/alunos/import/") {
			t.Fatalf("Pré-visualizar led to %s (status %d)", p.path(), status)
		}
		preview := p.path()
		for range 2 { // the preview survives a reload
			expectPreview(p)
			if status := p.open(preview); status != http.StatusOK {
				t.Fatalf("reloading the preview: status %d", status)
			}
		}
		if n := p.count("tr" + testid("aluno-row")); n != 0 {
			t.Errorf("the preview page lists students")
		}

		if status := p.click(testid("confirm-import")); status != http.StatusOK || p.path() != "/alunos" {
			t.Fatalf("confirming led to %s (status %d)", p.path(), status)
		}
		expectFlash(p, "Importação concluída: 2 novos, 1 alterados, 0 sem mudança.")
		want := []string{"2026-001 Ana Lima 5B", "2026-002 João Araújo 5A", "2026-003 Érica Luz 5A"}
		if got := rows(p); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("the list shows %q, want %q", got, want)
		}
	})
}

// expectPreview checks the preview of the test's file.
func expectPreview(p *tab) {
	p.t.Helper()
	for id, want := range map[string]string{"import-created": "2", "import-updated": "1", "import-unchanged": "0", "import-filename": "turma 5.csv"} {
		if got := p.text(testid(id)); got != want {
			p.t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	got := p.texts(testid("import-row"))
	if len(got) != 3 || !strings.Contains(got[0], "Alterado") || !strings.Contains(got[0], "antes: 5A") || !strings.Contains(got[1], "João Araújo") {
		p.t.Errorf("preview rows %q", got)
	}
	if p.count(testid("import-errors")) != 0 {
		p.t.Errorf("errors shown: %q", p.texts(testid("import-error")))
	}
}

// rows is the students list's rows: RA, nome and turma.
func rows(p *tab) []string {
	p.t.Helper()
	var out []string
	for _, r := range p.texts("tr" + testid("aluno-row")) {
		fields := strings.Split(r, "\t")
		out = append(out, strings.Join(fields[:min(3, len(fields))], " "))
	}
	return out
}
