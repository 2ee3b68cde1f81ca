package browser

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/views"
)

// printed is what a printed page shows.
type printed struct {
	Hidden      []string // the selectors asked about that print leaves out
	Shown       []string // those that print keeps
	Header      string   // the print-only line naming the list
	TableWidth  float64
	PageWidth   float64
	TextLum     float64 // luminance of the table's text (0 black)
	SheetsTable bool    // the header row repeats on every sheet
}

// printedJS reports, for the page rendered as print, which of the selectors
// in asked are shown, the header line and the table's width.
const printedJS = `(asked => {
	const shown = sel => [...document.querySelectorAll(sel)].some(e => e.getClientRects().length > 0);
	const table = document.querySelector("table.table");
	const colour = getComputedStyle(table).color.match(/[\d.]+/g).slice(0, 3).map(v => {
		v = v / 255;
		return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
	});
	return {
		hidden: asked.filter(s => !shown(s)),
		shown: asked.filter(shown),
		header: shown('[data-testid="print-header"]') ? document.querySelector('[data-testid="print-header"]').textContent : "",
		tableWidth: table.getBoundingClientRect().width,
		pageWidth: document.documentElement.clientWidth,
		textLum: 0.2126 * colour[0] + 0.7152 * colour[1] + 0.0722 * colour[2],
		sheetsTable: getComputedStyle(table.tHead).display === "table-header-group",
	};
})`

// leftOutOnPaper are the parts of a screen a printed list does without.
var leftOutOnPaper = []string{
	".topbar", ".skip-link", `[data-testid="search-form"]`, `[data-testid="pagination"]`, "main .button",
	`[data-testid="history"]`, `[data-testid="back-to-list"]`,
}

// TestPrintedLists prints the students list filtered by turma and a
// turma's page: the table across the page under a line naming what it
// holds and the date, without menu, search bar, buttons or pager, black
// on white even when the screen is in dark mode.
func TestPrintedLists(t *testing.T) {
	browser := startBrowser(t)
	app := startApp(t, modelstest.SQLite(t))
	password := app.createUser(t, "diretora", models.RoleAdmin)
	s := seedScreens(t, app) // turma 5º B, three students
	p := newTab(t, browser, app.URL)
	p.signIn("/alunos", "diretora", password)
	today := views.FormatTime(time.Now())[:10]

	for _, tc := range []struct{ path, header string }{
		{"/alunos?turma=5%C2%BA+B&per_page=10&sort=nome", "Alunos · turma 5º B · ordem: Nome (A–Z) · impresso em " + today},
		{"/alunos?per_page=10&q=jo", "Alunos · busca “jo” · impresso em " + today},
		{"/alunos?per_page=2", "Alunos · alunos 1–2 de 3 · impresso em " + today},
		{"/turmas/" + s.turma, "impresso em " + today},
	} {
		p.emulateMedia("", "dark")
		expectStatus(t, tc.path, p.open(tc.path), http.StatusOK)
		p.emulateMedia("print", "dark")
		got := eval[printed](p, "printed "+tc.path, printedJS+"("+jsonList(leftOutOnPaper)+")")
		if len(got.Shown) > 0 {
			t.Errorf("%s on paper still shows %q", tc.path, got.Shown)
		}
		if !strings.HasPrefix(got.Header, tc.header) {
			t.Errorf("%s on paper is headed %q, want %q", tc.path, got.Header, tc.header)
		}
		if got.TableWidth < 0.97*got.PageWidth {
			t.Errorf("%s on paper: the table is %.0f px wide on a %.0f px page", tc.path, got.TableWidth, got.PageWidth)
		}
		if got.TextLum > 0.05 || !got.SheetsTable {
			t.Errorf("%s on paper: text luminance %.2f (want black), header row on every sheet %v", tc.path, got.TextLum, got.SheetsTable)
		}
		p.emulateMedia("", "light")
		if got := eval[printed](p, "on screen "+tc.path, printedJS+`(['[data-testid="print-header"]'])`); len(got.Hidden) != 1 {
			t.Errorf("%s shows the print header on the screen", tc.path)
		}
	}
}

// jsonList writes strings as a JavaScript array of strings.
func jsonList(ss []string) string {
	quoted := make([]string, len(ss))
	for i, s := range ss {
		quoted[i] = "'" + strings.ReplaceAll(s, "'", `\'`) + "'"
	}
	return "[" + strings.Join(quoted, ",") + "]"
}
