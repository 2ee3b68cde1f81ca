package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestDeleteFlashNamesTheStudent(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana d'Ávila", "1A", "r-7")
		path := "/alunos/" + strconv.FormatInt(a.ID, 10) + "/delete"
		resp := app.postForm(path, url.Values{"version": {"1"}})
		if flash := app.followFlash(app.client, resp); flash != "Aluno Ana d'Ávila (RA R-7) excluído." {
			t.Fatalf("flash %q", flash)
		}
	})
}

// "Salvar e adicionar outro" saves and opens an empty form again, the
// turma kept, for typing a class list.
func TestSaveAndAddAnother(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		_, doc := app.page("/alunos/new")
		another := doc.Find(`form[data-testid="aluno-form"] button[data-testid="save-and-new"]`)
		if name, _ := another.Attr("name"); name == "" || another.Length() != 1 {
			t.Fatal("the new-student form has no Salvar e adicionar outro button")
		}
		form := url.Values{"nome": {"Ana"}, "turma": {"3º ano A"}, "ra": {"c-1"}}
		form.Set(another.AttrOr("name", ""), another.AttrOr("value", ""))
		resp := app.postForm("/alunos", form)
		wantStatus(t, resp, http.StatusSeeOther)
		loc := resp.Header.Get("Location")
		if !strings.HasPrefix(loc, "/alunos/new?") {
			t.Fatalf("redirect to %q, want the new-student form", loc)
		}
		_, doc = app.page(loc)
		if got := doc.Find(`[data-testid="flash"]`).Text(); got != "Aluno Ana (RA C-1) adicionado. Agora o próximo." {
			t.Fatalf("flash %q", got)
		}
		values := formValues(doc.Find(`form[data-testid="aluno-form"]`))
		if values.Get("turma") != "3º ano A" || values.Get("nome") != "" || values.Get("ra") != "" {
			t.Fatalf("the next form holds %v, want only the turma", values)
		}
		assertCount(t, app, 1)

		// invalid input stays on the form, the choice kept
		form = url.Values{"nome": {""}, "turma": {"3º ano A"}, "ra": {"c-2"}, another.AttrOr("name", ""): {another.AttrOr("value", "")}}
		wantStatus(t, app.postForm("/alunos", form), http.StatusUnprocessableEntity)
	})
}

// Save buttons say what happens while the form is sent (static/app.js
// shows data-busy and disables the buttons).
func TestSaveButtonsSayTheyAreSaving(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for _, page := range []string{"/alunos/new", "/admin/users/new", "/admin/roles/new"} {
			_, doc := app.page(page)
			if busy, _ := doc.Find(`[data-testid="save"]`).Attr("data-busy"); busy != "Salvando…" {
				t.Errorf("%s: the save button's busy text is %q", page, busy)
			}
		}
	})
}
