package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"schooladmin/auth"
	"schooladmin/models"
)

// loginAs tries username's password as the login form does.
func loginAs(t *testing.T, vars map[string]string, username, password string) error {
	t.Helper()
	db, err := models.Open(vars["DATABASE_URL"], models.DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	l := &auth.Login{Users: models.NewUserStore(db), Failures: models.NewLoginFailureStore(db),
		Hasher: auth.NewHasher(1), Limits: auth.DefaultThrottle}
	_, err = l.Attempt(context.Background(), username, password, "192.0.2.1")
	return err
}

// lockOut fails username's login until the account is locked.
func lockOut(t *testing.T, vars map[string]string, username string) {
	t.Helper()
	for range auth.DefaultThrottle.PerAccount {
		if err := loginAs(t, vars, username, "not the password"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("a wrong password: %v", err)
		}
	}
	var locked *auth.LockedError
	if err := loginAs(t, vars, username, "a long enough password"); !errors.As(err, &locked) {
		t.Fatalf("after %d failures: %v, want locked", auth.DefaultThrottle.PerAccount, err)
	}
}

func TestUserUnlock(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "app.db"), "ADMIN_PASSWORD": "first admin password"}
	runOK(t, vars, "", "migrate")
	runOK(t, vars, "a long enough password\n", "user", "create", "--username", "maria", "--role", "Editor")
	lockOut(t, vars, "maria")

	if out := runOK(t, vars, "", "user", "unlock", "--username", "maria"); out != "maria unlocked\n" {
		t.Fatalf("unlock printed %q", out)
	}
	if err := loginAs(t, vars, "maria", "a long enough password"); err != nil {
		t.Fatalf("login after unlock: %v", err)
	}
	if out := runOK(t, vars, "", "user", "unlock", "--username", "maria"); out != "maria was not locked\n" {
		t.Fatalf("unlocking again printed %q", out)
	}
	if err := run(context.Background(), []string{"user", "unlock", "--username", "ninguem"}, env(vars), nil, &strings.Builder{}, &strings.Builder{}); err == nil || !strings.Contains(err.Error(), "no user") {
		t.Fatalf("unlocking a missing user: %v", err)
	}

	lockOut(t, vars, "maria")
	if out := runOK(t, vars, "another long password\n", "user", "reset-password", "--username", "maria"); !strings.Contains(out, "unlocked") {
		t.Fatalf("reset-password printed %q", out)
	}
	if err := loginAs(t, vars, "maria", "another long password"); err != nil {
		t.Fatalf("login after reset-password: %v", err)
	}

	db, err := models.Open(vars["DATABASE_URL"], models.DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	events, _, err := models.NewAuditStore(db).List(context.Background(), models.NewListQuery(models.AuditList, 50, map[string]string{"action": "user.unlock", "object": "maria"}))
	if err != nil || len(events) != 2 || events[0].Actor != "cli" {
		t.Fatalf("unlocks audited: %+v %v", events, err)
	}
}
