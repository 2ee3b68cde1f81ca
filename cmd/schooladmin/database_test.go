package main

import (
	"bytes"
	"context"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"schooladmin/models/modelstest"
)

// maintenance are the commands that work on an existing database only.
var maintenance = [][]string{
	{"user", "list"},
	{"user", "create", "--username", "maria", "--role", "Editor"},
	{"user", "reset-password", "--username", "admin"},
	{"user", "unlock", "--username", "admin"},
	{"token", "create", "--username", "admin"},
	{"export", "copia.jsonl.gz"},
}

// runErr runs a command that must fail and returns its stderr and error.
func runErr(t *testing.T, vars map[string]string, args ...string) (string, error) {
	t.Helper()
	var stderr bytes.Buffer
	err := run(context.Background(), args, env(vars), strings.NewReader("a long enough password\n"), &bytes.Buffer{}, &stderr)
	if err == nil {
		t.Fatalf("%v succeeded, want an error", args)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("%v: error %q spans lines", args, err)
	}
	return stderr.String(), err
}

// A command run from the wrong folder must not make a new, empty database
// with an administrator whose password nobody saw.
func TestCommandsRefuseToCreateADatabase(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	want := "sqlite:" + filepath.Join(dir, "schooladmin.db")
	for _, args := range maintenance {
		stderr, err := runErr(t, nil, args...)
		if !strings.Contains(err.Error(), "no schooladmin database at "+want) {
			t.Errorf("%v: error %q does not name %s", args, err, want)
		}
		if !strings.Contains(stderr, "database: "+want+"\n") {
			t.Errorf("%v: stderr %q does not say which database it used", args, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "schooladmin.db")); !os.IsNotExist(err) {
			t.Fatalf("%v created the database file (%v)", args, err)
		}
	}

	// an existing file without the schema is no database either
	if err := os.WriteFile(filepath.Join(dir, "schooladmin.db"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := runErr(t, nil, "user", "list"); !strings.Contains(err.Error(), "no schooladmin tables") {
		t.Errorf("an empty file: %v", err)
	}

	// migrate creates it, and then every command works on it
	var stderr bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, env(nil), nil, &bytes.Buffer{}, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "database: "+want+"\n") {
		t.Errorf("migrate's stderr %q does not say which database it used", stderr.String())
	}
	if !strings.Contains(stderr.String(), "username=admin password=") {
		t.Errorf("migrate created the first administrator without printing the password: %q", stderr.String())
	}
	if list := runOK(t, nil, "", "user", "list"); !strings.Contains(list, "admin") {
		t.Errorf("user list after migrate: %q", list)
	}
}

func TestCommandsRefuseADatabaseWithoutSchemaOnMariaDB(t *testing.T) {
	server := os.Getenv(modelstest.MariaDBEnv)
	if server == "" {
		modelstest.SkipUnlessRequired(t, modelstest.MariaDBEnv+" is not set")
	}
	url := modelstest.MariaDBURL(server, modelstest.CreateMariaDB(t, server))
	vars := map[string]string{"DATABASE_URL": url, "ADMIN_PASSWORD": "first admin password"}
	// the message names the database (host, port, name) but never a password
	_, where, _ := strings.Cut(url, "@")
	password := ""
	if u, err := neturl.Parse(url); err == nil {
		password, _ = u.User.Password()
	}
	for _, args := range maintenance {
		stderr, err := runErr(t, vars, args...)
		if !strings.Contains(err.Error(), "no schooladmin tables") || !strings.Contains(err.Error(), where) ||
			password != "" && strings.Contains(err.Error(), password) {
			t.Errorf("%v: error %q", args, err)
		}
		if !strings.Contains(stderr, "database: mysql://") {
			t.Errorf("%v: stderr %q", args, stderr)
		}
	}
	runOK(t, vars, "", "migrate")
	runOK(t, vars, "", "user", "list")
}
