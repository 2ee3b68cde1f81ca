package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models/modelstest"
)

// Every form that comes back with errors says so to screen readers: each
// message has an id, the field it is about (an input, a select, or the
// group of checkboxes or radio buttons) is marked aria-invalid and points
// to the message with aria-describedby.
func TestEveryFormAnnouncesItsErrors(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	s := app.createAluno("Ana", "5B", "2024-001")
	app.createUser("secretaria")
	long := strings.Repeat("x", 200)
	cases := []struct {
		name, path string
		form       url.Values
		status     int
		fields     []string // the fields whose messages must be announced
	}{
		{"new student", "/alunos", url.Values{"ra": {"ra 1!"}}, 422, []string{"nome", "turma", "ra"}},
		{"edit student", "/alunos/" + itoa(s.ID), url.Values{"version": {"1"}, "nome": {""}, "turma": {"5B"}, "ra": {"2024-001"}}, 422, []string{"nome"}},
		{"new turma", "/turmas", url.Values{"codigo": {""}, "ano_letivo": {"2026"}, "turno": {"madrugada"}}, 422, []string{"codigo", "turno"}},
		{"new turma, year", "/turmas", url.Values{"codigo": {"5B"}, "ano_letivo": {"dois mil"}}, 422, []string{"ano_letivo"}},
		{"new user", "/admin/users", url.Values{"username": {""}, "password": {"a"}, "password_confirm": {"b"}}, 422, []string{"username", "password"}},
		{"new user, role", "/admin/users", url.Values{"username": {"novo"}, "password": {testPassword}, "password_confirm": {testPassword}, "roles": {"Nenhum"}}, 422, []string{"roles"}},
		{"edit user", app.userPath("secretaria", ""), url.Values{"email": {"não é e-mail"}}, 422, []string{"email"}},
		{"reset password", app.userPath("secretaria", "/password"), url.Values{"password": {"a"}, "password_confirm": {"b"}}, 422, []string{"password"}},
		{"new role", "/admin/roles", url.Values{"name": {""}, "permissions": {"can_fly"}}, 422, []string{"name", "permissions"}},
		{"change password", "/account/password", url.Values{"current_password": {"errada"}, "password": {"a"}, "password_confirm": {"b"}}, 422, []string{"current_password"}},
		{"new token", "/account/tokens", url.Values{"name": {long}, "expires_days": {"-1"}}, 422, []string{"expires_days"}},
		{"new token, admin scope", "/account/tokens", url.Values{"name": {"x"}, "scope": {"root"}}, 422, []string{"scope"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := app.postForm(tc.path, tc.form)
			wantStatus(t, resp, tc.status)
			doc := parseHTML(t, resp)
			for _, f := range tc.fields {
				if doc.Find(`[data-testid="error-`+f+`"]`).Length() == 0 {
					t.Errorf("no message for %s", f)
				}
			}
			doc.Find(".field-error").Each(func(_ int, msg *goquery.Selection) {
				expectAnnounced(t, doc, msg)
			})
		})
	}
}

// expectAnnounced checks that an error message has an id that an invalid
// control or group points to.
func expectAnnounced(t *testing.T, doc *goquery.Document, msg *goquery.Selection) {
	t.Helper()
	text := strings.TrimSpace(msg.Text())
	id, ok := msg.Attr("id")
	if !ok || id == "" {
		t.Errorf("the message %q has no id to point to", text)
		return
	}
	described := doc.Find("[aria-describedby]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return containsWord(s.AttrOr("aria-describedby", ""), id)
	})
	if described.Length() == 0 {
		t.Errorf("nothing points to the message %q (#%s) with aria-describedby", text, id)
	}
	described.Each(func(_ int, s *goquery.Selection) {
		if s.AttrOr("aria-invalid", "") != "true" {
			t.Errorf("%s points to %q but is not aria-invalid", goquery.NodeName(s), text)
		}
	})
}

func containsWord(list, word string) bool {
	for _, w := range strings.Fields(list) {
		if w == word {
			return true
		}
	}
	return false
}

// A refused login marks both fields and points them to the message, which
// does not say which of the two was wrong.
func TestLoginErrorIsAnnounced(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	resp := app.submitLogin(app.newBrowser(), "admin", "not the password", "/")
	wantStatus(t, resp, http.StatusUnauthorized)
	doc := parseHTML(t, resp)
	msg := doc.Find(`[data-testid="login-error"]`)
	if msg.Length() != 1 {
		t.Fatal("no login error")
	}
	for _, name := range []string{"username", "password"} {
		input := doc.Find(`input[name="` + name + `"]`)
		if !containsWord(input.AttrOr("aria-describedby", ""), msg.AttrOr("id", "-")) || input.AttrOr("aria-invalid", "") != "true" {
			t.Errorf("the %s input is not marked invalid and pointed to the message", name)
		}
	}
}
