package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
)

// formValues is what a browser would submit for form as it stands:
// every named input's value, checkboxes and radios only when checked.
func formValues(form *goquery.Selection) url.Values {
	v := url.Values{}
	form.Find("input[name], select[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		switch kind, _ := s.Attr("type"); {
		case goquery.NodeName(s) == "select":
			v.Add(name, s.Find("option[selected]").AttrOr("value", ""))
		case kind == "checkbox" || kind == "radio":
			if _, checked := s.Attr("checked"); checked {
				v.Add(name, s.AttrOr("value", "on"))
			}
		case goquery.NodeName(s) == "textarea":
			v.Add(name, s.Text())
		default:
			v.Add(name, s.AttrOr("value", ""))
		}
	})
	return v
}

// openForm loads a page and returns what its form would submit.
func (a *testApp) openForm(path, testid string) url.Values {
	a.t.Helper()
	resp, doc := a.page(path)
	wantStatus(a.t, resp, http.StatusOK)
	form := doc.Find(`form[data-testid="` + testid + `"]`)
	if form.Length() != 1 {
		a.t.Fatalf("%s has no form %s", path, testid)
	}
	return formValues(form)
}

// studentNow reads a student through the API.
func (a *testApp) studentNow(path string) student {
	a.t.Helper()
	return decode[student](a.t, a.api(http.MethodGet, path, ""))
}

func TestHTMLStaleEditMerges(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		t.Run("a field the person did not touch keeps a colleague's change", func(t *testing.T) {
			a := app.createAluno("Ana", "1B", "M1")
			path := "/alunos/" + strconv.FormatInt(a.ID, 10)
			form := app.openForm(path+"/edit", "aluno-form")
			wantStatus(t, app.api(http.MethodPatch, path, `{"turma":"2C","version":1}`), http.StatusOK)

			form.Set("nome", "Ana Paula")
			wantStatus(t, app.postForm(path, form), http.StatusSeeOther)
			if s := app.studentNow(path); s.Nome != "Ana Paula" || s.Turma != "2C" || s.Version != 3 {
				t.Fatalf("after the merged save: %+v, want nome Ana Paula and turma 2C", s)
			}
			history, err := models.NewAuditStore(app.db).History(context.Background(), models.AuditAluno, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range history {
				if ch, ok := ev.ChangeList()["turma"]; ok && ch.New == "1B" && ch.Old == "2C" {
					t.Fatalf("the history shows the colleague's turma reverted: %+v", ev)
				}
			}
			if changes := history[0].ChangeList(); len(changes) != 1 || changes["nome"].New != "Ana Paula" {
				t.Fatalf("the merged save recorded %v, want only the name", changes)
			}
		})

		t.Run("a field only the person changed takes their value", func(t *testing.T) {
			a := app.createAluno("Bia", "1B", "M2")
			path := "/alunos/" + strconv.FormatInt(a.ID, 10)
			form := app.openForm(path+"/edit", "aluno-form")
			wantStatus(t, app.api(http.MethodPatch, path, `{"nome":"Beatriz","version":1}`), http.StatusOK)

			form.Set("turma", "3A")
			form.Set("ra", "m2 ") // the same RA as typed differently: not a change
			wantStatus(t, app.postForm(path, form), http.StatusSeeOther)
			if s := app.studentNow(path); s.Nome != "Beatriz" || s.Turma != "3A" || s.RA != "M2" {
				t.Fatalf("after the merged save: %+v, want nome Beatriz and turma 3A", s)
			}
		})

		t.Run("both changed the same field: 409 with both values", func(t *testing.T) {
			a := app.createAluno("Caio", "1B", "M3")
			path := "/alunos/" + strconv.FormatInt(a.ID, 10)
			form := app.openForm(path+"/edit", "aluno-form")
			wantStatus(t, app.api(http.MethodPatch, path, `{"turma":"2C","version":1}`), http.StatusOK)
			wantStatus(t, app.api(http.MethodPatch, path, `{"ra":"M3-X","version":2}`), http.StatusOK)

			form.Set("nome", "Caio Lima")
			form.Set("turma", "1D")
			resp := app.postForm(path, form)
			wantStatus(t, resp, http.StatusConflict)
			doc := parseHTML(t, resp)
			if s := app.studentNow(path); s.Nome != "Caio" || s.Turma != "2C" || s.Version != 3 {
				t.Fatalf("a conflicting save wrote something: %+v", s)
			}
			if doc.Find(`[data-testid="conflict"]`).Length() != 1 {
				t.Fatal("no message about the concurrent change")
			}
			field := doc.Find(`[data-testid="conflict-turma"]`)
			if field.Find(`[data-testid="mine-turma"]`).Text() != "1D" || field.Find(`[data-testid="current-turma"]`).Text() != "2C" {
				t.Fatalf("the conflicting field shows %q", field.Text())
			}
			input := field.Find(`input[name="turma"]`)
			if note, _ := input.Attr("aria-describedby"); note == "" || doc.Find("#"+note).Length() != 1 {
				t.Fatalf("the conflicting input does not point to the two values (aria-describedby %q)", note)
			}
			if doc.Find(`[data-testid="conflict-nome"], [data-testid="conflict-ra"]`).Length() != 0 {
				t.Fatal("a field only one side changed is marked as a conflict")
			}
			again := formValues(doc.Find(`form[data-testid="aluno-form"]`))
			want := map[string]string{"version": "3", "orig_turma": "2C", "orig_ra": "M3-X", "orig_nome": "Caio",
				"nome": "Caio Lima", "turma": "1D", "ra": "M3-X"}
			for k, v := range want {
				if again.Get(k) != v {
					t.Errorf("the 409 form's %s = %q, want %q", k, again.Get(k), v)
				}
			}

			// keeping the other person's turma, by choice
			choice := url.Values{}
			for k, v := range again {
				choice[k] = v
			}
			choice.Set("keep_turma", "current")
			wantStatus(t, app.postForm(path, choice), http.StatusSeeOther)
			if s := app.studentNow(path); s.Nome != "Caio Lima" || s.Turma != "2C" || s.RA != "M3-X" {
				t.Fatalf("after choosing the current turma: %+v", s)
			}
		})

		t.Run("saving the 409 form as it stands applies the person's choice", func(t *testing.T) {
			a := app.createAluno("Davi", "1B", "M4")
			path := "/alunos/" + strconv.FormatInt(a.ID, 10)
			form := app.openForm(path+"/edit", "aluno-form")
			wantStatus(t, app.api(http.MethodPatch, path, `{"turma":"2C","version":1}`), http.StatusOK)
			form.Set("turma", "1D")
			resp := app.postForm(path, form)
			wantStatus(t, resp, http.StatusConflict)
			again := formValues(parseHTML(t, resp).Find(`form[data-testid="aluno-form"]`))
			wantStatus(t, app.postForm(path, again), http.StatusSeeOther)
			if s := app.studentNow(path); s.Turma != "1D" {
				t.Fatalf("after confirming: %+v, want turma 1D", s)
			}
		})

		t.Run("both changed a field to the same value: no conflict", func(t *testing.T) {
			a := app.createAluno("Eva", "1B", "M5")
			path := "/alunos/" + strconv.FormatInt(a.ID, 10)
			form := app.openForm(path+"/edit", "aluno-form")
			wantStatus(t, app.api(http.MethodPatch, path, `{"turma":"2C","version":1}`), http.StatusOK)
			form.Set("turma", "2C")
			wantStatus(t, app.postForm(path, form), http.StatusSeeOther)
		})
	})
}
