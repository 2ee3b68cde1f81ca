package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"schooladmin/bench/internal/dataset"
	"schooladmin/models"
)

// adminPassword is the bootstrap administrator's password in the
// throw-away benchmark database.
const adminPassword = "bench password, not a secret"

// bench is one benchmark run: its database, servers and results.
type bench struct {
	cfg     config
	dir     string // logs, scripts and profiles
	dbName  string
	dbURL   string
	app     *proc
	ceiling *proc
	token   string
	rows    int // students loaded (not counting those the scenarios add)
	results []row
	notes   []string
	machine machine
	started time.Time
	prof    *profileReport
	dbPID   int    // the database server's process, for its CPU time
	cookie  string // a logged-in session, for the HTML scenario

	imports     []importResult
	importAlone probeStats    // the list's latencies without an import
	importFloor time.Duration // the loader's INSERTs of as many students
	// The export scenarios: results, notes, when they began and the load
	// average then.
	exports     []exportResult
	exportNotes []string
	exportStart time.Time
	exportLoad  string
}

func run(ctx context.Context, cfg config) error {
	dir, err := os.MkdirTemp("", "schooladmin-bench-")
	if err != nil {
		return err
	}
	b := &bench{cfg: cfg, dir: dir, started: time.Now()}
	logf("work folder %s (server logs, wrk output, profiles)", dir)
	if b.dbName, err = dataset.CreateDatabase(ctx, cfg.Server); err != nil {
		return fmt.Errorf("create the benchmark database on %s: %w", redact(cfg.Server), err)
	}
	defer b.cleanup()
	if b.dbURL, err = dataset.URL(cfg.Server, b.dbName); err != nil {
		return err
	}
	b.machine = readMachine(ctx, b.dbURL)
	if cfg.OnlyExport {
		return b.exportsAlone(ctx)
	}
	if cfg.QueryCache {
		restore, note, err := enableQueryCache(ctx, b.dbURL)
		if err != nil {
			return err
		}
		defer restore()
		b.note(note)
	}
	if cfg.GoBenchRun && !cfg.OnlyImport {
		if b.cfg.GoBench, err = b.goBenchmarks(ctx); err != nil {
			return fmt.Errorf("go benchmarks: %w", err)
		}
	}
	if b.dbPID = findProcess("mariadbd", "mysqld"); b.dbPID == 0 {
		b.note("No local mariadbd process found: the DB CPU column is empty.")
	}
	if err := b.prepare(ctx); err != nil {
		return err
	}
	if cfg.OnlyImport {
		return b.onlyImport(ctx)
	}
	if err := b.measure(ctx); err != nil {
		return err
	}
	if cfg.Import {
		if err := b.importScenario(ctx); err != nil {
			return err
		}
	}
	b.machine.LoadAfter = loadavg()
	table := renderTable(b.results)
	fmt.Println(table)
	if err := writeResults(b, table); err != nil {
		return err
	}
	if cfg.Import {
		fmt.Println(importTable(b))
		if err := writeImportResults(b); err != nil {
			return err
		}
	}
	return writeExports(b)
}

// onlyImport starts the app alone and measures the imports.
func (b *bench) onlyImport(ctx context.Context) error {
	if err := b.startApp(); err != nil {
		return err
	}
	if err := b.importScenario(ctx); err != nil {
		return err
	}
	b.machine.LoadAfter = loadavg()
	fmt.Println(importTable(b))
	return writeImportResults(b)
}

// exportsAlone is a run of the export scenarios only: the database with
// ExportRows students, the exports, their section of the results.
func (b *bench) exportsAlone(ctx context.Context) error {
	b.exportStart, b.exportLoad = time.Now(), loadavg()
	if b.dbPID = findProcess("mariadbd", "mysqld"); b.dbPID == 0 {
		b.exportNote("No local mariadbd process found: the DB CPU column is empty.")
	}
	b.cfg.Rows = b.cfg.ExportRows
	if err := b.prepare(ctx); err != nil {
		return err
	}
	b.exportNote("MariaDB: " + b.notes[len(b.notes)-1]) // the load
	if err := b.exportScenarios(ctx); err != nil {
		return err
	}
	fmt.Println(renderExports(b.exports))
	return writeExports(b)
}

// cleanup stops the servers and drops the database.
func (b *bench) cleanup() {
	_ = b.app.stop()
	_ = b.ceiling.stop()
	if b.cfg.KeepDB {
		logf("kept database %s", b.dbName)
		return
	}
	if err := dataset.DropDatabase(context.Background(), b.cfg.Server, b.dbName); err != nil {
		logf("could not drop %s: %v", b.dbName, err)
	}
}

func (b *bench) env() []string {
	return []string{"DATABASE_URL=" + b.dbURL, "ADMIN_USERNAME=admin", "ADMIN_PASSWORD=" + adminPassword, "LOG_LEVEL=warn"}
}

func (b *bench) bin(name string) string { return filepath.Join(b.cfg.Bin, name) }

