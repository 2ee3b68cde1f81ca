package models

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// DescribeDatabaseURL names the database a DATABASE_URL points at, for
// people: "sqlite:" and the file's absolute path, or
// "mysql://USER@HOST:PORT/DBNAME". It never contains the password.
func DescribeDatabaseURL(raw string) string {
	if path, ok := SQLiteFile(raw); ok {
		return "sqlite:" + path
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" && u.Query().Get("socket") == "" {
		return "mysql (DATABASE_URL is not a valid URL)"
	}
	where := hostPort(u)
	if sock := u.Query().Get("socket"); sock != "" {
		where = "unix(" + sock + ")"
	}
	return "mysql://" + u.User.Username() + "@" + where + u.Path
}

// SQLiteFile is the absolute path of the file a sqlite: DATABASE_URL
// names; ok is false for other URLs.
func SQLiteFile(raw string) (path string, ok bool) {
	dialect, dsn, err := ParseDatabaseURL(raw)
	if err != nil || dialect != "sqlite" {
		return "", false
	}
	path, _, _ = strings.Cut(dsn, "?")
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return path, true
}

// HasSchema reports whether the database holds schooladmin's tables
// (migrated at least once): whether its users table exists.
func (d *Database) HasSchema(ctx context.Context) (bool, error) {
	var n int64
	if err := d.WithContext(ctx).Raw(schemaQuery[d.Dialect], "users").Scan(&n).Error; err != nil {
		return false, fmt.Errorf("look for the schema: %w", dbError(err))
	}
	return n > 0, nil
}

// schemaQuery counts the tables of a name, per dialect.
var schemaQuery = map[string]string{
	"sqlite": "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
	"mysql":  "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
}
