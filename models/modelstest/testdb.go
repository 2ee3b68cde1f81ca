// Package modelstest opens throw-away databases for tests: SQLite in a
// temporary directory always, and a fresh MariaDB database when
// TEST_MARIADB_URL names a server.
package modelstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"schooladmin/models"
)

// MariaDBEnv names the server for MariaDB tests, as a DATABASE_URL without
// a database name, e.g. mysql://root@127.0.0.1:3306.
const MariaDBEnv = "TEST_MARIADB_URL"

// RequireEnv, when set to 1 (as .ci/run does), turns every skip for a
// missing service into a failure, so CI cannot pass with suites skipped.
const RequireEnv = "SCHOOLADMIN_REQUIRE_ALL"

// SkipUnlessRequired skips the test with reason, or fails it when CI
// requires every suite to run.
func SkipUnlessRequired(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s, and %s=1 requires this suite", reason, RequireEnv)
	}
	t.Skip(reason)
}

// ForEachDB runs fn as a subtest on SQLite and, when configured, on MariaDB,
// each on a fresh migrated database.
func ForEachDB(t *testing.T, fn func(t *testing.T, db *models.Database)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("mariadb", func(t *testing.T) { fn(t, MariaDB(t)) })
}

// SQLite returns a migrated database in a file of the test's temp dir.
func SQLite(t testing.TB) *models.Database {
	t.Helper()
	return open(t, "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
}

// MariaDB returns a migrated, freshly created MariaDB database that is
// dropped when the test ends; it skips when no server is configured.
func MariaDB(t testing.TB) *models.Database {
	t.Helper()
	server := os.Getenv(MariaDBEnv)
	if server == "" {
		SkipUnlessRequired(t, MariaDBEnv+" is not set (e.g. mysql://root@127.0.0.1:3306)")
	}
	name := CreateMariaDB(t, server)
	return open(t, MariaDBURL(server, name))
}

// CreateMariaDB creates an empty database with a random name on server and
// drops it when the test ends.
func CreateMariaDB(t testing.TB, server string) string {
	t.Helper()
	admin, err := models.Open(MariaDBURL(server, "mysql"), models.DefaultPool)
	if err != nil {
		t.Fatalf("open %s: %v", MariaDBEnv, err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	name := "schooladmin_test_" + hex.EncodeToString(b)
	if err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci").Error; err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + name) })
	return name
}

// MariaDBURL is server's URL with the database name set to name, keeping
// any query parameters.
func MariaDBURL(server, name string) string {
	u, err := url.Parse(strings.TrimRight(server, "/"))
	if err != nil {
		panic(fmt.Sprintf("%s: %v", MariaDBEnv, err))
	}
	u.Path = "/" + name
	return u.String()
}

func open(t testing.TB, rawURL string) *models.Database {
	t.Helper()
	db, err := models.Open(rawURL, models.DefaultPool)
	if err != nil {
		t.Fatalf("open %s: %v", rawURL, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}
