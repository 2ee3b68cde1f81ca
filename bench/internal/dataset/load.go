package dataset

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	_ "github.com/go-sql-driver/mysql" // the driver the app uses on MariaDB

	"schooladmin/models"
)

// DatabasePrefix starts the name of every database the benchmark creates,
// so a leftover is easy to recognise (and nothing else is ever dropped).
const DatabasePrefix = "schooladmin_bench_"

var benchName = regexp.MustCompile(`^` + DatabasePrefix + `[0-9a-z_]+$`)

// URL is server (a DATABASE_URL without a database, such as
// mysql://root@127.0.0.1:3306) with the database set to name, keeping any
// query parameters.
func URL(server, name string) (string, error) {
	u, err := url.Parse(strings.TrimRight(server, "/"))
	if err != nil {
		return "", fmt.Errorf("server URL: %v", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// Open opens databaseURL with database/sql and the app's DSN defaults
// (interpolateParams=true, utf8mb4, UTC), with an idle pool equal to the
// open pool. A sqlite: URL (the export scenarios' embedded database)
// opens with the app's pragmas and one connection, SQLite's one writer.
func Open(databaseURL string, pool int) (*sql.DB, error) {
	dialect, dsn, err := models.ParseDatabaseURL(databaseURL)
	if err != nil {
		return nil, err
	}
	if dialect == "sqlite" {
		pool = 1
	}
	db, err := sql.Open(dialect, dsn) // the driver names are the dialects
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(pool)
	db.SetMaxIdleConns(pool)
	db.SetConnMaxLifetime(3 * time.Minute)
	return db, nil
}

// CreateDatabase makes a fresh, empty database with a random name on
// server and returns its name.
func CreateDatabase(ctx context.Context, server string) (string, error) {
	b := make([]byte, 5)
	rand.Read(b)
	name := DatabasePrefix + hex.EncodeToString(b)
	err := onServer(ctx, server, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
	return name, err
}

// DropDatabase drops a database this package created; other names are
// refused.
func DropDatabase(ctx context.Context, server, name string) error {
	if !benchName.MatchString(name) {
		return fmt.Errorf("refusing to drop %q: not a benchmark database", name)
	}
	return onServer(ctx, server, "DROP DATABASE IF EXISTS "+name)
}

func onServer(ctx context.Context, server, stmt string) error {
	u, err := URL(server, "mysql")
	if err != nil {
		return err
	}
	db, err := Open(u, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("%s: %w", strings.Fields(stmt)[0], err)
	}
	return nil
}

// ServerVersion returns the server's version string.
func ServerVersion(ctx context.Context, db *sql.DB) (string, error) {
	var v string
	err := db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&v)
	return v, err
}
