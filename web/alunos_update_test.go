package web_test

import (
	"net/http"
	"strconv"
	"testing"
)

func TestAPIUpdate(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		path := "/alunos/" + strconv.FormatInt(a.ID, 10)

		// PATCH with the version in the body changes only what is sent.
		resp := app.api(http.MethodPatch, path, `{"turma":"2B","version":1}`)
		wantStatus(t, resp, http.StatusOK)
		if s := decode[student](t, resp); s.Turma != "2B" || s.Nome != "Ana" || s.Version != 2 || resp.Header.Get("ETag") != `"2"` {
			t.Fatalf("after PATCH: %+v, ETag %s", s, resp.Header.Get("ETag"))
		}
		// PUT with If-Match replaces everything; read-only fields are ignored.
		resp = app.api(http.MethodPut, path, `{"id":999,"nome":"Ana Maria","turma":"3C","ra":"r9","created_at":"x","updated_at":"y"}`, "If-Match", `"2"`)
		wantStatus(t, resp, http.StatusOK)
		if s := decode[student](t, resp); s.ID != a.ID || s.RA != "R9" || s.Version != 3 || s.CreatedAt != a.CreatedAt {
			t.Fatalf("after PUT: %+v", s)
		}
		// a client may send back exactly what it read
		var read student
		read = decode[student](t, app.api(http.MethodGet, path, ""))
		resp = app.api(http.MethodPut, path, `{"id":`+strconv.FormatInt(read.ID, 10)+`,"nome":"Ana Maria","turma":"3C","ra":"R9","version":3,"created_at":"`+read.CreatedAt+`","updated_at":"`+read.UpdatedAt+`"}`)
		wantStatus(t, resp, http.StatusOK)
	})
}

func TestAPIUpdateErrors(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		app.createAluno("Bia", "1A", "R2")
		path := "/alunos/" + strconv.FormatInt(a.ID, 10)
		cases := []struct {
			name, method, path, body string
			headers                  []string
			status                   int
		}{
			{"no version", http.MethodPatch, path, `{"turma":"2B"}`, nil, 428},
			{"PUT without version", http.MethodPut, path, `{"nome":"A","turma":"2B","ra":"R1"}`, nil, 428},
			{"stale body version", http.MethodPatch, path, `{"turma":"2B","version":7}`, nil, 409},
			{"stale If-Match", http.MethodPut, path, `{"nome":"A","turma":"2B","ra":"R1"}`, []string{"If-Match", `"5"`}, 409},
			{"If-Match and body differ", http.MethodPatch, path, `{"turma":"2B","version":1}`, []string{"If-Match", `"2"`}, 409},
			{"bad If-Match", http.MethodPatch, path, `{"turma":"2B"}`, []string{"If-Match", `abc`}, 400},
			{"PUT missing field", http.MethodPut, path, `{"nome":"A","version":1}`, []string{deliberatelyInvalid, "fields missing"}, 422},
			{"invalid value", http.MethodPatch, path, `{"ra":"a b","version":1}`, []string{deliberatelyInvalid, "a bad ra"}, 422},
			{"unknown field", http.MethodPatch, path, `{"idade":3,"version":1}`, []string{deliberatelyInvalid, "an unknown field"}, 422},
			{"version not a number", http.MethodPatch, path, `{"version":"1"}`, []string{deliberatelyInvalid, "a version as text"}, 400},
			{"duplicate ra", http.MethodPatch, path, `{"ra":"r2","version":1}`, nil, 409},
			{"missing student", http.MethodPatch, "/alunos/999", `{"turma":"2B","version":1}`, nil, 404},
			{"not JSON", http.MethodPatch, path, `{"turma":"2B","version":1}`, []string{"Content-Type", "text/plain", deliberatelyInvalid, "not JSON"}, 415},
			{"stale delete", http.MethodDelete, path, ``, []string{"If-Match", `"4"`}, 409},
			{"delete missing", http.MethodDelete, "/alunos/999", ``, nil, 404},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				resp := app.api(tc.method, tc.path, tc.body, tc.headers...)
				wantStatus(t, resp, tc.status)
				if e := decode[errorBody](t, resp); e.Error == "" {
					t.Fatal("no error message")
				}
			})
		}
		if s := decode[student](t, app.api(http.MethodGet, path, "")); s.Version != 1 || s.Turma != "1A" || s.RA != "R1" {
			t.Fatalf("a failed request changed the student: %+v", s)
		}
	})
}

func TestAPIDelete(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		b := app.createAluno("Bia", "1A", "R2")
		wantStatus(t, app.api(http.MethodDelete, "/alunos/"+strconv.FormatInt(a.ID, 10), ""), http.StatusNoContent)
		wantStatus(t, app.api(http.MethodDelete, "/alunos/"+strconv.FormatInt(b.ID, 10), "", "If-Match", `"1"`), http.StatusNoContent)
		wantStatus(t, app.api(http.MethodGet, "/alunos/"+strconv.FormatInt(a.ID, 10), ""), http.StatusNotFound)
		app.createAluno("Ana de novo", "1A", "r1") // the RA is free again
	})
}

func TestAPIMethodNotAllowed(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		resp := app.api(http.MethodDelete, "/alunos", "")
		wantStatus(t, resp, http.StatusMethodNotAllowed)
		decode[errorBody](t, resp)
	})
}
