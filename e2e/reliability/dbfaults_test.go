package reliability

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"schooladmin/e2e/e2etest"
	"schooladmin/models/modelstest"
)

// appOnMariaDB starts a private MariaDB with an empty database "school"
// and the app on it, ready, with an administrator token.
func appOnMariaDB(t *testing.T, vars map[string]string, extraArgs ...string) (*modelstest.MariaDBD, *appProc, string) {
	t.Helper()
	m := modelstest.StartMariaDBD(t, extraArgs...)
	m.CreateDatabase("school")
	v := map[string]string{"DATABASE_URL": m.URL("school")}
	for k, val := range vars {
		v[k] = val
	}
	app := startApp(t, "app", v)
	app.waitReady(60 * time.Second)
	return m, app, app.adminToken()
}

// leaks lists what an answer must never show: driver and SQL text,
// addresses, Go internals.
var leaks = []string{"sql", "dial", "tcp", "refused", "invalid connection", "driver", "mysql", "mariadb",
	"select ", "insert ", "goroutine", "panic", ".go:", "127.0.0.1", "broken pipe", "eof"}

func assertNoLeak(t *testing.T, what string, body []byte) {
	t.Helper()
	lower := strings.ToLower(string(body))
	for _, l := range leaks {
		if strings.Contains(lower, l) {
			t.Errorf("%s shows %q: %.300s", what, l, body)
		}
	}
}

// assertOutage checks every kind of client while the database is down.
func assertOutage(t *testing.T, app *appProc, token string, b *browser, id int64) {
	t.Helper()
	requests := []struct{ method, path, body string }{
		{http.MethodGet, "/alunos", ""},
		{http.MethodGet, fmt.Sprintf("/alunos/%d", id), ""},
		{http.MethodPost, "/alunos", studentJSON("Durante a queda", "1A", "QUEDA-1")},
		{http.MethodPatch, fmt.Sprintf("/alunos/%d", id), `{"turma":"2B","version":1}`},
	}
	for _, r := range requests {
		status, header, body, err := call(apiClient, r.method, app.url+r.path, r.body,
			"Authorization", "Bearer "+token, "Content-Type", "application/json")
		what := r.method + " " + r.path + " (API, database down)"
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		var answer map[string]any
		if status != http.StatusServiceUnavailable || !strings.HasPrefix(header.Get("Content-Type"), "application/json") ||
			json.Unmarshal(body, &answer) != nil {
			t.Fatalf("%s: %d %s %.300s, want 503 with a JSON error", what, status, header.Get("Content-Type"), body)
		}
		if msg, _ := answer["error"].(string); msg == "" || answer["code"] != "unavailable" || len(answer) != 2 {
			t.Errorf("%s: body %s, want only an \"error\" message and the code \"unavailable\"", what, body)
		}
		if header.Get("Retry-After") == "" {
			t.Errorf("%s: no Retry-After", what)
		}
		assertNoLeak(t, what, body)
	}

	status, doc := b.page(app.url + "/alunos")
	if status != http.StatusServiceUnavailable || doc == nil || doc.Find(`[data-testid="error-page"]`).Length() != 1 {
		t.Fatalf("HTML list with the database down: status %d, want 503 and the error page", status)
	}
	text, _ := doc.Html()
	assertNoLeak(t, "HTML error page", []byte(doc.Find("main").Text()+doc.Find("title").Text()))
	if !strings.Contains(text, "banco de dados") {
		t.Errorf("HTML error page does not say the database is unavailable: %.300s", doc.Find("main").Text())
	}

	if status, _, err := get(app.url+"/healthz", "", "", nil); err != nil || status != http.StatusOK {
		t.Errorf("/healthz with the database down: %d %v, want 200", status, err)
	}
	if status, _, err := get(app.url+"/readyz", "", "", nil); err != nil || status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database down: %d %v, want 503", status, err)
	}
}

