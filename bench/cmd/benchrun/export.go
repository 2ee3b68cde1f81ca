package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"schooladmin/bench/internal/dataset"
)

// exportResult is one export of every student: GET /alunos/export.
type exportResult struct {
	Format   string // csv or xlsx
	Database string // MariaDB or SQLite
	Students int    // rows in the file (the CSV's counted; the XLSX's expected)
	Took     time.Duration
	FirstB   time.Duration // to the answer's first byte
	Bytes    int64
	RSS      float64 // the app's peak RSS during the export, MiB
	AppCPU   float64 // seconds
	DBCPU    float64 // seconds of the local mariadbd (0 for SQLite)
}

// RowsPerSecond is students written per second of the whole export.
func (r exportResult) RowsPerSecond() float64 { return float64(r.Students) / r.Took.Seconds() }

// exportTargets are issue 12's: rows per second by format; peak RSS.
var exportTargets = map[string]float64{"csv": 100000, "xlsx": 30000}

const exportRSSTarget = 64.0

// exportScenarios exports every student, as CSV and as XLSX, from an app
// on the benchmark's MariaDB database (grown to ExportRows) and from one
// on a SQLite file loaded with the same students. Each app is started for
// it alone, so its peak RSS is the exports'.
func (b *bench) exportScenarios(ctx context.Context) error {
	n := b.cfg.ExportRows
	if n <= 0 {
		return nil
	}
	if b.exportStart.IsZero() {
		b.exportStart = time.Now()
	}
	if b.rows < n {
		if err := b.grow(ctx, n); err != nil {
			return err
		}
		b.exportNote("MariaDB: " + b.notes[len(b.notes)-1])
	}
	if err := b.exportFrom(ctx, "MariaDB", b.env(), b.token); err != nil {
		return err
	}
	env, token, cleanup, err := b.sqliteCopy(ctx, n)
	defer cleanup()
	if err != nil {
		return err
	}
	return b.exportFrom(ctx, "SQLite", env, token)
}

// sqliteCopy makes a SQLite database with n students (the app's schema,
// the loader's students), and returns the app's environment on it, an
// API token, and what removes the file.
func (b *bench) sqliteCopy(ctx context.Context, n int) ([]string, string, func(), error) {
	path := filepath.Join(b.dir, "export.db")
	cleanup := func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	}
	url := "sqlite:" + path
	env := []string{"DATABASE_URL=" + url, "ADMIN_USERNAME=admin", "ADMIN_PASSWORD=" + adminPassword, "LOG_LEVEL=warn"}
	if _, err := runCmd(ctx, env, "", b.bin("schooladmin"), "migrate"); err != nil {
		return nil, "", cleanup, err
	}
	db, err := dataset.Open(url, 1)
	if err != nil {
		return nil, "", cleanup, err
	}
	start := time.Now()
	err = dataset.Insert(ctx, db, dataset.Options{Seed: 1, Count: n, Workers: 1})
	db.Close()
	if err != nil {
		return nil, "", cleanup, fmt.Errorf("load the SQLite copy: %w", err)
	}
	took := time.Since(start)
	b.exportNote(fmt.Sprintf("SQLite: loaded %d students in %s (%.0f rows/s, one writer), load average then %s.",
		n, took.Round(time.Second), float64(n)/took.Seconds(), loadavg()))
	out, err := runCmd(ctx, env, "", b.bin("schooladmin"), "token", "create", "--username", "admin", "--name", "bench")
	return env, strings.TrimSpace(out), cleanup, err
}

// exportFrom starts an app with env and exports every student from it,
// as CSV then XLSX.
func (b *bench) exportFrom(ctx context.Context, database string, env []string, token string) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	app, err := startProc(b.dir, "export-"+strings.ToLower(database), addr, b.bin("schooladmin"), append(env, "ADDR="+addr), "serve")
	if err != nil {
		return err
	}
	defer app.stop()
	if _, err := app.waitReady("/readyz", time.Now(), 2*time.Minute); err != nil {
		return err
	}
	for range 20 { // the first requests' garbage, then let RSS settle
		if _, _, err := fetch("http://"+addr+"/alunos", token); err != nil {
			return err
		}
	}
	logf("export app on %s: RSS settled at %.1f MiB", database, settleRSS(app.pid(), 30*time.Second))
	students := 0 // counted in the CSV, the XLSX's too
	for _, format := range []string{"csv", "xlsx"} {
		logf("export %s from %s", format, database)
		r, lines, err := b.exportOnce(ctx, app, token, format, database == "MariaDB")
		if err != nil {
			return fmt.Errorf("export %s from %s: %w", format, database, err)
		}
		if format == "csv" {
			students = lines - 1 // the header
		}
		r.Database, r.Students = database, students
		b.exports = append(b.exports, r)
		logf("  %d students in %s: %.0f rows/s, peak RSS %.1f MiB", r.Students, r.Took.Round(time.Millisecond), r.RowsPerSecond(), r.RSS)
	}
	return nil
}

// exportOnce downloads one export, counting its lines, and measures it;
// onMariaDB counts the local mariadbd's CPU time too.
func (b *bench) exportOnce(ctx context.Context, app *proc, token, format string, onMariaDB bool) (exportResult, int, error) {
	r := exportResult{Format: format}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+app.addr+"/alunos/export?format="+format, nil)
	if err != nil {
		return r, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resetPeakRSS(app.pid())
	cpu, dbCPU := cpuSeconds(app.pid()), b.dbCPUSeconds()
	start := time.Now()
	resp, err := (&http.Client{Timeout: 30 * time.Minute}).Do(req)
	if err != nil {
		return r, 0, err
	}
	defer resp.Body.Close()
	r.FirstB = time.Since(start)
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return r, 0, fmt.Errorf("status %d: %s", resp.StatusCode, msg)
	}
	lines := &lineCounter{}
	r.Bytes, err = io.Copy(lines, resp.Body)
	r.Took = time.Since(start)
	r.RSS, r.AppCPU = peakRSS(app.pid()), cpuSeconds(app.pid())-cpu
	if onMariaDB {
		r.DBCPU = b.dbCPUSeconds() - dbCPU
	}
	return r, lines.n, err
}

func (b *bench) dbCPUSeconds() float64 {
	if b.dbPID == 0 {
		return 0
	}
	return cpuSeconds(b.dbPID)
}

// lineCounter counts the lines of what is written through it (a CSV's
// fields hold no line breaks).
type lineCounter struct{ n int }

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n += bytes.Count(p, []byte("\n"))
	return len(p), nil
}

func (b *bench) exportNote(s string) { b.exportNotes = append(b.exportNotes, s) }