// prepare migrates through the app, checks the loader against the app's
// search data, loads the students and creates an API token.
func (b *bench) prepare(ctx context.Context) error {
	if _, err := runCmd(ctx, b.env(), "", b.bin("schooladmin"), "migrate"); err != nil {
		return err
	}
	db, err := models.Open(b.dbURL, models.Pool{MaxOpen: 2, MaxLifetime: time.Minute, MaxIdleTime: time.Minute})
	if err != nil {
		return err
	}
	err = dataset.CheckSearch(ctx, db)
	db.Close()
	if err != nil {
		return fmt.Errorf("the loader does not fill search data as the app does: %w", err)
	}
	if err := b.grow(ctx, b.cfg.Rows); err != nil {
		return err
	}
	out, err := runCmd(ctx, b.env(), "", b.bin("schooladmin"), "token", "create", "--username", "admin", "--name", "bench")
	b.token = strings.TrimSpace(out)
	return err
}

// grow loads students until there are n.
func (b *bench) grow(ctx context.Context, n int) error {
	db, err := dataset.Open(b.dbURL, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	if b.machine.Schema == "" {
		schema, err := dataset.DetectSchema(ctx, db)
		if err != nil {
			return err
		}
		b.machine.Schema = schema.String()
	}
	start := time.Now()
	if err := dataset.Insert(ctx, db, dataset.Options{Seed: 1, First: b.rows, Count: n - b.rows}); err != nil {
		return err
	}
	took := time.Since(start)
	b.note(fmt.Sprintf("Loaded students %d to %d in %s (%.0f rows/s, batches of 1000, 2 in flight).",
		b.rows+1, n, took.Round(10*time.Millisecond), float64(n-b.rows)/took.Seconds()))
	logf("loaded %d students in %s", n-b.rows, took.Round(time.Millisecond))
	b.rows = n
	return nil
}

func (b *bench) note(s string) { b.notes = append(b.notes, s) }

// measure runs every phase in order: reads before the writes change the
// data, the larger data sets last.
func (b *bench) measure(ctx context.Context) error {
	if err := b.startupTimes(ctx); err != nil {
		return err
	}
	if err := b.startServers(); err != nil {
		return err
	}
	b.checkSameAnswers()
	if err := b.latencySet(ctx); err != nil {
		return err
	}
	if !b.cfg.OnlyLatency {
		if err := b.throughput(ctx); err != nil {
			return err
		}
		if b.cfg.Only == nil || b.cfg.Only.MatchString("POST /login") {
			if err := b.loginBurst(ctx); err != nil {
				return err
			}
		}
	}
	if b.cfg.Profile {
		if err := b.profile(ctx); err != nil {
			b.note("Profiling failed: " + err.Error())
		}
	}
	for _, n := range b.cfg.Scale {
		if err := b.atScale(ctx, n); err != nil {
			return err
		}
	}
	b.exportLoad = loadavg()
	return b.exportScenarios(ctx)
}

// startServers starts the app and the ceiling server on free loopback ports.
func (b *bench) startServers() error {
	if err := b.startApp(); err != nil {
		return err
	}
	ceilAddr, err := freeAddr()
	if err != nil {
		return err
	}
	if b.ceiling, err = startProc(b.dir, "ceiling", ceilAddr, b.bin("ceiling"), nil, "-addr", ceilAddr, "-url", b.dbURL); err != nil {
		return err
	}
	_, err = b.ceiling.waitReady("/readyz", time.Now(), 30*time.Second)
	return err
}

// startApp starts the app (schooladmin serve) on a free loopback port,
// logs in for the HTML scenario and warms it up.
func (b *bench) startApp() error {
	appAddr, err := freeAddr()
	if err != nil {
		return err
	}
	if b.app, err = startProc(b.dir, "app", appAddr, b.bin("schooladmin"), append(b.env(), "ADDR="+appAddr), "serve"); err != nil {
		return err
	}
	if _, err := b.app.waitReady("/readyz", time.Now(), 30*time.Second); err != nil {
		return err
	}
	b.note(fmt.Sprintf("The app's peak RSS from exec to ready, before any load: %.1f MiB.", peakRSS(b.app.pid())))
	if b.cookie, err = loggedInCookie("http://"+b.app.addr, "admin", adminPassword); err != nil {
		return fmt.Errorf("log in for the HTML scenario: %w", err)
	}
	b.warmUp()
	return nil
}

// warmUp sends the app a few seconds of ordinary requests, so that the
// garbage of start-up and of a login is collected, and waits for its
// resident memory to settle: each run's peak RSS should be that run's.
func (b *bench) warmUp() {
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); {
		if _, _, err := fetch("http://"+b.app.addr+"/alunos", b.token); err != nil {
			break
		}
	}
	logf("app RSS settled at %.1f MiB", settleRSS(b.app.pid(), 30*time.Second))
}

// redact hides a password in a URL for messages.
func redact(u string) string {
	if at := strings.LastIndex(u, "@"); at > 0 {
		if scheme := strings.Index(u, "://"); scheme > 0 && scheme < at {
			userinfo := u[scheme+3 : at]
			if user, _, ok := strings.Cut(userinfo, ":"); ok {
				return u[:scheme+3] + user + ":***" + u[at:]
			}
		}
	}
	return u
}
