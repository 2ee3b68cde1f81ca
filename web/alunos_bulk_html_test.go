package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
)

func idOf(s student) string { return strconv.FormatInt(s.ID, 10) }

// bulkRows are the students a bulk page lists: name → what it shows in
// the turma column.
func bulkRows(doc *goquery.Document) map[string]string {
	rows := map[string]string{}
	doc.Find(`[data-testid="bulk-row"]`).Each(func(_ int, s *goquery.Selection) {
		rows[s.Find("td").First().Text()] = strings.Join(strings.Fields(s.Find(`[data-testid="bulk-turma"]`).Text()), " ")
	})
	return rows
}

func TestListOffersSelectionToThoseWhoMayAct(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		b := app.createAluno("Bia", "1A", "R2")
		_, doc := app.page("/alunos?sort=nome&per_page=10")
		form := doc.Find(`form[data-testid="bulk-form"]`)
		if form.AttrOr("action", "") != "/alunos/bulk" || form.AttrOr("method", "") != "get" {
			t.Fatalf("bulk form %q %q", form.AttrOr("method", ""), form.AttrOr("action", ""))
		}
		var boxes []string
		form.Find(`[data-testid="aluno-row"] input[type="checkbox"][name="ids"]`).Each(func(_ int, s *goquery.Selection) {
			boxes = append(boxes, s.AttrOr("value", ""))
		})
		if strings.Join(boxes, ",") != idOf(a)+","+idOf(b) {
			t.Errorf("row checkboxes %v, want one per student", boxes)
		}
		if all := form.Find(`input[type="checkbox"][name="page"][value="all"]`); all.Length() != 1 {
			t.Error("no box to select the whole page")
		}
		var pageIDs []string
		form.Find(`input[type="hidden"][name="page_ids"]`).Each(func(_ int, s *goquery.Selection) { pageIDs = append(pageIDs, s.AttrOr("value", "")) })
		if len(pageIDs) != 2 {
			t.Errorf("page ids %v, want the page's two students", pageIDs)
		}
		if back := form.Find(`input[name="back"]`).AttrOr("value", ""); back != "/alunos?per_page=10&sort=nome" {
			t.Errorf("back %q, want the list as it is", back)
		}
		for testid, action := range map[string]string{"bulk-move": "set_turma", "bulk-delete": "delete"} {
			if v := form.Find(`button[data-testid="`+testid+`"]`).AttrOr("value", ""); v != action {
				t.Errorf("%s button sends %q, want %q", testid, v, action)
			}
		}

		viewer, _ := app.browserAs("consulta", models.RoleViewer)
		_, doc = app.pageAs(viewer, "/alunos")
		if doc.Find(`[data-testid="bulk-form"], input[name="ids"], [data-testid="bulk-move"]`).Length() != 0 {
			t.Error("a Viewer is offered bulk actions")
		}
		if doc.Find(`[data-testid="export-csv"]`).Length() != 1 {
			t.Error("a Viewer is not offered the export")
		}
	})
}

func TestBulkMoveThroughTheConfirmationPage(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		b := app.createAluno("Bia", "2B", "R2")
		c := app.createAluno("Caio", "1A", "R3")
		ids := "&ids=" + idOf(a) + "&ids=" + idOf(b)
		back := url.QueryEscape("/alunos?sort=nome")

		resp, doc := app.page("/alunos/bulk?action=set_turma&back=" + back + ids)
		wantStatus(t, resp, http.StatusOK)
		chooser := doc.Find(`form[data-testid="bulk-turma-form"]`)
		if chooser.Find(`input[name="turma"]`).Length() != 1 || len(bulkRows(doc)) != 2 {
			t.Fatalf("the first step asks no turma or lists %v", bulkRows(doc))
		}
		if chooser.Find(`datalist option[value="2B"]`).Length() != 1 {
			t.Error("the turma input offers no existing turmas")
		}

		resp, doc = app.page("/alunos/bulk?action=set_turma&turma=" + strings.Repeat("x", 21) + "&back=" + back + ids)
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if doc.Find(`[data-testid="error-turma"]`).Text() == "" {
			t.Error("an invalid turma has no message")
		}

		resp, doc = app.page("/alunos/bulk?action=set_turma&turma=2b&back=" + back + ids)
		wantStatus(t, resp, http.StatusOK)
		if got := bulkRows(doc); got["Ana"] != "1A → 2B" || got["Bia"] != "2B (já está nela)" || len(got) != 2 {
			t.Errorf("confirmation rows %v", got)
		}
		confirm := doc.Find(`form[data-testid="bulk-confirm-form"]`)
		if confirm.AttrOr("method", "") != "post" || confirm.Find(`input[name="turma"]`).AttrOr("value", "") != "2B" {
			t.Fatalf("confirmation form %q turma %q, want a post to the stored 2B", confirm.AttrOr("method", ""), confirm.Find(`input[name="turma"]`).AttrOr("value", ""))
		}

		resp = app.postForm("/alunos/bulk", formValues(confirm))
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/alunos?sort=nome" {
			t.Errorf("back to %q, want the list", loc)
		}
		if flash := app.followFlash(app.client, resp); !strings.Contains(flash, "1 aluno movido para a turma 2B") || !strings.Contains(flash, "já estava") {
			t.Errorf("flash %q", flash)
		}
		for s, want := range map[student]string{a: "2B", b: "2B", c: "1A"} {
			if got, _ := app.getStudent(s.ID); got.Turma != want {
				t.Errorf("%s in %q, want %s", s.Nome, got.Turma, want)
			}
		}
	})
}

