package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
)

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestClientGoneIsNotAServerError takes every connection of the pool, so
// a request waits for one; the client then gives up. The server records
// 499 (nginx's "client closed request"), not a 500: no 5xx in the metrics
// the error-ratio alert reads, no ERROR in the log, one debug line. A real
// failure afterwards is still an ERROR.
func TestClientGoneIsNotAServerError(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		logs := &syncBuffer{}
		arrived, ended := make(chan struct{}), make(chan struct{})
		watch := func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("X-Test-Watch") == "" {
					h.ServeHTTP(w, r)
					return
				}
				close(arrived)
				h.ServeHTTP(w, r)
				close(ended)
			})
		}
		log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		app := newTestAppLogging(t, db, web.DefaultConfig, log, watch)
		holdAllConnections(t, db, ended)

		ctx, cancel := context.WithCancel(t.Context())
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, app.srv.URL+"/alunos", nil)
		req.Header.Set("Authorization", "Bearer "+app.token)
		req.Header.Set("X-Test-Watch", "1")
		go func() {
			<-arrived
			cancel()
		}()
		if _, err := app.apiClient.Do(req); err == nil {
			t.Fatal("the request finished although its client gave up")
		}
		<-ended

		text := app.metricsText()
		if !strings.Contains(text, `schooladmin_requests_total{code="499",host="",method="GET",url="/alunos"} 1`) ||
			strings.Contains(text, `code="5`) {
			t.Errorf("metrics do not count the abandoned request as 499 only:\n%s", grepLines(text, "schooladmin_requests_total"))
		}
		if out := logs.String(); strings.Contains(out, "level=ERROR") || !strings.Contains(out, "level=DEBUG") || !strings.Contains(out, "status=499") {
			t.Errorf("log:\n%s", out)
		}
		// a real server error stays loud
		db.Close()
		wantStatus(t, app.api(http.MethodGet, "/alunos", ""), http.StatusServiceUnavailable)
		if out := logs.String(); !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "status=503") {
			t.Errorf("a database outage is not logged as an error:\n%s", out)
		}
	})
}

// holdAllConnections takes every connection of db's pool until release
// is closed, so the next query waits.
func holdAllConnections(t *testing.T, db *models.Database, release <-chan struct{}) {
	t.Helper()
	pool := db.SQL()
	for range pool.Stats().MaxOpenConnections {
		conn, err := pool.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			<-release
			conn.Close()
		}()
	}
}

func grepLines(text, substr string) string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
