package models_test

import (
	"context"
	"errors"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

func TestUsernamesIgnoreCaseOnEveryDatabase(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		users := models.NewUserStore(db)
		u, err := users.Create(ctx, tester, models.NewUser{Username: " Ana.Souza ", PasswordHash: "x", Roles: []string{models.RoleViewer}})
		if err != nil {
			t.Fatal(err)
		}
		if u.Username != "ana.souza" {
			t.Fatalf("stored %q", u.Username)
		}
		if _, err := users.Create(ctx, tester, models.NewUser{Username: "ANA.SOUZA", PasswordHash: "x"}); !errors.Is(err, models.ErrDuplicate) {
			t.Fatalf("want ErrDuplicate, got %v", err)
		}
		if got, err := users.GetByUsername(ctx, "Ana.SOUZA"); err != nil || got.ID != u.ID {
			t.Fatalf("lookup: %+v %v", got, err)
		}
		perms, err := users.Permissions(ctx, u.ID)
		if err != nil || len(perms) != 4 {
			t.Fatalf("viewer permissions %v %v", perms, err)
		}
	})
}

func TestLastAdminCannotBeRemoved(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		users := models.NewUserStore(db)
		admin, err := users.Create(ctx, tester, models.NewUser{Username: "admin", PasswordHash: "x", Roles: []string{models.RoleAdmin}})
		if err != nil {
			t.Fatal(err)
		}
		if err := users.Update(ctx, tester, admin.ID, nil, models.UserFields{Roles: []string{models.RoleAdmin}}); !errors.Is(err, models.ErrLastAdmin) {
			t.Fatalf("deactivate the last admin: %v", err)
		}
		if err := users.Update(ctx, tester, admin.ID, nil, models.UserFields{Active: true, Roles: []string{models.RoleViewer}}); !errors.Is(err, models.ErrLastAdmin) {
			t.Fatalf("demote the last admin: %v", err)
		}
		if err := users.Delete(ctx, tester, admin.ID); !errors.Is(err, models.ErrLastAdmin) {
			t.Fatalf("delete the last admin: %v", err)
		}
		if got, _ := users.Get(ctx, admin.ID); !got.Active || len(got.Roles) != 1 || got.Roles[0].Name != models.RoleAdmin {
			t.Fatalf("a refused change was written: %+v", got)
		}
	})
}

func TestUserUpdateIsAuditedWithItsChanges(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		users := models.NewUserStore(db)
		if _, err := users.Create(ctx, tester, models.NewUser{Username: "admin", PasswordHash: "x", Roles: []string{models.RoleAdmin}}); err != nil {
			t.Fatal(err)
		}
		u, err := users.Create(ctx, tester, models.NewUser{Username: "maria", PasswordHash: "x", Roles: []string{models.RoleViewer}})
		if err != nil {
			t.Fatal(err)
		}
		next := models.UserFields{Email: "maria@escola.example", Roles: []string{models.RoleEditor, models.RoleViewer}}
		if err := users.Update(ctx, tester, u.ID, nil, next); err != nil {
			t.Fatal(err)
		}
		events, _, err := models.NewAuditStore(db).List(ctx, models.NewListQuery(models.AuditList, 50, map[string]string{"action": "user.update"}))
		if err != nil || len(events) != 1 {
			t.Fatalf("events %v %v", events, err)
		}
		want := map[string]models.FieldChange{
			"email":  {Old: "", New: "maria@escola.example"},
			"active": {Old: "true", New: "false"},
			"roles":  {Old: "Viewer", New: "Editor, Viewer"},
		}
		if got := events[0].ChangeList(); len(got) != len(want) || got["email"] != want["email"] || got["active"] != want["active"] || got["roles"] != want["roles"] {
			t.Fatalf("changes recorded %v, want %v", got, want)
		}
	})
}
