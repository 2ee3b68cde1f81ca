package web_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
	"schooladmin/views"
)

// texts is the trimmed text of every element of sel.
func texts(sel *goquery.Selection) []string {
	return sel.Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
}

// setTurmaAlunos sets a turma's kept count, as the student writes keep it.
func (a *testApp) setTurmaAlunos(codigo string, n int64) {
	a.t.Helper()
	if err := a.db.Model(&models.Turma{}).Where("codigo = ?", codigo).Update("alunos", n).Error; err != nil {
		a.t.Fatal(err)
	}
}

func TestHomePageShowsTurmasWeeksAndLatestChanges(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for _, codigo := range []string{"5B", "1A", "9C"} {
			app.createTurma(`{"codigo":"` + codigo + `","ano_letivo":2026}`)
		}
		ana := app.createAluno("Ana <Souza>", "1A", "2024-001") // the students keep 1A's count at 2
		app.createAluno("Bruno", "1A", "2024-002")
		app.setTurmaAlunos("5B", 1234) // a big turma, without writing its students
		wantStatus(t, app.api(http.MethodPatch, "/alunos/"+itoa(ana.ID), `{"nome":"Ana Lima"}`, "If-Match", `"1"`), http.StatusOK)

		resp, doc := app.page("/")
		wantStatus(t, resp, http.StatusOK)
		if got := doc.Find(`nav.menu a[aria-current="page"]`).AttrOr("href", ""); got != "/" {
			t.Errorf("the menu marks %q as the current page, want the Painel (/)", got)
		}
		if got := doc.Find(`[data-testid="stat-alunos"]`).Text(); got != "1.236" {
			t.Errorf("students in all: %q, want the sum of the turmas' counts, 1.236", got)
		}
		rows := texts(doc.Find(`[data-testid="turma-count"]`))
		if want := []string{"1A2", "5B1.234", "9C0"}; !slices.Equal(compact(rows), want) {
			t.Errorf("students per turma: %q, want %q", rows, want)
		}
		chart := doc.Find(`svg[data-testid="chart-turmas"]`)
		if chart.AttrOr("role", "") != "img" || chart.Find("title").Text() == "" || !strings.Contains(chart.Find("desc").Text(), "5B") {
			t.Errorf("the turmas chart is not an image with a title and a description naming the largest turma")
		}
		if n := chart.Find("rect.bar").Length(); n != 2 {
			t.Errorf("the turmas chart has %d bars, want 2 (none for an empty turma)", n)
		}
		if _, ok := chart.Attr("style"); ok || doc.Find("[style]").Length() > 0 {
			t.Error("the page has a style attribute, which the Content-Security-Policy blocks")
		}

		weeks := doc.Find(`[data-testid="week-count"]`)
		if weeks.Length() != views.PainelWeeks {
			t.Fatalf("%d weeks in the table, want %d", weeks.Length(), views.PainelWeeks)
		}
		if got := compact([]string{weeks.Last().Find("td").Text()}); got[0] != "21" {
			t.Errorf("this week: %q, want 2 added and 1 change", got)
		}
		if doc.Find(`[data-testid="stat-added"]`).Text() != "2" || doc.Find(`[data-testid="stat-changed"]`).Text() != "1" {
			t.Error("this week's totals are not 2 added and 1 change")
		}
		if n := doc.Find(`svg[data-testid="chart-weeks"] rect.bar`).Length(); n != 2 {
			t.Errorf("the weekly chart has %d columns, want 2", n)
		}

		latest := doc.Find(`[data-testid="latest-change"]`)
		actions := latest.Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("data-action", "") })
		if !slices.Equal(actions[:3], []string{"student.update", "student.create", "student.create"}) || !slices.Contains(actions, "turma.create") {
			t.Errorf("latest changes: %q, want the students' newest first, then the turmas'", actions)
		}
		if a := latest.First().Find("a"); a.AttrOr("href", "") != "/alunos/"+itoa(ana.ID) || a.Text() != "Ana Lima" {
			t.Errorf("the latest change links to %q (%q), want Ana's page", a.AttrOr("href", ""), a.Text())
		}
		if doc.Find(`[data-testid="integrity-section"]`).Length() != 0 {
			t.Error("an integrity section before any check reported")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// compact drops the white space inside each string.
func compact(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.Join(strings.Fields(s), "")
	}
	return out
}

func TestHomePageWithNoStudentsAndNoTurmas(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		resp, doc := app.page("/")
		wantStatus(t, resp, http.StatusOK)
		if doc.Find(`[data-testid="turmas-empty"]`).Length() != 1 || doc.Find(`[data-testid="latest-empty"]`).Length() != 1 {
			t.Error("an empty database does not say there are no turmas and no changes")
		}
		if doc.Find(`[data-testid="stat-alunos"]`).Text() != "0" || doc.Find(`[data-testid="week-count"]`).Length() != views.PainelWeeks {
			t.Error("an empty database does not show zero students and the weeks")
		}
		if n := doc.Find(`svg[data-testid="chart-weeks"] rect`).Length(); n != 0 {
			t.Errorf("the weekly chart has %d columns with nothing to count", n)
		}
	})
}

// Only who may list students gets the Painel; the others land on the
// first screen they may open, and API clients keep the old redirect.
func TestHomePageLandsEachUserSomewhereTheyMayBe(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		saveRole := func(name string, perms ...string) {
			_, err := models.NewRoleStore(app.db).Save(t.Context(), models.Actor{Username: "test"}, 0, nil, models.RoleFields{Name: name, Perms: perms})
			if err != nil {
				t.Fatal(err)
			}
		}
		saveRole("Secretaria de usuários", models.PermManageUsers)
		saveRole("Sem nada")
		viewer, _ := app.browserAs("consulta", models.RoleViewer)
		users, _ := app.browserAs("usuarios", "Secretaria de usuários")
		nothing, _ := app.browserAs("ninguem", "Sem nada")

		if resp, doc := app.pageAs(viewer, "/"); resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="stats"]`).Length() != 1 {
			t.Errorf("a Viewer gets %d without the Painel", resp.StatusCode)
		}
		for client, want := range map[*http.Client]string{users: "/admin/users", nothing: "/account"} {
			resp := app.send(client, http.MethodGet, "/", "", "Accept", browserAccept)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
				t.Errorf("GET /: %d to %q, want 303 to %s", resp.StatusCode, resp.Header.Get("Location"), want)
			}
		}
		resp := app.api(http.MethodGet, "/", "")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/alunos" {
			t.Errorf("API GET /: %d to %q, want 303 to /alunos", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}
