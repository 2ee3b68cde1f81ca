package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"schooladmin/models/modelstest"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestConfigErrorsAreOneClearLine(t *testing.T) {
	cases := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"DATABASE_URL": "postgres://x"}, "unknown scheme"},
		{map[string]string{"DATABASE_URL": "nonsense"}, "DATABASE_URL must start with"},
		{map[string]string{"DATABASE_URL": "mysql://u:s3cret@host:3306/"}, "name the database"},
		{map[string]string{"DATABASE_URL": "mysql://u:s3cret@host:3306/db?timeout=forever"}, "DATABASE_URL"},
		{map[string]string{"DB_WAIT": "soon"}, "DB_WAIT"},
		{map[string]string{"MAX_BODY_BYTES": "-1"}, "MAX_BODY_BYTES"},
		{map[string]string{"IMPORT_MAX_BYTES": "20MiB"}, "IMPORT_MAX_BYTES"},
		{map[string]string{"COOKIE_SECURE": "maybe"}, "COOKIE_SECURE"},
		{map[string]string{"SECRET_KEY": "short"}, "SECRET_KEY"},
		{map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{map[string]string{"TRASH_RETENTION": "a month"}, "TRASH_RETENTION"},
		{map[string]string{"TRASH_RETENTION": "0"}, "TRASH_RETENTION"},
	}
	for _, tc := range cases {
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{"migrate"}, env(tc.vars), nil, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error about %s", tc.vars, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error %q leaks the password or spans lines", tc.vars, err)
		}
	}
}

func TestTrashRetentionInDaysOrHours(t *testing.T) {
	cases := map[string]time.Duration{"": 30 * 24 * time.Hour, "7d": 7 * 24 * time.Hour, "36h": 36 * time.Hour}
	for value, want := range cases {
		cfg, err := loadConfig(env(map[string]string{"TRASH_RETENTION": value}))
		if err != nil || cfg.Web.TrashRetention != want {
			t.Errorf("TRASH_RETENTION=%q: %v %v, want %v", value, cfg.Web.TrashRetention, err, want)
		}
	}
}

func TestUnreachableDatabaseGivesUpAfterTheWait(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	start := time.Now()
	err := run(context.Background(), []string{"migrate"}, env(map[string]string{
		"DATABASE_URL": "mysql://u:s3cret@" + addr + "/db", "DB_WAIT": "1s",
	}), nil, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "not reachable after 1s") || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("got %v", err)
	}
	if waited := time.Since(start); waited < time.Second || waited > 10*time.Second {
		t.Fatalf("gave up after %s", waited)
	}
}

func TestMigrateAndServe(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "app.db"), "ADDR": freeAddr(t)}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, env(vars), nil, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	token := runOK(t, vars, "", "token", "create", "--username", "admin")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, env(vars), nil, &bytes.Buffer{}, &bytes.Buffer{}) }()
	url := "http://" + vars["ADDR"]
	waitFor(t, url+"/readyz")
	req, _ := http.NewRequest(http.MethodPost, url+"/alunos", strings.NewReader(`{"nome":"Ana","turma":"1A","ra":"R1"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(token))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel() // as SIGTERM does
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := os.Stat(filepath.Join(dir, "app.db")); err != nil {
		t.Fatal(err)
	}
}

func TestUnknownCommand(t *testing.T) {
	err := run(context.Background(), []string{"frobnicate"}, env(nil), nil, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Fatalf("got %v", err)
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitFor(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal(fmt.Sprintf("%s not ready", url))
}

func TestRefusedCredentialsFailAtOnce(t *testing.T) {
	server := os.Getenv(modelstest.MariaDBEnv)
	if server == "" {
		modelstest.SkipUnlessRequired(t, modelstest.MariaDBEnv+" is not set")
	}
	u, _ := neturl.Parse(modelstest.MariaDBURL(server, "mysql"))
	u.User = neturl.UserPassword("nobody_here", "s3cret")
	start := time.Now()
	err := run(context.Background(), []string{"migrate"}, env(map[string]string{"DATABASE_URL": u.String(), "DB_WAIT": "20s"}),
		nil, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "refused") || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("got %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("refused credentials were retried")
	}
}

// runOK runs a command that must succeed and returns its standard output.
func runOK(t *testing.T, vars map[string]string, stdin string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, env(vars), strings.NewReader(stdin), &out, &errOut); err != nil {
		t.Fatalf("%v: %v (%s)", args, err, errOut.String())
	}
	return out.String()
}

func TestUserAndTokenCommands(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "app.db"), "ADMIN_PASSWORD": "first admin password"}
	runOK(t, vars, "", "migrate")
	runOK(t, vars, "a long enough password\n", "user", "create", "--username", "maria", "--role", "Editor", "--email", "maria@escola.br")
	list := runOK(t, vars, "", "user", "list")
	for _, want := range []string{"admin", "Admin", "maria", "maria@escola.br", "Editor"} {
		if !strings.Contains(list, want) {
			t.Errorf("user list lacks %q:\n%s", want, list)
		}
	}
	runOK(t, vars, "another long password\n", "user", "reset-password", "--username", "maria")
	token := runOK(t, vars, "", "token", "create", "--username", "maria", "--name", "planilha")
	if !strings.HasPrefix(token, "sa_") || strings.Count(token, "\n") != 1 || len(strings.TrimSpace(token)) < 40 {
		t.Fatalf("token output %q", token)
	}
	failures := []struct {
		stdin string
		args  []string
		want  string
	}{
		{"password\n", []string{"user", "create", "--username", "x", "--role", "Viewer"}, "comum"},
		{"short\n", []string{"user", "create", "--username", "x", "--role", "Viewer"}, "8 caracteres"},
		{"", []string{"user", "create", "--username", "x", "--role", "Viewer"}, "no password"},
		{"a long enough password\n", []string{"user", "create", "--username", "maria", "--role", "Viewer"}, "already exists"},
		{"a long enough password\n", []string{"user", "create", "--username", "y", "--role", "Chefe"}, "roles"},
		{"a long enough password\n", []string{"user", "reset-password", "--username", "ninguem"}, "no user"},
		{"", []string{"token", "create", "--username", "ninguem"}, "no user"},
		{"", []string{"user", "create", "--username", "x"}, "--role"},
	}
	for _, f := range failures {
		err := run(context.Background(), f.args, env(vars), strings.NewReader(f.stdin), &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), f.want) {
			t.Errorf("%v: got %v, want %q", f.args, err, f.want)
		}
	}
}

func TestBootstrapAdministrator(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "app.db"), "ADMIN_USERNAME": "diretora"}
	cfg, err := loadConfig(env(vars))
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	db, err := openDatabase(context.Background(), cfg, log, mayCreate)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if !strings.Contains(logged.String(), "username=diretora password=") {
		t.Fatalf("generated password not printed: %s", logged.String())
	}
	logged.Reset()
	db, err = openDatabase(context.Background(), cfg, log, mayCreate) // users exist now: nothing printed
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if strings.Contains(logged.String(), "password") {
		t.Fatalf("password printed twice: %s", logged.String())
	}
	list := runOK(t, vars, "", "user", "list")
	if !strings.Contains(list, "diretora") || !strings.Contains(list, "Admin") {
		t.Fatalf("user list: %s", list)
	}

	weak := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "b.db"), "ADMIN_PASSWORD": "12345678"}
	err = run(context.Background(), []string{"migrate"}, env(weak), nil, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "ADMIN_PASSWORD") {
		t.Fatalf("weak ADMIN_PASSWORD: %v", err)
	}
}
