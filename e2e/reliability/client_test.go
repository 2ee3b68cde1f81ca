package reliability

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	_ "github.com/go-sql-driver/mysql"

	"schooladmin/web/openapi/apitest"
)

// browserAccept is what a browser sends: it prefers HTML.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// apiClient sends API requests: no cookies, no redirects followed, a
// bound on every request so a hung server fails the test instead of
// hanging it, and every JSON exchange validated against the OpenAPI
// document, a mismatch failing the test whose app is running.
var apiClient = &http.Client{
	Timeout:       30 * time.Second,
	Transport:     apitest.Transport{T: &running},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// running is the test whose app is running (startApp sets it; the tests
// here run one at a time), for the shared apiClient's reports.
var running currentTest

type currentTest struct {
	mu sync.Mutex
	t  *testing.T
}

func (c *currentTest) set(t *testing.T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Errorf fails the running test.
func (c *currentTest) Errorf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t == nil {
		panic(fmt.Sprintf("apiClient used with no app running: "+format, args...))
	}
	c.t.Errorf(format, args...)
}

// call sends one request and returns status, headers and body. headers
// are name, value pairs.
func call(client *http.Client, method, rawURL, body string, headers ...string) (int, http.Header, []byte, error) {
	req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

// get is a GET with an optional bearer token and Accept header.
func get(rawURL, token, accept string, client *http.Client) (int, []byte, error) {
	if client == nil {
		client = apiClient
	}
	var headers []string
	if token != "" {
		headers = append(headers, "Authorization", "Bearer "+token)
	}
	if accept != "" {
		headers = append(headers, "Accept", accept)
	}
	status, _, body, err := call(client, http.MethodGet, rawURL, "", headers...)
	return status, body, err
}

// postJSON sends a JSON body with the bearer token.
func postJSON(rawURL, token, body string, headers ...string) (int, http.Header, []byte, error) {
	return call(apiClient, http.MethodPost, rawURL, body,
		append([]string{"Authorization", "Bearer " + token, "Content-Type", "application/json"}, headers...)...)
}

// student is the STUDENT object of the contract.
type student struct {
	ID      int64  `json:"id"`
	Nome    string `json:"nome"`
	Turma   string `json:"turma"`
	RA      string `json:"ra"`
	Version int64  `json:"version"`
}

func studentJSON(nome, turma, ra string) string {
	b, _ := json.Marshal(map[string]string{"nome": nome, "turma": turma, "ra": ra})
	return string(b)
}

// createAluno creates a student through the API and fails on anything
// but 201.
func createAluno(t *testing.T, baseURL, token, nome, turma, ra string) student {
	t.Helper()
	status, _, body, err := postJSON(baseURL+"/alunos", token, studentJSON(nome, turma, ra))
	if err != nil || status != http.StatusCreated {
		t.Fatalf("create %s: %d %v %s", ra, status, err, body)
	}
	var created struct{ Aluno student }
	if err := json.Unmarshal(body, &created); err != nil {
		t.Fatal(err)
	}
	return created.Aluno
}

// browser is a person's browser: cookies kept, redirects not followed.
type browser struct {
	t      *testing.T
	client *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, client: &http.Client{
		Jar: jar, Timeout: 30 * time.Second, Transport: apitest.Transport{T: t},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// page GETs an HTML page; doc is nil when the answer is not HTML.
func (b *browser) page(rawURL string) (int, *goquery.Document) {
	b.t.Helper()
	status, header, body, err := call(b.client, http.MethodGet, rawURL, "", "Accept", browserAccept)
	if err != nil {
		b.t.Fatalf("GET %s: %v", rawURL, err)
	}
	if !strings.HasPrefix(header.Get("Content-Type"), "text/html") {
		return status, nil
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	return status, doc
}

// csrf reads the CSRF token of an HTML page.
func (b *browser) csrf(pageURL string) string {
	b.t.Helper()
	status, doc := b.page(pageURL)
	if doc == nil {
		b.t.Fatalf("GET %s: status %d, not HTML", pageURL, status)
	}
	tok, ok := doc.Find(`meta[name="csrf-token"]`).Attr("content")
	if !ok || tok == "" {
		b.t.Fatalf("GET %s (status %d): no csrf-token meta tag", pageURL, status)
	}
	return tok
}

// submit posts a form with the CSRF token of csrfPage (when the form has
// none) and returns status and body.
func (b *browser) submit(csrfPage, action string, form url.Values) (int, http.Header, []byte) {
	b.t.Helper()
	if !form.Has("_csrf") {
		form.Set("_csrf", b.csrf(csrfPage))
	}
	status, header, body, err := call(b.client, http.MethodPost, action, form.Encode(),
		"Accept", browserAccept, "Content-Type", "application/x-www-form-urlencoded")
	if err != nil {
		b.t.Fatalf("POST %s: %v", action, err)
	}
	return status, header, body
}

// login submits the login form on baseURL and returns the status: 303 on
// success, 401 for wrong credentials, 429 when locked.
func (b *browser) login(baseURL, username, password string) int {
	b.t.Helper()
	status, _, _ := b.submit(baseURL+"/login", baseURL+"/login",
		url.Values{"username": {username}, "password": {password}, "next": {"/alunos"}})
	return status
}

// loggedIn reports whether the browser's session is accepted by baseURL:
// the JSON list answers 200 with the cookie (401 without a session).
func (b *browser) loggedIn(baseURL string) int {
	b.t.Helper()
	status, _, _, err := call(b.client, http.MethodGet, baseURL+"/alunos", "", "Accept", "application/json")
	if err != nil {
		b.t.Fatalf("GET %s/alunos: %v", baseURL, err)
	}
	return status
}

// openSQL opens a plain database/sql handle on a DATABASE_URL of a
// private server, for checking what was stored.
func openSQL(t *testing.T, hostPort, dbName string) *sql.DB {
	t.Helper()
	db, err := sql.Open("mysql", fmt.Sprintf("root@tcp(%s)/%s?parseTime=true&timeout=5s&collation=utf8mb4_unicode_ci", hostPort, dbName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// queryInt runs a query returning one integer.
func queryInt(t *testing.T, db *sql.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
