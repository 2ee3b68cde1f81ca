package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/go-sql-driver/mysql"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/plugin/dbresolver"
)

// Pool holds the connection pool settings. MaxIdle equals MaxOpen on
// purpose: a smaller idle pool makes a busy server open and close
// connections all the time. Lifetime stays well below MariaDB's wait_timeout
// (and below the idle timeout of proxies in between).
type Pool struct {
	MaxOpen     int
	MaxLifetime time.Duration
	MaxIdleTime time.Duration
}

// DefaultPool suits a small server in front of MariaDB.
var DefaultPool = Pool{MaxOpen: 8, MaxLifetime: 3 * time.Minute, MaxIdleTime: time.Minute}

// Database is an open database: GORM on top and what kind of server it is.
// The embedded DB always reaches the primary server; Reads may reach read
// replicas (see Open).
type Database struct {
	*gorm.DB
	// Dialect is "sqlite" or "mysql".
	Dialect string
	// Reads sends SELECTs to the read replicas, when there are any. Only
	// queries that may lag behind the primary by the replication delay
	// use it (student lists and counts), never a read that follows a write.
	Reads *gorm.DB
	// counts caches list totals for every store on this database.
	counts *countCache
}

// SQL returns the underlying *sql.DB, for pool statistics and Close.
func (d *Database) SQL() *sql.DB {
	sqlDB, err := d.DB.DB()
	if err != nil {
		panic(err) // only possible with a custom connection pool, which we never set
	}
	return sqlDB
}

// Close closes every connection.
func (d *Database) Close() error { return d.SQL().Close() }

