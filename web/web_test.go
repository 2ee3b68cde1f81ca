package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
	"schooladmin/web/openapi/apitest"
)

// testApp is the real router on a test database, served over HTTP so
// cookies and redirects behave as in a browser. The browser client is
// logged in as an administrator; api() sends that administrator's token.
type testApp struct {
	t      *testing.T
	db     *models.Database
	server *web.Server
	srv    *httptest.Server
	client *http.Client // keeps cookies, does not follow redirects
	// apiClient has no cookie jar: API clients carry no session.
	apiClient *http.Client
	token     string // the administrator's API token
}

// testPassword is every test user's password.
const testPassword = "correct horse battery staple"

func newTestApp(t *testing.T, db *models.Database) *testApp {
	return newTestAppWith(t, db, web.DefaultConfig)
}

func newTestAppWith(t *testing.T, db *models.Database, cfg web.Config) *testApp {
	return newTestAppLogging(t, db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
}

// newTestAppLogging is newTestAppWith logging to log; wrap, when set,
// wraps the router (to watch requests arrive and end).
func newTestAppLogging(t *testing.T, db *models.Database, cfg web.Config, log *slog.Logger, wrap func(http.Handler) http.Handler) *testApp {
	t.Helper()
	s, err := web.New(cfg, db, []byte(strings.Repeat("s", 32)), log)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = s.Echo
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(apitest.OnlyVia(t, h))
	t.Cleanup(srv.Close)
	a := &testApp{t: t, db: db, server: s, srv: srv}
	a.client = a.newBrowser()
	a.apiClient = &http.Client{Transport: a.transport(), CheckRedirect: noRedirects}
	a.token = a.createUser("admin", models.RoleAdmin)
	if !cfg.DisableLocalLogin { // else the administrator's browser stays logged out
		a.login(a.client, "admin", testPassword)
	}
	return a
}

// newBrowser returns a client with its own cookie jar (not logged in).
func (a *testApp) newBrowser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: a.transport(), CheckRedirect: noRedirects}
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// createUser makes a user with testPassword and the roles, and returns an
// API token of theirs.
func (a *testApp) createUser(username string, roles ...string) string {
	a.t.Helper()
	ctx := context.Background()
	hash, err := a.server.Hasher().Hash(ctx, testPassword)
	if err != nil {
		a.t.Fatal(err)
	}
	u, err := models.NewUserStore(a.db).Create(ctx, models.Actor{Username: "test"}, models.NewUser{Username: username, PasswordHash: hash, Roles: roles})
	if err != nil {
		a.t.Fatal(err)
	}
	token, _, err := models.NewTokenStore(a.db).Create(ctx, models.Actor{Username: "test"}, u.ID, "test", models.ScopeStudents, nil)
	if err != nil {
		a.t.Fatal(err)
	}
	return token
}

// login logs client in through the login form and checks it worked.
func (a *testApp) login(client *http.Client, username, password string) {
	a.t.Helper()
	resp := a.submitLogin(client, username, password, "/")
	wantStatus(a.t, resp, http.StatusSeeOther)
}

// submitLogin posts the login form with the CSRF token of the login page.
func (a *testApp) submitLogin(client *http.Client, username, password, next string, headers ...string) *http.Response {
	a.t.Helper()
	resp := a.send(client, http.MethodGet, "/login", "", "Accept", browserAccept)
	tok, _ := parseHTML(a.t, resp).Find(`input[name="_csrf"]`).Attr("value")
	form := url.Values{"_csrf": {tok}, "username": {username}, "password": {password}, "next": {next}}
	return a.send(client, http.MethodPost, "/login", form.Encode(), append([]string{
		"Accept", browserAccept, "Content-Type", "application/x-www-form-urlencoded"}, headers...)...)
}

// do sends a request as the browser (with its cookies); body is sent as
// is, headers are name, value pairs.
func (a *testApp) do(method, path, body string, headers ...string) *http.Response {
	a.t.Helper()
	return a.send(a.client, method, path, body, headers...)
}