func TestBulkDeleteThroughTheConfirmationPage(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		b := app.createAluno("Bia", "1A", "R2")
		c := app.createAluno("Caio", "1A", "R3")
		turma := app.turmaOf("1A")
		turmaPage := "/turmas/" + strconv.FormatInt(turma.ID, 10)
		// "select all on this page" without the page's script: the whole
		// page, whatever is checked (Ana twice).
		q := url.Values{"action": {"delete"}, "page": {"all"}, "page_ids": {idOf(a), idOf(b)}, "ids": {idOf(a)}, "back": {turmaPage}}
		resp, doc := app.page("/alunos/bulk?" + q.Encode())
		wantStatus(t, resp, http.StatusOK)
		if got := bulkRows(doc); len(got) != 2 || got["Ana"] != "1A" || got["Bia"] != "1A" {
			t.Errorf("delete confirmation rows %v", got)
		}
		if !strings.Contains(doc.Find(`[data-testid="bulk-summary"]`).Text(), "2 alunos serão excluídos") {
			t.Errorf("summary %q", doc.Find(`[data-testid="bulk-summary"]`).Text())
		}
		resp = app.postForm("/alunos/bulk", formValues(doc.Find(`form[data-testid="bulk-confirm-form"]`)))
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != turmaPage {
			t.Errorf("back to %q, want the turma's page", loc)
		}
		if flash := app.followFlash(app.client, resp); flash != "2 alunos excluídos." {
			t.Errorf("flash %q", flash)
		}
		for s, want := range map[student]int{a: 404, b: 404, c: 200} {
			if _, status := app.getStudent(s.ID); status != want {
				t.Errorf("%s: %d, want %d", s.Nome, status, want)
			}
		}
	})
}

func TestBulkPagesRefuseBadSelections(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		resp := app.do(http.MethodGet, "/alunos/bulk?action=delete&back=%2Falunos%3Fq%3Dana", "", "Accept", browserAccept)
		wantStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/alunos?q=ana" {
			t.Errorf("nothing selected: back to %q", loc)
		}
		if flash := app.followFlash(app.client, resp); !strings.Contains(flash, "Selecione") {
			t.Errorf("nothing selected: flash %q", flash)
		}
		resp = app.do(http.MethodGet, "/alunos/bulk?action=delete&back=https%3A%2F%2Fevil.example", "", "Accept", browserAccept)
		if loc := resp.Header.Get("Location"); loc != "/alunos" {
			t.Errorf("a foreign back address led to %q", loc)
		}
		for path, status := range map[string]int{
			"/alunos/bulk?action=archive&ids=" + idOf(a):                http.StatusUnprocessableEntity,
			"/alunos/bulk?action=delete&ids=x":                          http.StatusBadRequest,
			"/alunos/bulk?action=delete&ids=" + idOf(a) + "&ids=777777": http.StatusUnprocessableEntity,
		} {
			resp, doc := app.page(path)
			if resp.StatusCode != status || !strings.Contains(doc.Find("main").Text(), "") {
				t.Errorf("%s: %d, want %d", path, resp.StatusCode, status)
			}
			if status == http.StatusUnprocessableEntity && path != "/alunos/bulk?action=archive&ids="+idOf(a) &&
				!strings.Contains(doc.Find(`[data-testid="form-message"]`).Text(), "777777") {
				t.Errorf("%s: the page does not name the unknown student", path)
			}
		}
		// Deleted between the confirmation and the click: nothing changes.
		_, doc := app.page("/alunos/bulk?action=set_turma&turma=9Z&ids=" + idOf(a))
		form := formValues(doc.Find(`form[data-testid="bulk-confirm-form"]`))
		form.Add("ids", "777777")
		resp = app.postForm("/alunos/bulk", form)
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if msg := parseHTML(t, resp).Find(`[data-testid="form-message"]`).Text(); !strings.Contains(msg, "777777") || !strings.Contains(msg, "Nada foi alterado") {
			t.Errorf("message %q", msg)
		}
		if got, _ := app.getStudent(a.ID); got.Turma != "1A" || got.Version != 1 {
			t.Errorf("Ana changed: %+v", got)
		}

		viewer, _ := app.browserAs("consulta", models.RoleViewer)
		if resp, _ := app.pageAs(viewer, "/alunos/bulk?action=delete&ids="+idOf(a)); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a Viewer's delete confirmation: %d, want 403", resp.StatusCode)
		}
		resp = app.formAs(viewer, "/alunos/bulk", url.Values{"action": {"set_turma"}, "turma": {"2B"}, "ids": {idOf(a)}})
		wantStatus(t, resp, http.StatusForbidden)
	})
}
