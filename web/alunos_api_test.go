package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAPICreateAndGet(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		resp := app.api(http.MethodPost, "/alunos", `{"nome":" Ana Luísa ","turma":"1A","ra":"ab-1"}`)
		wantStatus(t, resp, http.StatusCreated)
		created := decode[struct {
			Message string
			Aluno   student
		}](t, resp)
		if created.Message != "Aluno adicionado com sucesso!" {
			t.Fatalf("message %q", created.Message)
		}
		a := created.Aluno
		if resp.Header.Get("Location") != "/alunos/"+strconv.FormatInt(a.ID, 10) {
			t.Fatalf("Location %q for id %d", resp.Header.Get("Location"), a.ID)
		}
		if a.Nome != "Ana Luísa" || a.RA != "AB-1" || a.Version != 1 {
			t.Fatalf("created %+v", a)
		}
		for _, ts := range []string{a.CreatedAt, a.UpdatedAt} {
			if _, err := time.Parse(time.RFC3339, ts); err != nil {
				t.Fatalf("time %q is not RFC 3339", ts)
			}
		}
		got := app.api(http.MethodGet, "/alunos/"+strconv.FormatInt(a.ID, 10), "")
		wantStatus(t, got, http.StatusOK)
		if got.Header.Get("ETag") != `"1"` {
			t.Fatalf("ETag %q", got.Header.Get("ETag"))
		}
		if s := decode[student](t, got); s != a {
			t.Fatalf("GET gives %+v, POST gave %+v", s, a)
		}
	})
}

func TestAPIGetMissing(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for _, path := range []string{"/alunos/999", "/alunos/abc", "/alunos/-1", "/alunos/99999999999999999999"} {
			var headers []string
			if path != "/alunos/999" {
				headers = []string{deliberatelyInvalid, "an id that is not a positive int64"}
			}
			resp := app.api(http.MethodGet, path, "", headers...)
			wantStatus(t, resp, http.StatusNotFound)
			if e := decode[errorBody](t, resp); e.Error == "" {
				t.Fatalf("%s: no error message", path)
			}
		}
	})
}

func TestAPIListHeadersAndPaging(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for i := range 7 {
			app.createAluno(fmt.Sprintf("Aluno %d", i), "T"+strconv.Itoa(i%2), fmt.Sprintf("R%d", i))
		}
		resp := app.api(http.MethodGet, "/alunos?per_page=3&page=2&turma=T0&sort=-ra", "")
		wantStatus(t, resp, http.StatusOK)
		list := decode[[]student](t, resp)
		if resp.Header.Get("X-Total-Count") != "4" {
			t.Fatalf("X-Total-Count %q", resp.Header.Get("X-Total-Count"))
		}
		if len(list) != 1 || list[0].RA != "R0" {
			t.Fatalf("page 2 of T0 by -ra: %+v", list)
		}
		links := parseLinks(t, resp.Header.Get("Link"))
		if _, ok := links["next"]; ok {
			t.Fatalf("last page has a next link: %v", links)
		}
		for rel, page := range map[string]string{"first": "1", "prev": "1", "last": "2"} {
			v := links[rel].Query()
			if v.Get("page") != page || v.Get("turma") != "T0" || v.Get("sort") != "-ra" || v.Get("per_page") != "3" {
				t.Fatalf("%s link %v", rel, links[rel])
			}
		}
		first := parseLinks(t, app.api(http.MethodGet, "/alunos?per_page=3", "").Header.Get("Link"))
		if first["next"].Query().Get("page") != "2" || first["last"].Query().Get("page") != "3" || first["prev"] != nil {
			t.Fatalf("first page links %v", first)
		}
		// following next links visits every student once
		seen := map[string]bool{}
		next := "/alunos?per_page=2"
		for next != "" {
			resp := app.api(http.MethodGet, next, "")
			for _, s := range decode[[]student](t, resp) {
				if seen[s.RA] {
					t.Fatalf("%s seen twice", s.RA)
				}
				seen[s.RA] = true
			}
			next = ""
			if u := parseLinks(t, resp.Header.Get("Link"))["next"]; u != nil {
				next = u.String()
			}
		}
		if len(seen) != 7 {
			t.Fatalf("next links visited %d of 7 students", len(seen))
		}
		past := app.api(http.MethodGet, "/alunos?page=50", "")
		wantStatus(t, past, http.StatusOK)
		if list := decode[[]student](t, past); len(list) != 0 {
			t.Fatalf("page past the end: %d rows", len(list))
		}
	})
}

func TestAPIListRejectsBadParameters(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		for _, q := range []string{"sort=password", "sort=nome%3Bdrop", "page=0", "page=-1", "page=x", "per_page=0", "per_page=501", "per_page=1.5"} {
			resp := app.api(http.MethodGet, "/alunos?"+q, "", deliberatelyInvalid, "a bad list parameter")
			wantStatus(t, resp, http.StatusUnprocessableEntity)
			if e := decode[errorBody](t, resp); len(e.Fields) != 1 {
				t.Fatalf("%s: fields %v", q, e.Fields)
			}
		}
	})
}