func (a *testApp) send(client *http.Client, method, path, body string, headers ...string) *http.Response {
	a.t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+path, strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// api sends a JSON request the way an API client does: the
// administrator's bearer token, no cookies.
func (a *testApp) api(method, path, body string, headers ...string) *http.Response {
	a.t.Helper()
	if !slices.Contains(headers, "Authorization") {
		headers = append(headers, "Authorization", "Bearer "+a.token)
	}
	if body != "" && !slices.Contains(headers, "Content-Type") {
		headers = append(headers, "Content-Type", "application/json")
	}
	return a.send(a.apiClient, method, path, body, headers...)
}

// apiRaw sends a request with the administrator's token and exactly the
// headers given (no Content-Type added).
func (a *testApp) apiRaw(method, path, body string, headers ...string) *http.Response {
	a.t.Helper()
	return a.send(a.apiClient, method, path, body, append(headers, "Authorization", "Bearer "+a.token)...)
}

// browserAPI sends a JSON request from the browser's page script: with
// the session cookie.
func (a *testApp) browserAPI(method, path, body string, headers ...string) *http.Response {
	a.t.Helper()
	return a.do(method, path, body, append(headers, "Content-Type", "application/json")...)
}

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// page GETs an HTML page as a browser and parses it.
func (a *testApp) page(path string) (*http.Response, *goquery.Document) {
	a.t.Helper()
	resp := a.do(http.MethodGet, path, "", "Accept", browserAccept)
	return resp, parseHTML(a.t, resp)
}

// pageAs GETs an HTML page with another browser client.
func (a *testApp) pageAs(client *http.Client, path string) (*http.Response, *goquery.Document) {
	a.t.Helper()
	resp := a.send(client, http.MethodGet, path, "", "Accept", browserAccept)
	return resp, parseHTML(a.t, resp)
}

// csrfToken loads a page and returns the token of its meta tag.
func (a *testApp) csrfToken() string {
	a.t.Helper()
	_, doc := a.page("/alunos/new")
	tok, ok := doc.Find(`meta[name="csrf-token"]`).Attr("content")
	if !ok || tok == "" {
		a.t.Fatal("page has no csrf-token meta tag")
	}
	return tok
}

// postForm submits a form as a browser, with the session's CSRF token.
func (a *testApp) postForm(path string, form url.Values) *http.Response {
	a.t.Helper()
	if !form.Has("_csrf") {
		form.Set("_csrf", a.csrfToken())
	}
	return a.do(http.MethodPost, path, form.Encode(),
		"Accept", browserAccept, "Content-Type", "application/x-www-form-urlencoded")
}

func parseHTML(t *testing.T, resp *http.Response) *goquery.Document {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("want HTML, got %q (status %d)", ct, resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func decode[T any](t *testing.T, resp *http.Response) T {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("want JSON, got %q (status %d)", ct, resp.StatusCode)
	}
	var v T
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("decode JSON: %v", err)
	}
	return v
}

func wantStatus(t *testing.T, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s: status %d, want %d; body: %.300s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want, b)
	}
}

// errorBody is the JSON error shape of the contract.
type errorBody struct {
	Error  string            `json:"error"`
	Code   string            `json:"code"`
	Fields map[string]string `json:"fields"`
}

// student is the STUDENT object of the contract.
type student struct {
	ID        int64  `json:"id"`
	Nome      string `json:"nome"`
	Turma     string `json:"turma"`
	RA        string `json:"ra"`
	Version   int64  `json:"version"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func (a *testApp) createAluno(nome, turma, ra string) student {
	a.t.Helper()
	body, _ := json.Marshal(map[string]string{"nome": nome, "turma": turma, "ra": ra})
	resp := a.api(http.MethodPost, "/alunos", string(body))
	wantStatus(a.t, resp, http.StatusCreated)
	return decode[struct{ Aluno student }](a.t, resp).Aluno
}

func forEachApp(t *testing.T, fn func(t *testing.T, app *testApp)) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) { fn(t, newTestApp(t, db)) })
}