// Open connects to the database named by a DATABASE_URL without talking to
// it yet; call Ping (or WaitReady) to find out whether it answers.
// replicaURLs name MariaDB read replicas for Reads, through GORM's
// dbresolver plugin.
func Open(rawURL string, pool Pool, replicaURLs ...string) (*Database, error) {
	dialect, dsn, err := ParseDatabaseURL(rawURL)
	if err != nil {
		return nil, err
	}
	db, err := gorm.Open(dialectorFor(dialect, dsn), &gorm.Config{
		TranslateError:         true,
		DisableAutomaticPing:   true, // WaitReady pings, with retries
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		NowFunc:                now,
		Logger:                 logger.Discard,
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	d := &Database{DB: db, Dialect: dialect, Reads: db, counts: newCountCache()}
	sqlDB := d.SQL()
	sqlDB.SetMaxOpenConns(pool.MaxOpen)
	sqlDB.SetMaxIdleConns(pool.MaxOpen)
	sqlDB.SetConnMaxLifetime(pool.MaxLifetime)
	sqlDB.SetConnMaxIdleTime(pool.MaxIdleTime)
	if len(replicaURLs) > 0 {
		if err := d.useReplicas(replicaURLs, pool); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func dialectorFor(dialect, dsn string) gorm.Dialector {
	if dialect == "sqlite" {
		return sqlite.Open(dsn)
	}
	// No version query at open: the server may still be starting
	// (WaitReady retries). The flags are those GORM sets for MariaDB;
	// they only avoid statements that MySQL 8 also accepts in other forms.
	return gormmysql.New(gormmysql.Config{
		DSN: dsn, SkipInitializeWithVersion: true,
		DontSupportRenameIndex: true, DontSupportRenameColumn: true,
		DontSupportForShareClause: true, DontSupportNullAsDefaultValue: true,
	})
}

// useReplicas registers the read replicas. With dbresolver every SELECT
// goes to a replica by default, so the primary handle is pinned to the
// primary (Write) and only Reads keeps the default.
func (d *Database) useReplicas(urls []string, pool Pool) error {
	if d.Dialect != "mysql" {
		return errors.New("DATABASE_REPLICA_URLS: read replicas need a MariaDB primary")
	}
	replicas := make([]gorm.Dialector, len(urls))
	for i, raw := range urls {
		dialect, dsn, err := ParseDatabaseURL(raw)
		if err != nil {
			return fmt.Errorf("DATABASE_REPLICA_URLS: %w", err)
		}
		if dialect != "mysql" {
			return errors.New("DATABASE_REPLICA_URLS: replicas must be mysql:// URLs")
		}
		replicas[i] = dialectorFor(dialect, dsn)
	}
	resolver := dbresolver.Register(dbresolver.Config{Replicas: replicas, Policy: dbresolver.RandomPolicy{}}).
		SetMaxOpenConns(pool.MaxOpen).SetMaxIdleConns(pool.MaxOpen).
		SetConnMaxLifetime(pool.MaxLifetime).SetConnMaxIdleTime(pool.MaxIdleTime)
	if err := d.DB.Use(resolver); err != nil {
		return fmt.Errorf("read replicas: %w", err)
	}
	d.Reads = d.DB
	d.DB = d.DB.Clauses(dbresolver.Write).Session(&gorm.Session{})
	return nil
}

// now is the clock of every stored timestamp: UTC, millisecond precision,
// which is what MariaDB's DATETIME(3) keeps, so a value reads back equal.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// ParseDatabaseURL turns a DATABASE_URL into a driver name and DSN.
// Errors name the problem and never contain the password.
func ParseDatabaseURL(raw string) (dialect, dsn string, err error) {
	scheme, rest, ok := strings.Cut(raw, ":")
	switch {
	case !ok:
		return "", "", errors.New("DATABASE_URL must start with sqlite: or mysql://")
	case scheme == "sqlite":
		return sqliteDSN(rest)
	case scheme == "mysql" || scheme == "mariadb":
		return mysqlDSN(raw)
	}
	return "", "", fmt.Errorf("DATABASE_URL: unknown scheme %q (use sqlite: or mysql://)", scheme)
}

func sqliteDSN(rest string) (string, string, error) {
	path, query, _ := strings.Cut(strings.TrimPrefix(rest, "//"), "?")
	if path == "" {
		return "", "", errors.New("DATABASE_URL: sqlite: needs a file path, as in sqlite:schooladmin.db")
	}
	params, err := url.ParseQuery(query)
	if err != nil {
		return "", "", fmt.Errorf("DATABASE_URL: bad query parameters: %v", err)
	}
	// WAL lets readers work while one writer writes; immediate transactions
	// take the write lock up front so concurrent writers wait (busy_timeout)
	// instead of failing half-way.
	params.Add("_pragma", "busy_timeout(10000)")
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "synchronous(NORMAL)")
	params.Add("_pragma", "foreign_keys(1)")
	if params.Get("_txlock") == "" {
		params.Set("_txlock", "immediate")
	}
	return "sqlite", path + "?" + params.Encode(), nil
}

func mysqlDSN(raw string) (string, string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", errors.New("DATABASE_URL is not a valid URL (mysql://USER:PASS@HOST:PORT/DBNAME)")
	}
	dbName := strings.TrimPrefix(u.Path, "/")
	if dbName == "" || strings.Contains(dbName, "/") {
		return "", "", errors.New("DATABASE_URL: name the database, as in mysql://USER:PASS@HOST:3306/DBNAME")
	}
	params := u.Query()
	defaults := map[string]string{
		"parseTime": "true", "loc": "UTC", "charset": "utf8mb4",
		"collation": "utf8mb4_unicode_ci", "interpolateParams": "true", "timeout": "5s",
	}
	for k, v := range defaults {
		if !params.Has(k) {
			params.Set(k, v)
		}
	}
	addr := "tcp(" + hostPort(u) + ")"
	if sock := params.Get("socket"); sock != "" {
		addr = "unix(" + sock + ")"
		params.Del("socket")
	}
	cfg, err := mysql.ParseDSN("@" + addr + "/" + dbName + "?" + params.Encode())
	if err != nil {
		return "", "", fmt.Errorf("DATABASE_URL: %v", err)
	}
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	return "mysql", cfg.FormatDSN(), nil
}

func hostPort(u *url.URL) string {
	host, port := u.Hostname(), u.Port()
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "3306"
	}
	return net.JoinHostPort(host, port)
}

// Ping checks that the database answers.
func (d *Database) Ping(ctx context.Context) error {
	return dbError(d.SQL().PingContext(ctx))
}

// QueryCacheOff reports whether a MariaDB server would ignore the query
// cache hint of the credentials lookup (see selectCredentials), so the
// operator can be told. False on SQLite, and when the server cannot say.
func (d *Database) QueryCacheOff(ctx context.Context) bool {
	if d.Dialect != "mysql" {
		return false
	}
	var kind string
	var size int64
	err := d.WithContext(ctx).Raw("SELECT @@query_cache_type, @@global.query_cache_size").Row().Scan(&kind, &size)
	return err == nil && (kind == "OFF" || size == 0)
}