func TestAPIValidation(t *testing.T) {
	long := strings.Repeat("a", 10000)
	cases := []struct {
		name, body string
		fields     []string
	}{
		{"empty fields", `{"nome":"","turma":" ","ra":""}`, []string{"nome", "turma", "ra"}},
		{"missing fields", `{}`, []string{"nome", "turma", "ra"}},
		{"10000 characters", `{"nome":"` + long + `","turma":"1A","ra":"X1"}`, []string{"nome"}},
		{"ra charset", `{"nome":"Ana","turma":"1A","ra":"A B/1"}`, []string{"ra"}},
		{"NUL byte", `{"nome":"A\u0000na","turma":"1A","ra":"X1"}`, []string{"nome"}},
		{"unknown field", `{"nome":"Ana","turma":"1A","ra":"X1","senha":"x"}`, []string{"senha"}},
	}
	forEachApp(t, func(t *testing.T, app *testApp) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				resp := app.api(http.MethodPost, "/alunos", tc.body, deliberatelyInvalid, "invalid fields")
				wantStatus(t, resp, http.StatusUnprocessableEntity)
				e := decode[errorBody](t, resp)
				for _, f := range tc.fields {
					if e.Fields[f] == "" {
						t.Fatalf("no message for %s in %v", f, e.Fields)
					}
				}
			})
		}
		assertCount(t, app, 0)
	})
}

func TestAPIMalformedBodies(t *testing.T) {
	cases := []struct {
		name, body, contentType string
		status                  int
	}{
		{"truncated", `{"nome":"Ana"`, "application/json", 400},
		{"array", `[{"nome":"Ana"}]`, "application/json", 400},
		{"null", `null`, "application/json", 400},
		{"empty", ``, "application/json", 400},
		{"trailing data", `{"nome":"Ana","turma":"1A","ra":"X1"} {}`, "application/json", 400},
		{"number for nome", `{"nome":5,"turma":"1A","ra":"X1"}`, "application/json", 400},
		{"null nome", `{"nome":null,"turma":"1A","ra":"X1"}`, "application/json", 400},
		{"invalid UTF-8", "{\"nome\":\"An\xffa\",\"turma\":\"1A\",\"ra\":\"X1\"}", "application/json", 400},
		{"text/plain", `{"nome":"Ana","turma":"1A","ra":"X1"}`, "text/plain", 415},
		{"no content type", `{"nome":"Ana","turma":"1A","ra":"X1"}`, "", 415},
	}
	forEachApp(t, func(t *testing.T, app *testApp) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				resp := app.apiRaw(http.MethodPost, "/alunos", tc.body, "Content-Type", tc.contentType, deliberatelyInvalid, "a malformed body")
				wantStatus(t, resp, tc.status)
				e := decode[errorBody](t, resp)
				if e.Error == "" || strings.Contains(e.Error, "json:") || strings.Contains(e.Error, "int") || strings.Contains(e.Error, "string") {
					t.Fatalf("message %q", e.Error)
				}
			})
		}
		assertCount(t, app, 0)
	})
}

func TestAPIBodyLimit(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		big := `{"nome":"` + strings.Repeat("a", 2<<20) + `","turma":"1A","ra":"X1"}`
		resp := app.api(http.MethodPost, "/alunos", big, deliberatelyInvalid, "over the body limit")
		wantStatus(t, resp, http.StatusRequestEntityTooLarge)
		decode[errorBody](t, resp)
		assertCount(t, app, 0)
	})
}

func TestAPIDuplicateRA(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createAluno("Ana", "1A", "x-1")
		resp := app.api(http.MethodPost, "/alunos", `{"nome":"Bia","turma":"1B","ra":"X-1"}`)
		wantStatus(t, resp, http.StatusConflict)
		if e := decode[errorBody](t, resp); e.Fields["ra"] == "" {
			t.Fatalf("409 without a ra message: %+v", e)
		}
		assertCount(t, app, 1)
	})
}

func TestAPIConcurrentDuplicateRA(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		count := app.concurrentPosts(20, `{"nome":"Ana","turma":"1A","ra":"SAME"}`)
		if count[201] != 1 || count[409] != 19 {
			t.Fatalf("statuses %v, want one 201 and nineteen 409", count)
		}
	})
}

// parseLinks reads a Link header into rel → URL.
func parseLinks(t *testing.T, header string) map[string]*url.URL {
	t.Helper()
	links := map[string]*url.URL{}
	for part := range strings.SplitSeq(header, ",") {
		target, rel, ok := strings.Cut(part, ";")
		target = strings.Trim(strings.TrimSpace(target), "<>")
		rel = strings.TrimSpace(rel)
		if !ok || !strings.HasPrefix(rel, `rel="`) {
			t.Fatalf("bad Link part %q", part)
		}
		u, err := url.Parse(target)
		if err != nil {
			t.Fatalf("bad Link URL %q", target)
		}
		links[strings.Trim(strings.TrimPrefix(rel, "rel="), `"`)] = u
	}
	return links
}

// concurrentPosts sends n POST /alunos at once as the administrator's API
// client and counts the answers by status.
func (a *testApp) concurrentPosts(n int, body string, headers ...string) map[int]int {
	a.t.Helper()
	var wg sync.WaitGroup
	codes := make(chan int, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/alunos", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+a.token)
			for i := 0; i+1 < len(headers); i += 2 {
				req.Header.Set(headers[i], headers[i+1])
			}
			resp, err := a.apiClient.Do(req)
			if err != nil {
				a.t.Error(err)
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	return count
}

func assertCount(t *testing.T, app *testApp, want int) {
	t.Helper()
	resp := app.api(http.MethodGet, "/alunos", "")
	if got := resp.Header.Get("X-Total-Count"); got != strconv.Itoa(want) {
		t.Fatalf("%s students stored, want %d", got, want)
	}
}
