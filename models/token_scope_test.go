package models_test

import (
	"context"
	"errors"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// newTokenOwner creates a user with roles and returns their id.
func newTokenOwner(t *testing.T, db *models.Database, username string, roles ...string) int64 {
	t.Helper()
	u, err := models.NewUserStore(db).Create(context.Background(), tester, models.NewUser{Username: username, PasswordHash: "x", Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// tokenWorks reports whether a plain token authenticates, unrevoked.
func tokenWorks(t *testing.T, db *models.Database, plain string) (models.Credentials, bool) {
	t.Helper()
	cred, err := models.NewTokenStore(db).Authenticate(context.Background(), plain)
	if err != nil {
		t.Fatal(err)
	}
	return cred, cred.RevokedAt == nil
}

func TestTokenScopes(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		tokens := models.NewTokenStore(db)
		admin := newTokenOwner(t, db, "chefe", models.RoleAdmin)
		editor := newTokenOwner(t, db, "editora", models.RoleEditor)

		plain, tok, err := tokens.Create(ctx, tester, editor, "planilha", "", nil)
		if err != nil || tok.Scope != models.ScopeStudents {
			t.Fatalf("default scope %q, %v", tok.Scope, err)
		}
		if cred, _ := tokenWorks(t, db, plain); cred.TokenScope != models.ScopeStudents {
			t.Fatalf("authenticated scope %q", cred.TokenScope)
		}
		if _, _, err := tokens.Create(ctx, tester, editor, "tomada", models.ScopeAdmin, nil); !errors.Is(err, models.ErrAdminScope) {
			t.Fatalf("an admin-scope token for an Editor: %v", err)
		}
		var verr *models.ValidationError
		if _, _, err := tokens.Create(ctx, tester, admin, "x", "root", nil); !errors.As(err, &verr) || verr.Fields["scope"] == "" {
			t.Fatalf("unknown scope: %v", err)
		}
		plain, _, err = tokens.Create(ctx, tester, admin, "gestão", models.ScopeAdmin, nil)
		if err != nil {
			t.Fatal(err)
		}
		if cred, _ := tokenWorks(t, db, plain); cred.TokenScope != models.ScopeAdmin {
			t.Fatalf("authenticated scope %q", cred.TokenScope)
		}
	})
}

func TestTokensBecomeStudentsScopeOnUpgrade(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		admin := newTokenOwner(t, db, "chefe", models.RoleAdmin)
		plain, _, err := models.NewTokenStore(db).Create(ctx, tester, admin, "antigo", models.ScopeAdmin, nil)
		if err != nil {
			t.Fatal(err)
		}
		// the table as it was before scopes
		if err := db.Migrator().DropColumn(&models.APIToken{}, "Scope"); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if cred, _ := tokenWorks(t, db, plain); cred.TokenScope != models.ScopeStudents {
			t.Fatalf("a token from before scopes has scope %q, want students", cred.TokenScope)
		}
	})
}

func TestTokensStopWithTheAccessTheyNeeded(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		users, tokens, roles := models.NewUserStore(db), models.NewTokenStore(db), models.NewRoleStore(db)
		newTokenOwner(t, db, "outra", models.RoleAdmin) // so the others may lose Admin
		mint := func(id int64, scope string) string {
			plain, _, err := tokens.Create(ctx, tester, id, "t", scope, nil)
			if err != nil {
				t.Fatal(err)
			}
			return plain
		}
		want := func(what, plain string, works bool) {
			t.Helper()
			if _, ok := tokenWorks(t, db, plain); ok != works {
				t.Errorf("%s: token works %v, want %v", what, ok, works)
			}
		}

		ana := newTokenOwner(t, db, "ana", models.RoleAdmin)
		anaStudents, anaAdmin := mint(ana, models.ScopeStudents), mint(ana, models.ScopeAdmin)
		if err := users.Update(ctx, tester, ana, nil, models.UserFields{Active: true, Roles: []string{models.RoleEditor}}); err != nil {
			t.Fatal(err)
		}
		want("Admin taken away, students scope", anaStudents, true)
		want("Admin taken away, admin scope", anaAdmin, false)

		bia := newTokenOwner(t, db, "bia", models.RoleViewer)
		biaToken := mint(bia, "")
		if err := users.Update(ctx, tester, bia, nil, models.UserFields{Active: false, Roles: []string{models.RoleViewer}}); err != nil {
			t.Fatal(err)
		}
		if err := users.Update(ctx, tester, bia, nil, models.UserFields{Active: true, Roles: []string{models.RoleViewer}}); err != nil {
			t.Fatal(err)
		}
		want("disabled, then enabled again", biaToken, false)

		cid := newTokenOwner(t, db, "cid", models.RoleViewer)
		cidToken := mint(cid, "")
		if err := users.SetPassword(ctx, tester, cid, "y", false); err != nil {
			t.Fatal(err)
		}
		want("password changed, tokens kept", cidToken, true)
		if err := users.SetPassword(ctx, tester, cid, "z", true); err != nil {
			t.Fatal(err)
		}
		want("password changed, tokens revoked", cidToken, false)

		role, err := roles.Save(ctx, tester, 0, nil, models.RoleFields{Name: "Secretaria", Perms: []string{models.PermManageUsers, models.PermListAlunos}})
		if err != nil {
			t.Fatal(err)
		}
		dan := newTokenOwner(t, db, "dan", "Secretaria")
		danStudents, danAdmin := mint(dan, ""), mint(dan, models.ScopeAdmin)
		if _, err := roles.Save(ctx, tester, role.ID, nil, models.RoleFields{Name: "Secretaria", Perms: []string{models.PermListAlunos}}); err != nil {
			t.Fatal(err)
		}
		want("role lost user management, students scope", danStudents, true)
		want("role lost user management, admin scope", danAdmin, false)
	})
}
