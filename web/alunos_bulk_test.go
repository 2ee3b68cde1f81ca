package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"schooladmin/models"
)

// bulkBody is the JSON of a bulk action.
func bulkBody(action, turma string, ids ...int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	body := `{"action":"` + action + `","ids":[` + strings.Join(parts, ",") + `]`
	if turma != "" {
		body += `,"turma":"` + turma + `"`
	}
	return body + "}"
}

func (a *testApp) getStudent(id int64) (student, int) {
	a.t.Helper()
	resp := a.api(http.MethodGet, "/alunos/"+strconv.FormatInt(id, 10), "")
	if resp.StatusCode != http.StatusOK {
		return student{}, resp.StatusCode
	}
	return decode[student](a.t, resp), resp.StatusCode
}

func TestBulkAPIMovesAndDeletes(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		b := app.createAluno("Bia", "1B", "R2")
		c := app.createAluno("Caio", "2A", "R3")
		resp := app.api(http.MethodPost, "/alunos/bulk", bulkBody("set_turma", "2A", a.ID, b.ID, c.ID))
		wantStatus(t, resp, http.StatusOK)
		if got := decode[map[string]int](t, resp); got["affected"] != 2 || len(got) != 1 {
			t.Errorf("answer %v, want {\"affected\": 2} (Caio was in 2A already)", got)
		}
		for _, s := range []student{a, b, c} {
			got, _ := app.getStudent(s.ID)
			if got.Turma != "2A" {
				t.Errorf("%s is in %q, want 2A", s.Nome, got.Turma)
			}
		}
		_, doc := app.page("/alunos/" + strconv.FormatInt(a.ID, 10))
		if entries := doc.Find(`[data-testid="history-entry"]`); entries.Length() != 2 || !strings.Contains(entries.First().Text(), "1A") ||
			!strings.Contains(entries.First().Text(), "2A") {
			t.Errorf("Ana's history: %q, want the move from 1A to 2A on top of the create", entries.Text())
		}

		resp = app.api(http.MethodPost, "/alunos/bulk", bulkBody("delete", "", a.ID, c.ID))
		wantStatus(t, resp, http.StatusOK)
		if got := decode[map[string]int](t, resp); got["affected"] != 2 {
			t.Errorf("delete answer %v, want 2 affected", got)
		}
		for id, want := range map[int64]int{a.ID: http.StatusNotFound, b.ID: http.StatusOK, c.ID: http.StatusNotFound} {
			if _, status := app.getStudent(id); status != want {
				t.Errorf("student %d after the delete: %d, want %d", id, status, want)
			}
		}
	})
}

func TestBulkAPIBadInputChangesNothing(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		b := app.createAluno("Bia", "1A", "R2")
		ids := strconv.FormatInt(a.ID, 10) + "," + strconv.FormatInt(b.ID, 10)
		many := strings.TrimSuffix(strings.Repeat(strconv.FormatInt(a.ID, 10)+",", models.MaxBulkIDs+1), ",")
		cases := []struct {
			name, body    string
			status        int
			field, naming string
		}{
			{"unknown action", `{"action":"archive","ids":[` + ids + `]}`, 422, "action", "archive"},
			{"no action", `{"ids":[` + ids + `]}`, 422, "action", ""},
			{"empty ids", `{"action":"delete","ids":[]}`, 422, "ids", ""},
			{"no ids", `{"action":"delete"}`, 422, "ids", ""},
			{"too many ids", `{"action":"delete","ids":[` + many + `]}`, 422, "ids", "1000"},
			{"repeated id", `{"action":"delete","ids":[` + ids + "," + strconv.FormatInt(a.ID, 10) + `]}`, 422, "ids", strconv.FormatInt(a.ID, 10)},
			{"unknown id", `{"action":"delete","ids":[` + ids + `,424242]}`, 422, "ids", "424242"},
			{"text id", `{"action":"delete","ids":["` + strconv.FormatInt(a.ID, 10) + `"]}`, 400, "ids", ""},
			{"fraction id", `{"action":"delete","ids":[1.5]}`, 400, "ids", ""},
			{"ids not a list", `{"action":"delete","ids":` + strconv.FormatInt(a.ID, 10) + `}`, 400, "ids", ""},
			{"action not text", `{"action":1,"ids":[` + ids + `]}`, 400, "action", ""},
			{"no turma", `{"action":"set_turma","ids":[` + ids + `]}`, 422, "turma", ""},
			{"invalid turma", `{"action":"set_turma","turma":"` + strings.Repeat("x", 21) + `","ids":[` + ids + `]}`, 422, "turma", ""},
			{"unknown field", `{"action":"delete","ids":[` + ids + `],"force":true}`, 422, "force", ""},
		}
		for _, tc := range cases {
			resp := app.api(http.MethodPost, "/alunos/bulk", tc.body, deliberatelyInvalid, tc.name)
			if resp.StatusCode != tc.status {
				t.Errorf("%s: status %d, want %d", tc.name, resp.StatusCode, tc.status)
				continue
			}
			e := decode[errorBody](t, resp)
			if msg := e.Fields[tc.field]; msg == "" || !strings.Contains(msg, tc.naming) || e.Error == "" {
				t.Errorf("%s: %+v, want a message on %s naming %q", tc.name, e, tc.field, tc.naming)
			}
			if tc.naming != "" && !strings.Contains(e.Error, tc.naming) {
				t.Errorf("%s: error %q does not name %q", tc.name, e.Error, tc.naming)
			}
		}
		for name, resp := range map[string]*http.Response{
			"malformed JSON": app.api(http.MethodPost, "/alunos/bulk", `{"action":`, deliberatelyInvalid, "malformed JSON"),
			"not JSON":       app.apiRaw(http.MethodPost, "/alunos/bulk", "action=delete", "Content-Type", "text/plain", deliberatelyInvalid, "not JSON"),
		} {
			if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnsupportedMediaType {
				t.Errorf("%s: %d, want 400 or 415", name, resp.StatusCode)
			}
		}
		for _, s := range []student{a, b} {
			if got, _ := app.getStudent(s.ID); got.Version != 1 || got.Turma != "1A" {
				t.Errorf("%s changed: %+v", s.Nome, got)
			}
		}
	})
}

