package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"schooladmin/bench/internal/dataset"
)

// The import benchmark: a spreadsheet of ImportRows students posted to
// POST /alunos/import, checked (dry run) and applied, new students and
// then the same students moved to another turma, while a prober asks for
// the list 20 times a second.

// importCase is one import measured.
type importCase struct {
	name   string
	file   string // in the work folder
	ctype  string
	dryRun bool
	// want is the answer expected: created, updated, unchanged.
	want [3]int
}

// importAnswer is the part of the import's answer checked.
type importAnswer struct {
	Created     int `json:"created"`
	Updated     int `json:"updated"`
	Unchanged   int `json:"unchanged"`
	ErrorsTotal int `json:"errors_total"`
}

// importResult is one import's measurements.
type importResult struct {
	Case       importCase
	Bytes      int64
	Took       time.Duration
	RSS        float64 // the app's peak RSS during the import, MiB
	AppCPU     float64 // seconds
	DBCPU      float64 // seconds, the local mariadbd (everyone's)
	List       probeStats
	Status     int
	Answer     importAnswer
	Unexpected string // what differed from the expected answer
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// importScenario writes the files, measures the list alone, then each
// import with the list probed meanwhile.
func (b *bench) importScenario(ctx context.Context) error {
	n := b.cfg.ImportRows
	files := map[string]func(string, int, bool) error{"new.csv": writeImportCSV, "new.xlsx": writeImportXLSX, "moved.csv": writeImportCSV}
	for name, write := range files {
		logf("writing %s (%d students)", name, n)
		if err := write(filepath.Join(b.dir, "import-"+name), n, name == "moved.csv"); err != nil {
			return fmt.Errorf("write import file: %w", err)
		}
	}
	logf("list alone for 10s (%d requests a second)", probeRate)
	stop := b.probeList(ctx)
	time.Sleep(10 * time.Second)
	b.importAlone = stop()
	cases := []importCase{
		{"new students, dry run", "import-new.csv", "text/csv", true, [3]int{n, 0, 0}},
		{"new students, dry run (XLSX)", "import-new.xlsx", xlsxType, true, [3]int{n, 0, 0}},
		{"new students, applied", "import-new.csv", "text/csv", false, [3]int{n, 0, 0}},
		{"every student moved, dry run", "import-moved.csv", "text/csv", true, [3]int{0, n, 0}},
		{"every student moved, applied", "import-moved.csv", "text/csv", false, [3]int{0, n, 0}},
		{"the same file again, applied", "import-moved.csv", "text/csv", false, [3]int{0, 0, n}},
	}
	for _, c := range cases {
		r, err := b.importOnce(ctx, c)
		if err != nil {
			return err
		}
		b.imports = append(b.imports, r)
	}
	return b.importReference(ctx)
}

// importReference times what the database alone takes for as many new
// students: the loader's multi-row INSERTs of students and their search
// words (no audit, no checks), one statement in flight like the import's
// one transaction, into a scratch database. The machine is shared, so
// the import's time is best read against this one, measured minutes
// apart.
func (b *bench) importReference(ctx context.Context) error {
	name, err := dataset.CreateDatabase(ctx, b.cfg.Server)
	if err != nil {
		return err
	}
	defer dataset.DropDatabase(context.WithoutCancel(ctx), b.cfg.Server, name)
	url, err := dataset.URL(b.cfg.Server, name)
	if err != nil {
		return err
	}
	env := append(b.env(), "DATABASE_URL="+url) // the last DATABASE_URL wins
	if _, err := runCmd(ctx, env, "", b.bin("schooladmin"), "migrate"); err != nil {
		return err
	}
	db, err := dataset.Open(url, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	logf("reference: the loader inserts %d students on one connection", b.cfg.ImportRows)
	start := time.Now()
	err = dataset.Insert(ctx, db, dataset.Options{Seed: importSeed, Count: b.cfg.ImportRows, Batch: 500, Workers: 1})
	b.importFloor = time.Since(start)
	return err
}

// importOnce posts one file and measures it.
func (b *bench) importOnce(ctx context.Context, c importCase) (importResult, error) {
	r := importResult{Case: c}
	path := filepath.Join(b.dir, c.file)
	f, err := os.Open(path)
	if err != nil {
		return r, err
	}
	defer f.Close()
	st, _ := f.Stat()
	r.Bytes = st.Size()
	url := "http://" + b.app.addr + "/alunos/import"
	if c.dryRun {
		url += "?dry_run=true"
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, f)
	req.ContentLength = r.Bytes
	req.Header.Set("Authorization", "Bearer "+b.token)
	req.Header.Set("Content-Type", c.ctype)
	req.Header.Set("Content-Disposition", `attachment; filename="`+c.file+`"`)

	settleRSS(b.app.pid(), 10*time.Second)
	resetPeakRSS(b.app.pid())
	cpu0, db0 := cpuSeconds(b.app.pid()), cpuSeconds(b.dbPID)
	stop := b.probeList(ctx)
	logf("import: %s (%s, %d bytes)", c.name, c.file, r.Bytes)
	start := time.Now()
	resp, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err == nil {
		r.Status = resp.StatusCode
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if jerr := json.Unmarshal(body, &r.Answer); jerr != nil {
			r.Unexpected = fmt.Sprintf("answer %.200s", body)
		}
	}
	r.Took = time.Since(start)
	r.List = stop()
	r.RSS = peakRSS(b.app.pid())
	r.AppCPU, r.DBCPU = cpuSeconds(b.app.pid())-cpu0, cpuSeconds(b.dbPID)-db0
	if err != nil {
		return r, fmt.Errorf("import %s: %w", c.name, err)
	}
	got := [3]int{r.Answer.Created, r.Answer.Updated, r.Answer.Unchanged}
	if r.Status != http.StatusOK || got != c.want {
		r.Unexpected += fmt.Sprintf(" status %d, created/updated/unchanged %v, want 200 and %v", r.Status, got, c.want)
	}
	logf("  %s, peak RSS %.1f MiB, list p99 %s%s", r.Took.Round(10*time.Millisecond), r.RSS, ms(r.List.P99), r.Unexpected)
	return r, nil
}
