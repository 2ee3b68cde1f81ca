package models_test

import (
	"context"
	"errors"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// A person vouched for by a provider gets an account at the first login,
// with no usable password, and their roles follow the provider's at each
// later login, audited as any change.
func TestExternalUserIsCreatedThenKeptInStep(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		users := models.NewUserStore(db)
		ana := models.ExternalUser{Source: models.SourceOIDC, Subject: "sub-1", Username: "Ana@Escola.edu.br",
			Email: "ana@escola.edu.br", Roles: []string{models.RoleViewer}}
		actor := models.Actor{Username: "ana@escola.edu.br", IP: "192.0.2.1"}
		u, err := users.SyncExternal(ctx, actor, ana)
		if err != nil {
			t.Fatal(err)
		}
		if u.Username != "ana@escola.edu.br" || u.Source != models.SourceOIDC || u.ExternalID != "sub-1" || u.PasswordHash != "" {
			t.Fatalf("created %+v", u)
		}
		ana.Roles = []string{models.RoleEditor}
		if u, err = users.SyncExternal(ctx, actor, ana); err != nil || len(u.Roles) != 1 || u.Roles[0].Name != models.RoleEditor {
			t.Fatalf("roles after the second login: %+v %v", u.Roles, err)
		}
		events, _, err := models.NewAuditStore(db).List(ctx, models.NewListQuery(models.AuditList, 50, map[string]string{"object": "ana@escola.edu.br"}))
		if err != nil || len(events) != 2 || events[0].Action != "user.update" || events[1].Action != "user.create" {
			t.Fatalf("audit: %+v %v", events, err)
		}
		if _, err = users.SyncExternal(ctx, actor, ana); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := models.NewAuditStore(db).List(ctx, models.NewListQuery(models.AuditList, 50, map[string]string{"object": "ana@escola.edu.br"})); n != 2 {
			t.Errorf("a login that changes nothing wrote audit records: %d in all", n)
		}
	})
}

// A provider's user never takes over an account of another origin: a
// local account of that name, or one another subject of the provider made.
func TestExternalUserDoesNotTakeOverAnotherAccount(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		users := models.NewUserStore(db)
		if _, err := users.Create(ctx, tester, models.NewUser{Username: "admin", PasswordHash: "x", Roles: []string{models.RoleAdmin}}); err != nil {
			t.Fatal(err)
		}
		cases := []models.ExternalUser{
			{Source: models.SourceOIDC, Subject: "s", Username: "admin", Roles: []string{models.RoleViewer}},
			{Source: models.SourceLDAP, Subject: "uid=admin,dc=x", Username: "admin", Roles: []string{models.RoleViewer}},
		}
		for _, eu := range cases {
			if _, err := users.SyncExternal(ctx, tester, eu); !errors.Is(err, models.ErrOtherAccount) {
				t.Errorf("%s user named admin: %v, want ErrOtherAccount", eu.Source, err)
			}
		}
		bia := models.ExternalUser{Source: models.SourceOIDC, Subject: "first", Username: "bia", Roles: []string{models.RoleViewer}}
		if _, err := users.SyncExternal(ctx, tester, bia); err != nil {
			t.Fatal(err)
		}
		bia.Subject, bia.Roles = "second", []string{models.RoleAdmin}
		if _, err := users.SyncExternal(ctx, tester, bia); !errors.Is(err, models.ErrOtherAccount) {
			t.Errorf("another subject named bia: %v, want ErrOtherAccount", err)
		}
		if got, _ := users.GetByUsername(ctx, "admin"); got.Source != models.SourceLocal || got.PasswordHash != "x" || got.Roles[0].Name != models.RoleAdmin {
			t.Errorf("the local admin changed: %+v", got)
		}
	})
}

// The provider cannot demote the last active administrator.
func TestExternalSyncKeepsAnAdmin(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		users := models.NewUserStore(db)
		boss := models.ExternalUser{Source: models.SourceLDAP, Subject: "uid=boss", Username: "boss", Roles: []string{models.RoleAdmin}}
		if _, err := users.SyncExternal(ctx, tester, boss); err != nil {
			t.Fatal(err)
		}
		boss.Roles = []string{models.RoleViewer}
		if _, err := users.SyncExternal(ctx, tester, boss); !errors.Is(err, models.ErrLastAdmin) {
			t.Fatalf("demoting the last admin: %v, want ErrLastAdmin", err)
		}
		if got, _ := users.GetByUsername(ctx, "boss"); len(got.Roles) != 1 || got.Roles[0].Name != models.RoleAdmin {
			t.Errorf("roles after the refused change: %+v", got.Roles)
		}
	})
}
