package main

import (
	"bytes"
	"context"
	"fmt"
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
		{map[string]string{"COOKIE_SECURE": "maybe"}, "COOKIE_SECURE"},
		{map[string]string{"SECRET_KEY": "short"}, "SECRET_KEY"},
		{map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
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
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, env(vars), nil, &bytes.Buffer{}, &bytes.Buffer{}) }()
	url := "http://" + vars["ADDR"]
	waitFor(t, url+"/readyz")
	resp, err := http.Post(url+"/alunos", "application/json", strings.NewReader(`{"nome":"Ana","turma":"1A","ra":"R1"}`))
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
