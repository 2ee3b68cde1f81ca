package browser

import (
	"math"
	"net/http"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/views"
)

// chartBox is what the browser drew of a chart.
type chartBox struct {
	Role, Name, Desc string
	Width            float64
	Bars             []float64 // each bar's width (bar charts) or height (columns), in pixels
	Fill             string    // the first bar's colour
	Numbers          []string  // the table beside the chart, row by row
}

// readChart measures the chart with data-testid id and reads its table.
func (p *tab) readChart(id, bars, table string) chartBox {
	p.t.Helper()
	return eval[chartBox](p, "chart "+id, `(() => {
		const svg = document.querySelector('svg[data-testid="`+id+`"]');
		const rects = [...svg.querySelectorAll("rect.bar")];
		return {
			role: svg.getAttribute("role"),
			name: document.getElementById(svg.getAttribute("aria-labelledby")).textContent,
			desc: document.getElementById(svg.getAttribute("aria-describedby")).textContent,
			width: svg.getBoundingClientRect().width,
			bars: rects.map(r => r.getBoundingClientRect()[`+"`"+bars+"`"+`]),
			fill: rects.length ? getComputedStyle(rects[0]).fill : "",
			numbers: [...document.querySelectorAll('`+table+` tbody tr')].map(tr => tr.innerText.replace(/\s+/g, " ").trim()),
		};
	})()`)
}

// TestHomePageCharts opens the Painel as a coordinator would: the charts
// are drawn to scale across the page, named for screen readers, with
// their numbers beside them; in dark mode they change colour with the
// page.
func TestHomePageCharts(t *testing.T) {
	browser := startBrowser(t)
	app := startApp(t, modelstest.SQLite(t))
	password := app.createUser(t, "coordenadora", models.RoleViewer)
	pastWeeks(t, app.db)
	seedScreens(t, app) // turma 5º B with three students
	p := newTab(t, browser, app.URL)
	p.signIn("/", "coordenadora", password)

	turmas := p.readChart("chart-turmas", "width", `[data-testid="turmas-numbers"]`)
	if turmas.Role != "img" || turmas.Name != "Alunos por turma" || turmas.Desc == "" {
		t.Errorf("turmas chart: role %q, name %q, description %q; want an image with a name and a description", turmas.Role, turmas.Name, turmas.Desc)
	}
	if len(turmas.Bars) != 1 || math.Abs(turmas.Bars[0]-0.82*turmas.Width) > 2 || turmas.Width < 600 {
		t.Errorf("turmas chart %.0f px wide, bars %v: want one bar, 82%% of the width", turmas.Width, turmas.Bars)
	}
	if len(turmas.Numbers) != 1 || turmas.Numbers[0] != "5º B 3" {
		t.Errorf("turmas table %q, want 5º B with 3", turmas.Numbers)
	}

	weeks := p.readChart("chart-weeks", "height", `[data-testid="weeks-numbers"]`)
	if len(weeks.Numbers) != views.PainelWeeks || weeks.Role != "img" || weeks.Desc == "" {
		t.Fatalf("weekly chart: %d weeks in its table, role %q", len(weeks.Numbers), weeks.Role)
	}
	// pastWeeks' busiest column is 11 changes, the scale's top 15 of 170 px
	tallest := 0.0
	for _, h := range weeks.Bars {
		tallest = max(tallest, h)
	}
	if math.Abs(tallest-170*11/15.0) > 1.5 {
		t.Errorf("the tallest column is %.1f px, want 11/15 of 170", tallest)
	}

	for _, vp := range viewports {
		p.setViewport(vp)
		expectStatus(t, "home on a "+vp.name, p.open("/"), http.StatusOK)
		if over := eval[[]string](p, "cards wider than their box", `[...document.querySelectorAll("main .card")]
			.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.dataset.testid || c.className)`); len(over) > 0 {
			t.Errorf("on a %s, these cards overflow: %q", vp.name, over)
		}
	}

	p.emulateMedia("", "dark")
	expectStatus(t, "home, dark", p.open("/"), http.StatusOK)
	if dark := p.readChart("chart-turmas", "width", `[data-testid="turmas-numbers"]`); dark.Fill == turmas.Fill {
		t.Errorf("the bars keep their colour %s in dark mode", dark.Fill)
	}
	if lum := eval[float64](p, "background", luminanceJS(`getComputedStyle(document.documentElement).backgroundColor`)); lum > 0.1 {
		t.Errorf("dark mode: the page's background has luminance %.2f, want a dark one", lum)
	}
}

// luminanceJS is a script giving the relative luminance (0 black, 1 white)
// of the CSS colour the expression colour gives.
func luminanceJS(colour string) string {
	return `(() => {
		const [r, g, b] = ` + colour + `.match(/[\d.]+/g).slice(0, 3).map(v => {
			v = v / 255;
			return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
		});
		return 0.2126 * r + 0.7152 * g + 0.0722 * b;
	})()`
}
