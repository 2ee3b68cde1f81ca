package browser

import (
	"bytes"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// ScreenshotsEnv names the folder where TestScreenshots writes its PNGs.
const ScreenshotsEnv = "SCREENSHOTS_DIR"

// viewport is a screen size the screenshots are taken at.
type viewport struct {
	name          string
	width, height int64
	phone         bool // mobile emulation, touch, device pixel ratio 2
	fullPage      bool // the whole page, not only what fits on the screen
}

var viewports = []viewport{
	{name: "laptop", width: 1280, height: 800, fullPage: true},
	{name: "phone", width: 390, height: 844, phone: true},
}

// classroom is a varied set of students for the screenshots: accents,
// apostrophes, an ampersand, a very long name, several turmas.
var classroom = []student{
	{"Ana Beatriz Souza", "1º ano A", "2024-0001"},
	{"João Pedro d'Almeida", "1º ano A", "2024-0002"},
	{"Maria Eduarda Conceição", "2º ano B", "2024-0003"},
	{"Luís Felipe Araújo", "2º ano B", "2024-0004"},
	{"Zoë Conceição d'Ávila", "3º ano A", "2024-0005"},
	{"Gabriel Henrique Nascimento dos Santos de Albuquerque Cavalcanti", "3º ano A", "2024-0006"},
	{"Íris Yamamoto", "9º ano C", "2023-0107"},
	{"Heloísa Gonçalves", "9º ano C", "2023-0108"},
	{"Enzo Gabriel Ribeiro", "1º ano A", "2024-0009"},
	{"Valentina Lima", "2º ano B", "2024-0010"},
	{"Pedro Henrique Oliveira", "3º ano B", "2024-0011"},
	{"Sofia Marques Brandão", "EJA Noturno", "EJA-0012"},
	{"Thiago Nunes", "1º ano B", "2024-0013"},
	{"Lívia Castro & Filhos", "2º ano A", "2024-0014"},
	{"Miguel Ângelo Ferreira", "2º ano A", "2024-0015"},
}

// TestScreenshots photographs the main screens on a laptop and on a
// phone, and checks that no page is wider than the screen (no sideways
// scrolling) and that every picture is a PNG of the screen's width. The
// PNGs go to $SCREENSHOTS_DIR when it is set (docs/screenshots), else to
// a temporary folder.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv(ScreenshotsEnv)
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	browser := startBrowser(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			app := startApp(t, modelstest.SQLite(t))
			password := app.createUser(t, "diretora", models.RoleAdmin)
			p := newTab(t, browser, app.URL)
			p.setViewport(vp)
			shoot := func(name string) { screenshot(p, vp, filepath.Join(dir, name+"-"+vp.name+".png")) }

			expectStatus(t, "login", p.open("/login"), http.StatusOK)
			shoot("login")
			p.signIn("/alunos", "diretora", password)
			pastWeeks(t, app.db) // before the classroom, whose changes are the latest
			for _, s := range classroom {
				createTurmas(t, app.db, s.turma)
			}
			for _, s := range classroom {
				p.addStudent(s)
			}
			expectStatus(t, "list", p.open("/alunos"), http.StatusOK)
			shoot("list")

			keepTurmas(t, app.db)
			whole := vp
			whole.fullPage = true // the charts are below the phone's first screen
			for _, scheme := range []string{"light", "dark"} {
				p.emulateMedia("", scheme)
				expectStatus(t, "home", p.open("/"), http.StatusOK)
				name := map[string]string{"light": "home", "dark": "home-dark"}[scheme]
				screenshot(p, whole, filepath.Join(dir, name+"-"+vp.name+".png"))
			}
			p.emulateMedia("", "light")

			expectStatus(t, "empty form", p.open("/alunos/new"), http.StatusOK)
			p.fill(field("nome"), "Ana Beatriz Souza")
			p.fill(field("ra"), "2024 0001")
			expectStatus(t, "form with errors", p.click(testid("save")), http.StatusUnprocessableEntity)
			shoot("form-errors")

			p.fill(field("ra"), "2024-0101")
			p.fill(field("turma"), "1º ano A")
			expectStatus(t, "new student", p.click(testid("save")), http.StatusOK)
			p.click(testid("edit"))
			p.fill(field("turma"), "1º ano B")
			expectStatus(t, "edited student", p.click(testid("save")), http.StatusOK)
			shoot("student")
		})
	}
}

// setViewport gives the tab vp's screen.
func (p *tab) setViewport(vp viewport) {
	p.t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if vp.phone {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
	}
	run(p, "set viewport", chromedp.EmulateViewport(vp.width, vp.height, opts...))
}

// screenshot saves what the tab shows (the whole page for vp.fullPage).
func screenshot(p *tab, vp viewport, file string) {
	p.t.Helper()
	shot := chromedp.CaptureScreenshot()
	if vp.fullPage {
		shot = chromedp.FullScreenshot(100)
	}
	overflow := run(p, "page width", chromedp.Evaluate[int64](
		`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
	if overflow > 0 {
		p.t.Errorf("%s: the page is %d px wider than the %s screen", file, overflow, vp.name)
	}
	shotPNG := run(p, "screenshot "+file, shot)
	img, err := png.Decode(bytes.NewReader(shotPNG))
	if err != nil {
		p.t.Fatalf("%s: not a PNG: %v", file, err)
	}
	scale := int64(1)
	if vp.phone {
		scale = 2
	}
	if w := int64(img.Bounds().Dx()); w != vp.width*scale {
		p.t.Errorf("%s: %d px wide, want %d", file, w, vp.width*scale)
	}
	if err := os.WriteFile(file, shotPNG, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func expectStatus(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d, want %d", what, got, want)
	}
}
