package auth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// BenchmarkBearerToken authenticates an API token through a router with
// the app's middleware for it (Identify, then Require), on SQLite and,
// when TEST_MARIADB_URL names a server, on MariaDB.
func BenchmarkBearerToken(b *testing.B) {
	for _, dialect := range []string{"sqlite", "mariadb"} {
		b.Run(dialect, func(b *testing.B) {
			db := modelstest.SQLite(b)
			if dialect == "mariadb" {
				db = modelstest.MariaDB(b)
			}
			e, token := tokenRouter(b, db)
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/alunos", nil)
				req.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, req)
				if rec.Code != http.StatusNoContent {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

func tokenRouter(b *testing.B, db *models.Database) (*echo.Echo, string) {
	b.Helper()
	ctx := context.Background()
	actor := models.Actor{Username: "bench"}
	users := models.NewUserStore(db)
	u, err := users.Create(ctx, actor, models.NewUser{Username: "viewer", PasswordHash: "x", Roles: []string{models.RoleViewer}})
	if err != nil {
		b.Fatal(err)
	}
	tokens := models.NewTokenStore(db)
	token, _, err := tokens.Create(ctx, actor, u.ID, "bench", models.ScopeStudents, nil)
	if err != nil {
		b.Fatal(err)
	}
	a := &auth.Authenticator{Sessions: models.NewSessionStore(db), Tokens: tokens,
		Timeouts: auth.Timeouts{Idle: time.Hour, Absolute: time.Hour}}
	e := echo.New()
	e.GET("/alunos", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) },
		a.Identify, auth.Require(models.PermListAlunos))
	return e, token
}

// BenchmarkPasswordVerify is one argon2id check, the cost of a login.
func BenchmarkPasswordVerify(b *testing.B) {
	h := auth.NewHasher(1)
	ctx := context.Background()
	hash, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := h.Verify(ctx, "correct horse battery staple", hash); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
