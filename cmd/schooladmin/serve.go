package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/web"
)

// defaultMemoryLimit is the Go runtime's soft memory limit unless
// GOMEMLIMIT is set: room for two concurrent password hashes and the
// rest of the app's working set (about 25 MiB under load).
const defaultMemoryLimit = 80 << 20

// Whether a command may create the database it is pointed at (serve,
// migrate and import), or needs one that exists (every other command: run from the
// wrong folder, it must not make an empty database with a new
// administrator whose password nobody saw).
const (
	mayCreate = true
	mustExist = false
)

// openDatabase connects, waits for the database to answer and migrates
// (see connectDatabase), and creates the first administrator of a
// database without users.
func openDatabase(ctx context.Context, cfg config, log *slog.Logger, create bool) (*models.Database, error) {
	db, err := connectDatabase(ctx, cfg, log, create)
	if err != nil {
		return nil, err
	}
	if err := bootstrapAdmin(ctx, cfg, db, log); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// connectDatabase connects, waits for the database to answer and
// migrates. With mustExist, a missing SQLite file or a database without
// the schema is an error naming the database.
func connectDatabase(ctx context.Context, cfg config, log *slog.Logger, create bool) (*models.Database, error) {
	name := models.DescribeDatabaseURL(cfg.DatabaseURL)
	if path, ok := models.SQLiteFile(cfg.DatabaseURL); ok && !create {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, noDatabase(name, "the file does not exist")
		}
	}
	db, err := models.Open(cfg.DatabaseURL, cfg.Pool, cfg.ReplicaURLs...)
	if err != nil {
		return nil, err
	}
	if err := db.WaitReady(ctx, cfg.DBWait); err != nil {
		db.Close()
		return nil, err
	}
	if !create {
		if ok, err := db.HasSchema(ctx); err != nil || !ok {
			db.Close()
			return nil, cmp.Or(err, noDatabase(name, "it has no schooladmin tables"))
		}
	}
	start := time.Now()
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	log.Info("database ready", "database", name, "migrated_in", time.Since(start).Round(time.Millisecond))
	if db.QueryCacheOff(ctx) {
		log.Warn("MariaDB's query cache is off: every request's credentials lookup runs in full; " +
			"set query_cache_type=DEMAND and query_cache_size=16M (docs/operations.md)")
	}
	return db, nil
}

// noDatabase is the error of a command that needs an existing database.
func noDatabase(name, why string) error {
	return fmt.Errorf("no schooladmin database at %s (%s): run \"schooladmin migrate\" to create it, or set DATABASE_URL", name, why)
}

// bootstrapAdmin creates the first administrator on an empty users table,
// printing a generated password once.
func bootstrapAdmin(ctx context.Context, cfg config, db *models.Database, log *slog.Logger) error {
	generated, created, err := auth.Bootstrap(ctx, models.NewUserStore(db), auth.NewHasher(1), cfg.AdminUsername, cfg.AdminPassword)
	if err != nil || !created {
		return err
	}
	if generated != "" {
		log.Warn("created the first administrator with a generated password; change it after logging in",
			"username", cfg.AdminUsername, "password", generated)
	} else {
		log.Info("created the first administrator", "username", cfg.AdminUsername)
	}
	return nil
}

// migrate opens the database, which creates or migrates it, and says so.
func migrate(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	return withCLI(ctx, getenv, nil, stdout, stderr, mayCreate, func(c *cli) error {
		fmt.Fprintln(c.stdout, "schema is up to date")
		return nil
	})
}

func serve(ctx context.Context, getenv func(string) string, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	if getenv("GOMEMLIMIT") == "" {
		// Each password hash takes 19 MiB that is garbage a moment later;
		// without a soft limit a burst of logins lets the heap (and RSS)
		// grow to several times what is live. GOMEMLIMIT overrides it.
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	if getenv("GOGC") == "" {
		// The live heap is small (a few MiB); collecting at 5× it instead
		// of 2× saves CPU on every request, and the soft limit above still
		// bounds memory.
		debug.SetGCPercent(400)
	}
	db, err := openDatabase(ctx, cfg, log, mayCreate)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := checkIdentityRoles(ctx, cfg, db); err != nil {
		return err
	}
	if d := cfg.Web.Directory; d != nil && !strings.HasPrefix(d.URL, "ldaps:") && !strings.Contains(d.URL, "starttls") {
		log.Warn("LDAP_URL has no TLS: passwords travel to the directory in clear; use ldaps:// or ?starttls=true", "url", d.URL)
	}

	secret, err := sessionSecret(ctx, cfg, db)
	if err != nil {
		return err
	}
	srv, err := web.New(cfg.Web, db, secret, log)
	if err != nil {
		return err
	}
	bgCtx, stopBackground := context.WithCancel(ctx)
	defer stopBackground()
	srv.StartBackground(bgCtx)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	httpServer := &http.Server{
		Handler:           srv.Echo,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout, // a client trickling headers is cut off
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "version", version)

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	srv.Drain() // /readyz answers 503 from now on
	if errors.Is(context.Cause(ctx), errTerminated) && cfg.DrainDelay > 0 {
		// keep serving while load balancers notice /readyz, within the grace period
		log.Info("draining", "delay", cfg.DrainDelay)
		select {
		case <-time.After(min(cfg.DrainDelay, cfg.ShutdownGrace/2)):
		case <-shutdownCtx.Done():
		}
	}
	log.Info("shutting down", "grace", cfg.ShutdownGrace)
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: requests still running after %s", cfg.ShutdownGrace)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// sessionSecret is SECRET_KEY, or a random key generated once and kept in
// the database so that restarts and replicas share it.
func sessionSecret(ctx context.Context, cfg config, db *models.Database) ([]byte, error) {
	if cfg.SecretKey != "" {
		return []byte(cfg.SecretKey), nil
	}
	key, err := db.EnsureSetting(ctx, "session_secret", func() (string, error) {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		return hex.EncodeToString(b), nil
	})
	return []byte(key), err
}