// TestDatabaseDownAndBack stops the database under a running app, then
// kills it with SIGKILL: clients get 503 (JSON or a friendly page) with no
// driver or SQL text, /healthz stays 200 and /readyz turns 503; once the
// database is back, the same process serves again within 10 s, with the
// browser's session intact.
func TestDatabaseDownAndBack(t *testing.T) {
	m, app, token := appOnMariaDB(t, nil)
	b := newBrowser(t)
	if status := b.login(app.url, "admin", adminPassword); status != http.StatusSeeOther {
		t.Fatalf("login: %d", status)
	}
	a := createAluno(t, app.url, token, "Ana Antes", "1A", "ANTES-1")

	for _, outage := range []struct {
		name  string
		cause func()
	}{{"clean stop", m.Stop}, {"kill -9", m.Kill}} {
		t.Logf("database outage: %s", outage.name)
		outage.cause()
		assertOutage(t, app, token, b, a.ID)
		m.Start()
		back := time.Now()
		err := eventually(10*time.Second, func() error {
			status, body, err := get(fmt.Sprintf("%s/alunos/%d", app.url, a.ID), token, "", nil)
			if err != nil || status != http.StatusOK {
				return fmt.Errorf("API: %d %v %.200s", status, err, body)
			}
			if status, doc := b.page(app.url + "/alunos"); status != http.StatusOK || doc == nil {
				return fmt.Errorf("HTML list: %d", status)
			}
			if status, _, err := get(app.url+"/readyz", "", "", nil); err != nil || status != http.StatusOK {
				return fmt.Errorf("/readyz: %d %v", status, err)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("after the database returned (%s), still failing after 10 s: %v", outage.name, err)
		}
		t.Logf("serving again %s after the database returned", time.Since(back).Round(time.Millisecond))
		createAluno(t, app.url, token, "Depois "+outage.name, "1A", "DEPOIS-"+strings.ReplaceAll(outage.name[:4], " ", ""))
	}
	if !app.running() {
		t.Fatal("the app exited during the outages")
	}
}

// TestStartupWaitsForTheDatabase starts the app before its database: with
// the database arriving within DB_WAIT it starts normally; with none
// arriving it exits non-zero with one line that names the problem and
// hides the password.
func TestStartupWaitsForTheDatabase(t *testing.T) {
	t.Run("database arrives within the wait", func(t *testing.T) {
		m := modelstest.StartMariaDBD(t)
		m.CreateDatabase("school")
		m.Stop()
		app := startApp(t, "app", map[string]string{"DATABASE_URL": m.URL("school"), "DB_WAIT": "15s"})
		time.Sleep(3 * time.Second)
		if !app.running() {
			t.Fatalf("the app gave up before DB_WAIT passed:\n%s", app.stderr.String())
		}
		m.Start()
		app.waitReady(30 * time.Second)
		token := app.adminToken()
		createAluno(t, app.url, token, "Chegou Depois", "1A", "WAIT-1")
		// This private server runs with MariaDB's defaults: query cache off.
		if log := app.stderr.String(); !strings.Contains(log, "query cache is off") {
			t.Errorf("no start-up warning about the query cache being off:\n%s", log)
		}
	})

	t.Run("database never arrives", func(t *testing.T) {
		addr := e2etest.FreeAddr(t) // nothing listens there
		cmd := exec.Command(binary, "serve")
		cmd.Env = appEnv(map[string]string{
			"DATABASE_URL": "mysql://escola:s3cr3t-pw@" + addr + "/school", "DB_WAIT": "2s", "ADDR": e2etest.FreeAddr(t),
		})
		var stdout, stderr e2etest.LockedBuffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		modelstest.DieWithParent(cmd)
		start := time.Now()
		err := cmd.Run()
		took := time.Since(start)
		exit, ok := err.(*exec.ExitError)
		if !ok || exit.ExitCode() == 0 {
			t.Fatalf("serve without a database: %v, want a non-zero exit", err)
		}
		out := strings.TrimRight(stderr.String(), "\n")
		if strings.Count(out, "\n") != 0 || out == "" {
			t.Fatalf("want one line on stderr, got:\n%s", out)
		}
		if !strings.Contains(out, "not reachable after 2s") || strings.Contains(out, "s3cr3t") ||
			strings.Contains(out, "goroutine") || strings.Contains(out, "panic") {
			t.Fatalf("stderr line %q: want the reason, no password, no stack trace", out)
		}
		if took > 30*time.Second {
			t.Fatalf("gave up only after %s with DB_WAIT=2s", took)
		}
		t.Logf("exit %d after %s: %s", exit.ExitCode(), took.Round(time.Millisecond), out)
	})
}

// TestIdleConnectionsKilledByTheServer lets the server drop the app's idle
// pooled connections (wait_timeout of 2 s, then a restart): the requests
// that follow must all succeed, with no retry by the client.
func TestIdleConnectionsKilledByTheServer(t *testing.T) {
	m := modelstest.StartMariaDBD(t)
	m.CreateDatabase("school")
	m.Exec("SET GLOBAL wait_timeout = 2")
	m.Exec("SET GLOBAL interactive_timeout = 2")
	app := startApp(t, "app", map[string]string{"DATABASE_URL": m.URL("school")})
	app.waitReady(60 * time.Second)
	token := app.adminToken()
	a := createAluno(t, app.url, token, "Conexão Ociosa", "1A", "IDLE-0")

	fillPool := func() {
		done := make(chan error, 8)
		for i := range 8 {
			go func() {
				status, body, err := get(fmt.Sprintf("%s/alunos?q=Conexao&page=%d", app.url, i+1), token, "", nil)
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("status %d: %.200s", status, body)
				}
				done <- err
			}()
		}
		for range 8 {
			if err := <-done; err != nil {
				t.Fatalf("filling the pool: %v", err)
			}
		}
	}
	useAfterwards := func(round string) {
		for i := range 5 {
			if status, body, err := get(fmt.Sprintf("%s/alunos/%d", app.url, a.ID), token, "", nil); err != nil || status != http.StatusOK {
				t.Fatalf("%s: GET %d: %d %v %.200s", round, i, status, err, body)
			}
			createAluno(t, app.url, token, "Depois "+round, "1A", fmt.Sprintf("IDLE-%s-%d", round[:4], i))
			if status, _, err := get(app.url+"/readyz", "", "", nil); err != nil || status != http.StatusOK {
				t.Fatalf("%s: /readyz %d %v", round, status, err)
			}
		}
	}

	probe := openSQL(t, m.Addr(), "mysql")
	appConns := func() int64 {
		return queryInt(t, probe, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = 'school'")
	}
	fillPool()
	if n := appConns(); n == 0 {
		t.Fatal("the app holds no connections to the database after a burst")
	}
	time.Sleep(3 * time.Second) // every pooled connection is now past wait_timeout
	if n := appConns(); n != 0 {
		t.Fatalf("the server kept %d idle connections past wait_timeout: the test breaks nothing", n)
	}
	useAfterwards("wait_timeout")

	fillPool()
	m.Restart()
	useAfterwards("restart")
}
