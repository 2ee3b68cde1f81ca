package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"schooladmin/web/openapi/apitest"
)

// traffic plays an ordinary user and API client against the app: creates,
// reads, edits and deletes students, lists and searches, asks for missing
// students and unknown paths, and fails to log in.
type traffic struct {
	base  string
	token string       // API token
	api   *http.Client // no cookies: a JSON client with a session would need CSRF tokens
	web   *http.Client // a browser: cookies, no redirects followed

	mu       sync.Mutex
	statuses map[int]int
	errors   int
}

// newTraffic plays against base; its clients validate every JSON exchange
// against the OpenAPI document, reporting a mismatch to t.
func newTraffic(t *testing.T, base, token string) *traffic {
	jar, _ := cookiejar.New(nil)
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	validated := apitest.Transport{T: t}
	return &traffic{
		base: base, token: token, statuses: map[int]int{},
		api: &http.Client{Timeout: 10 * time.Second, Transport: validated},
		web: &http.Client{Timeout: 10 * time.Second, Transport: validated, Jar: jar, CheckRedirect: noRedirect},
	}
}

// run sends rounds of requests until ctx ends.
func (tr *traffic) run(ctx context.Context) {
	for i := 1; ctx.Err() == nil; i++ {
		tr.round(ctx, i)
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (tr *traffic) round(ctx context.Context, i int) {
	var created struct {
		Aluno student `json:"aluno"`
	}
	tr.apiCall(ctx, "POST", "/alunos", map[string]string{
		"nome": fmt.Sprintf("Aluno Número %d", i), "turma": "1A", "ra": fmt.Sprintf("STK-%d", i),
	}, &created)
	tr.apiCall(ctx, "GET", "/alunos?sort=-nome&per_page=10", nil, nil)
	tr.apiCall(ctx, "GET", "/alunos?q=numero", nil, nil)
	if id := created.Aluno.ID; id > 0 {
		path := fmt.Sprintf("/alunos/%d", id)
		tr.apiCall(ctx, "GET", path, nil, nil)
		var updated student
		tr.apiCall(ctx, "PATCH", path, map[string]any{"turma": "2B", "version": created.Aluno.Version}, &updated)
		if i%2 == 0 {
			req := tr.apiRequest(ctx, "DELETE", path, nil)
			req.Header.Set("If-Match", fmt.Sprintf("%q", fmt.Sprint(updated.Version)))
			tr.do(req, nil)
		}
	}
	tr.apiCall(ctx, "GET", "/alunos/999999999", nil, nil) // 404
	tr.apiCall(ctx, "GET", "/nao-existe", nil, nil)       // no route: url="unmatched"
	tr.failLogin(ctx)
	tr.apiCall(ctx, "GET", "/readyz", nil, nil)
}

type student struct {
	ID      int64 `json:"id"`
	Version int64 `json:"version"`
}

// apiCall sends a JSON request; out, when given, receives a 2xx answer.
func (tr *traffic) apiCall(ctx context.Context, method, path string, body, out any) {
	tr.do(tr.apiRequest(ctx, method, path, body), out)
}

// apiRequest builds a JSON API request with the API token.
func (tr *traffic) apiRequest(ctx context.Context, method, path string, body any) *http.Request {
	var reader io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		reader = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(ctx, method, tr.base+path, reader)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+tr.token)
	return req
}

func (tr *traffic) do(req *http.Request, out any) {
	b, status := tr.send(tr.api, req)
	if out != nil && status >= 200 && status < 300 {
		json.Unmarshal(b, out)
	}
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)"`)

// failLogin posts wrong credentials the way a browser does: with the
// form's CSRF token when the login page exists, so the app counts a
// failed login rather than a CSRF refusal.
func (tr *traffic) failLogin(ctx context.Context) {
	req, _ := http.NewRequestWithContext(ctx, "GET", tr.base+"/login", nil)
	req.Header.Set("Accept", "text/html")
	page, _ := tr.send(tr.web, req)
	form := url.Values{"username": {"stack-check"}, "password": {"not-the-password"}, "next": {"/alunos"}}
	if m := csrfMeta.FindSubmatch(page); m != nil {
		form.Set("_csrf", string(m[1]))
	}
	req, _ = http.NewRequestWithContext(ctx, "POST", tr.base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	tr.send(tr.web, req)
}

func (tr *traffic) send(client *http.Client, req *http.Request) ([]byte, int) {
	resp, err := client.Do(req)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if err != nil {
		if req.Context().Err() == nil {
			tr.errors++
		}
		return nil, 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	tr.statuses[resp.StatusCode]++
	return b, resp.StatusCode
}

// summary is for the test log: what the app answered.
func (tr *traffic) summary() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return fmt.Sprintf("answers by status %v, %d transport errors", tr.statuses, tr.errors)
}
