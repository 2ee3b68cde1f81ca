package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
)

// benchApp is the real router on a database holding an administrator
// with an API token and 60 students.
type benchApp struct {
	server *web.Server
	token  string
}

const benchPassword = "bench password, long enough"

func newBenchApp(b *testing.B, db *models.Database) *benchApp {
	b.Helper()
	s, err := web.New(web.DefaultConfig, db, []byte(strings.Repeat("k", 32)), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	actor := models.Actor{Username: "bench"}
	hash, err := s.Hasher().Hash(ctx, benchPassword)
	if err != nil {
		b.Fatal(err)
	}
	u, err := models.NewUserStore(db).Create(ctx, actor, models.NewUser{Username: "admin", PasswordHash: hash, Roles: []string{models.RoleAdmin}})
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := models.NewTokenStore(db).Create(ctx, actor, u.ID, "bench", models.ScopeStudents, nil)
	if err != nil {
		b.Fatal(err)
	}
	store := models.NewAlunoStore(db)
	for i := range 60 {
		nome, turma, ra := fmt.Sprintf("Aluno %d da Silva Conceição", i), fmt.Sprintf("%dA", 1+i%9), fmt.Sprintf("B%05d", i)
		if _, err := store.Create(ctx, actor, models.AlunoInput{Nome: &nome, Turma: &turma, RA: &ra}); err != nil {
			b.Fatal(err)
		}
	}
	return &benchApp{server: s, token: token}
}

// serve sends one request through the router and checks the status.
func (a *benchApp) serve(b *testing.B, req *http.Request, want int) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	a.server.Echo.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s %s: status %d, want %d: %.200s", req.Method, req.URL, rec.Code, want, rec.Body.String())
	}
	return rec
}

// forEachBenchDB runs fn on SQLite and, when TEST_MARIADB_URL names a
// server, on MariaDB.
func forEachBenchDB(b *testing.B, fn func(b *testing.B, db *models.Database)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, modelstest.SQLite(b)) })
	b.Run("mariadb", func(b *testing.B) { fn(b, modelstest.MariaDB(b)) })
}

// BenchmarkRouterListJSON is GET /alunos through the whole router: token
// authentication (two queries), metrics, the count and page queries and
// the JSON of 50 students.
func BenchmarkRouterListJSON(b *testing.B) {
	forEachBenchDB(b, func(b *testing.B, db *models.Database) {
		app := newBenchApp(b, db)
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest(http.MethodGet, "/alunos", nil)
			req.Header.Set("Authorization", "Bearer "+app.token)
			app.serve(b, req, http.StatusOK)
		}
	})
}

var csrfField = regexp.MustCompile(`name="_csrf"[^>]*value="([^"]+)"`)

// sessionCookie logs in through the form and returns the session cookie.
func (a *benchApp) sessionCookie(b *testing.B) string {
	req := httptest.NewRequest(http.MethodGet, "/login", nil)
	req.Header.Set("Accept", "text/html")
	rec := a.serve(b, req, http.StatusOK)
	m := csrfField.FindStringSubmatch(rec.Body.String())
	if m == nil {
		b.Fatal("login form has no _csrf input")
	}
	form := url.Values{"_csrf": {m[1]}, "username": {"admin"}, "password": {benchPassword}, "next": {"/alunos"}}
	req = httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Cookie", rec.Header().Get("Set-Cookie"))
	rec = a.serve(b, req, http.StatusSeeOther)
	cookie, _, _ := strings.Cut(rec.Header().Get("Set-Cookie"), ";")
	return cookie
}

// BenchmarkRouterListHTML is the HTML list page through the whole router
// with a logged-in session cookie.
func BenchmarkRouterListHTML(b *testing.B) {
	forEachBenchDB(b, func(b *testing.B, db *models.Database) {
		app := newBenchApp(b, db)
		cookie := app.sessionCookie(b)
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest(http.MethodGet, "/alunos", nil)
			req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
			req.Header.Set("Cookie", cookie)
			app.serve(b, req, http.StatusOK)
		}
	})
}

// BenchmarkRouterHomeHTML is the Painel through the whole router with a
// logged-in session cookie, against BenchmarkRouterListHTML.
func BenchmarkRouterHomeHTML(b *testing.B) {
	forEachBenchDB(b, func(b *testing.B, db *models.Database) {
		app := newBenchApp(b, db)
		cookie := app.sessionCookie(b)
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
			req.Header.Set("Cookie", cookie)
			app.serve(b, req, http.StatusOK)
		}
	})
}

// benchStudents are 50 students as the list query returns them.
func benchStudents() []models.Aluno {
	at := time.Date(2024, 3, 1, 12, 0, 0, 123e6, time.UTC)
	alunos := make([]models.Aluno, 50)
	for i := range alunos {
		alunos[i] = models.Aluno{ID: int64(i + 1), Nome: fmt.Sprintf("Maria Eduarda dos Santos Conceição %d", i),
			Turma: "5B", RA: fmt.Sprintf("2024.%07d", i), Version: 3, CreatedAt: at, UpdatedAt: at}
	}
	return alunos
}

// BenchmarkEncodeListJSON encodes a page of 50 students: appended into a
// reused buffer as the list handler does, with encoding/json, and through
// Echo's c.JSON.
func BenchmarkEncodeListJSON(b *testing.B) {
	alunos := benchStudents()
	b.Run("AppendJSON", func(b *testing.B) {
		buf := make([]byte, 0, 16<<10)
		b.ReportAllocs()
		for b.Loop() {
			buf = append(buf[:0], '[')
			for i, a := range alunos {
				if i > 0 {
					buf = append(buf, ',')
				}
				buf = a.AppendJSON(buf)
			}
			buf = append(buf, ']')
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(alunos); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("echo.Context.JSON", func(b *testing.B) {
		e := echo.New()
		b.ReportAllocs()
		for b.Loop() {
			rec := httptest.NewRecorder()
			c := e.NewContext(httptest.NewRequest(http.MethodGet, "/alunos", nil), rec)
			if err := c.JSON(http.StatusOK, alunos); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMetricsMiddleware is the cost echoprometheus adds to a request
// that does nothing else, against the same router without it.
func BenchmarkMetricsMiddleware(b *testing.B) {
	db := modelstest.SQLite(b)
	m, err := web.NewMetrics(db, "bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, withMetrics := range []bool{false, true} {
		e := echo.New()
		if withMetrics {
			e.Use(m.Middleware())
		}
		e.GET("/alunos/:id", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
		b.Run(fmt.Sprintf("metrics=%t", withMetrics), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/alunos/42", nil))
				if rec.Code != http.StatusNoContent {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
