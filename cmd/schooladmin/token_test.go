package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"schooladmin/models"
)

func TestTokenCreateScope(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "app.db")
	vars := map[string]string{"DATABASE_URL": url, "ADMIN_PASSWORD": "first admin password"}
	runOK(t, vars, "", "migrate")
	runOK(t, vars, "a long enough password\n", "user", "create", "--username", "maria", "--role", "Editor")
	scopes := map[string]string{
		models.ScopeStudents: strings.TrimSpace(runOK(t, vars, "", "token", "create", "--username", "admin")),
		models.ScopeAdmin:    strings.TrimSpace(runOK(t, vars, "", "token", "create", "--username", "admin", "--scope", "admin")),
	}
	db, err := models.Open(url, models.DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for want, plain := range scopes {
		cred, err := models.NewTokenStore(db).Authenticate(context.Background(), plain)
		if err != nil || cred.TokenScope != want {
			t.Errorf("token made for scope %s has scope %q (%v)", want, cred.TokenScope, err)
		}
	}
	for _, f := range []struct {
		args []string
		want string
	}{
		{[]string{"token", "create", "--username", "maria", "--scope", "admin"}, "maria does not manage users"},
		{[]string{"token", "create", "--username", "admin", "--scope", "root"}, "--scope must be students or admin"},
	} {
		err := run(context.Background(), f.args, env(vars), strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), f.want) {
			t.Errorf("%v: got %v, want %q", f.args, err, f.want)
		}
	}
}
