package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
)

// auditActions lists the data-action of each row of an audit page.
func auditActions(doc *goquery.Document) []string {
	var actions []string
	doc.Find(`[data-testid="audit-row"]`).Each(func(_ int, s *goquery.Selection) {
		a, _ := s.Attr("data-action")
		actions = append(actions, a)
	})
	return actions
}

func TestAuditPageShowsStudentChangesAndLogins(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		wantStatus(t, app.api(http.MethodPatch, "/alunos/"+strconv.FormatInt(a.ID, 10), `{"turma":"2B","version":1}`), http.StatusOK)
		wantStatus(t, app.submitLogin(app.newBrowser(), "admin", "senha errada!", "/"), http.StatusUnauthorized)

		resp, doc := app.page("/admin/audit")
		wantStatus(t, resp, http.StatusOK)
		actions := auditActions(doc)
		// naming a new turma creates it, audited before the student's change
		want := "login.failure,student.update,turma.create,student.create,turma.create"
		if len(actions) < 6 || strings.Join(actions[:5], ",") != want {
			t.Fatalf("actions, newest first: %v, want %s first", actions, want)
		}
		if !strings.Contains(strings.Join(actions, ","), "login.success") {
			t.Fatalf("the admin's login is missing: %v", actions)
		}
		update := doc.Find(`[data-testid="audit-row"]`).Eq(1)
		if update.Find(`[data-testid="audit-actor"]`).Text() != "admin" || update.Find(`[data-testid="audit-action"]`).Text() != "Aluno alterado" {
			t.Fatalf("update row: %q", update.Text())
		}
		changes := update.Find(`[data-testid="audit-changes"]`)
		if changes.Find("th").First().Text() != "Turma" || changes.Find(".old").First().Text() != "1A" || changes.Find(".new").First().Text() != "2B" {
			t.Fatalf("changes shown: %q", changes.Text())
		}
		if actor := doc.Find(`[data-testid="audit-row"]`).First().Find(`[data-testid="audit-actor"]`).Text(); actor != "anônimo" {
			t.Fatalf("failed login actor %q", actor)
		}
	})
}

func TestAuditPageFilters(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		app.createAluno("Bruno", "1A", "R2")
		app.createUser("outro", models.RoleViewer)
		wantStatus(t, app.submitLogin(app.newBrowser(), "outro", "senha errada!", "/"), http.StatusUnauthorized)

		id := strconv.FormatInt(a.ID, 10)
		cases := []struct {
			query string
			want  string // every row's action, joined
		}{
			{"?action=login.failure", "login.failure"},
			{"?type=student&object=" + id, "student.create"},
			{"?type=student", "student.create,student.create"},
			{"?actor=admin&type=login", "login.success"},
			{"?actor=ninguem", ""},
		}
		for _, tc := range cases {
			resp, doc := app.page("/admin/audit" + tc.query)
			wantStatus(t, resp, http.StatusOK)
			if got := strings.Join(auditActions(doc), ","); got != tc.want {
				t.Errorf("%s: actions %q, want %q", tc.query, got, tc.want)
			}
		}
		_, doc := app.page("/admin/audit?action=login.failure&type=login")
		if v, _ := doc.Find(`select[name="action"] option[selected]`).Attr("value"); v != "login.failure" {
			t.Fatalf("selected action %q", v)
		}
		if v, _ := doc.Find(`select[name="type"] option[selected]`).Attr("value"); v != "login" {
			t.Fatalf("selected type %q", v)
		}
		_, doc = app.page("/admin/audit?actor=ninguem")
		if doc.Find(`[data-testid="empty-state"]`).Length() != 1 {
			t.Fatal("no empty state")
		}
	})
}

func TestAuditPagePagination(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		audit := models.NewAuditStore(app.db)
		for i := range 60 {
			if err := audit.Record(t.Context(), models.Actor{Username: "robo"}, "token.create", models.AuditToken, i, ""); err != nil {
				t.Fatal(err)
			}
		}
		_, doc := app.page("/admin/audit?actor=robo")
		if n := doc.Find(`[data-testid="audit-row"]`).Length(); n != 50 {
			t.Fatalf("first page has %d rows", n)
		}
		if got := doc.Find(`[data-testid="audit-object"]`).First().Text(); !strings.HasSuffix(got, " 59") {
			t.Fatalf("newest first: first object %q", got)
		}
		next, ok := doc.Find(`[data-testid="pagination"] a[rel="next"]`).Attr("href")
		if !ok || !strings.Contains(next, "actor=robo") || !strings.Contains(next, "page=2") {
			t.Fatalf("next link %q", next)
		}
		_, doc = app.page(next)
		if got := doc.Find(`[data-testid="range"]`).Text(); got != "51–60 de 60" {
			t.Fatalf("range %q", got)
		}
		if doc.Find(`[data-testid="pagination"] a[rel="next"]`).Length() != 0 {
			t.Fatal("a next link on the last page")
		}
		// every list reads its address the same way: a bad page is 422
		resp, _ := app.page("/admin/audit?page=abc")
		wantStatus(t, resp, http.StatusUnprocessableEntity)
	})
}