// TestBulkAPIPermissionPerAction: deleting needs can_delete, moving
// can_edit, each checked before the request's content.
func TestBulkAPIPermissionPerAction(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		for name, perms := range map[string][]string{
			"Apaga": {models.PermListAlunos, models.PermDeleteAlunos},
			"Move":  {models.PermListAlunos, models.PermEditAlunos},
		} {
			wantStatus(t, app.postForm("/admin/roles", url.Values{"name": {name}, "permissions": perms}), http.StatusSeeOther)
		}
		viewer := app.createUser("consulta", models.RoleViewer)
		deleter := app.createUser("apaga", "Apaga")
		mover := app.createUser("move", "Move")
		send := func(token, body string) int {
			return app.send(app.apiClient, http.MethodPost, "/alunos/bulk", body,
				"Authorization", "Bearer "+token, "Content-Type", "application/json").StatusCode
		}
		for _, tc := range []struct {
			who, token, body string
			want             int
		}{
			{"Viewer moving", viewer, bulkBody("set_turma", "2A", a.ID), http.StatusForbidden},
			{"Viewer deleting an unknown id", viewer, bulkBody("delete", "", 999), http.StatusForbidden},
			{"deleter moving", deleter, bulkBody("set_turma", "2A", a.ID), http.StatusForbidden},
			{"mover deleting", mover, bulkBody("delete", "", a.ID), http.StatusForbidden},
			{"mover moving", mover, bulkBody("set_turma", "2A", a.ID), http.StatusOK},
			{"deleter deleting", deleter, bulkBody("delete", "", a.ID), http.StatusOK},
		} {
			if got := send(tc.token, tc.body); got != tc.want {
				t.Errorf("%s: %d, want %d", tc.who, got, tc.want)
			}
		}
	})
}

// TestBulkActionIsTakenAsSent: an action spelled with spaces is not
// another way to reach one whose permission the caller lacks.
func TestBulkActionIsTakenAsSent(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		wantStatus(t, app.postForm("/admin/roles", url.Values{"name": {"Move"}, "permissions": {models.PermListAlunos, models.PermEditAlunos}}),
			http.StatusSeeOther)
		client, token := app.browserAs("move", "Move")
		resp := app.send(app.apiClient, http.MethodPost, "/alunos/bulk", bulkBody(" delete ", "", a.ID),
			"Authorization", "Bearer "+token, "Content-Type", "application/json", deliberatelyInvalid, "an action with spaces")
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		form := url.Values{"action": {" delete"}, "ids": {strconv.FormatInt(a.ID, 10)}}
		if resp := app.formAs(client, "/alunos/bulk", form); resp.StatusCode == http.StatusSeeOther {
			t.Errorf("the form with action %q: %d", form.Get("action"), resp.StatusCode)
		}
		if _, status := app.getStudent(a.ID); status != http.StatusOK {
			t.Errorf("Ana after \" delete \" from a role that may not delete: %d", status)
		}
	})
}
