// Command benchcopy measures schooladmin export and import at scale: it
// loads students into a fresh MariaDB database (bench/internal/dataset),
// exports it, imports the file into a new SQLite file, exports that,
// imports it into a second fresh MariaDB database and exports that too;
// each step runs the real command as a child process, timed, with its
// peak RSS. The three exports must have the same checksums table by table
// (identical rows). It prints a Markdown section for bench/RESULTS.md and
// drops its databases at the end.
//
//	go run ./bench/cmd/benchcopy -rows 1000000
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"schooladmin/bench/internal/dataset"
)

// step is one measured command.
type step struct {
	name    string
	took    time.Duration
	cpu     time.Duration // user and system time of the command
	peakRSS int64         // KiB
	size    int64         // bytes of the file it wrote, 0 for an import
	sums    string
}

func main() {
	server := flag.String("server", serverFromEnv(), "MariaDB server URL without a database (env BENCH_MARIADB_URL, else TEST_MARIADB_URL)")
	rows := flag.Int("rows", 1000000, "students to load")
	dir := flag.String("dir", "", "folder for the files (default: a temporary one, removed at the end)")
	keep := flag.Bool("keep", false, "keep the databases and files")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *server, *rows, *dir, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "benchcopy:", err)
		os.Exit(1)
	}
}

func serverFromEnv() string {
	for _, k := range []string{"BENCH_MARIADB_URL", "TEST_MARIADB_URL"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "mysql://root@127.0.0.1:3306"
}

func run(ctx context.Context, server string, rows int, dir string, keep bool) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "benchcopy-")
		if err != nil {
			return err
		}
		if !keep {
			defer os.RemoveAll(tmp)
		}
		dir = tmp
	}
	bin := filepath.Join(dir, "schooladmin")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/schooladmin").CombinedOutput(); err != nil {
		return fmt.Errorf("build: %v\n%s", err, out)
	}
	databases := &mariaDBs{server: server}
	if !keep {
		defer databases.drop()
	}
	loadBefore := loadavg()
	started := time.Now()
	source, loaded, err := loadSource(ctx, databases, bin, rows)
	if err != nil {
		return err
	}
	target, err := databases.create(ctx)
	if err != nil {
		return err
	}
	sqlite := "sqlite:" + filepath.Join(dir, "copy.db")
	files := func(name string) string { return filepath.Join(dir, name) }
	plan := []struct{ name, db, cmd, file string }{
		{"export from MariaDB", source, "export", files("mariadb.jsonl.gz")},
		{"import into SQLite", sqlite, "import", files("mariadb.jsonl.gz")},
		{"export from SQLite", sqlite, "export", files("sqlite.jsonl.gz")},
		{"import into MariaDB", target, "import", files("sqlite.jsonl.gz")},
		{"export from the second MariaDB", target, "export", files("again.jsonl.gz")},
	}
	var steps []step
	for _, p := range plan {
		s, err := measure(ctx, bin, p.db, p.cmd, p.file)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		s.name = p.name
		steps = append(steps, s)
		fmt.Fprintf(os.Stderr, "%s: %s (CPU %s), peak RSS %.1f MiB\n", p.name, s.took.Round(time.Millisecond), s.cpu.Round(time.Millisecond), float64(s.peakRSS)/1024)
	}
	identical := steps[0].sums == steps[2].sums && steps[2].sums == steps[4].sums && steps[0].sums != ""
	report(rows, loaded, steps, identical, loadBefore, time.Since(started))
	if !identical {
		return fmt.Errorf("the exports differ:\n%s\n%s\n%s", steps[0].sums, steps[2].sums, steps[4].sums)
	}
	return nil
}

// loadSource makes the source database: migrated by the app, then filled
// by the benchmark's loader.
func loadSource(ctx context.Context, databases *mariaDBs, bin string, rows int) (string, time.Duration, error) {
	url, err := databases.create(ctx)
	if err != nil {
		return "", 0, err
	}
	cmd := exec.CommandContext(ctx, bin, "migrate")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+url, "ADMIN_PASSWORD=benchmark admin password")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", 0, fmt.Errorf("migrate: %v\n%s", err, out)
	}
	db, err := dataset.Open(url, 2)
	if err != nil {
		return "", 0, err
	}
	defer db.Close()
	start := time.Now()
	if err := dataset.Insert(ctx, db, dataset.Options{Seed: 1, Count: rows}); err != nil {
		return "", 0, fmt.Errorf("load students: %w", err)
	}
	return url, time.Since(start), nil
}

// mariaDBs are the benchmark databases made on a server.
type mariaDBs struct {
	server string
	names  []string
}

// create makes a fresh benchmark database and returns its URL.
func (m *mariaDBs) create(ctx context.Context) (string, error) {
	name, err := dataset.CreateDatabase(ctx, m.server)
	if err != nil {
		return "", err
	}
	m.names = append(m.names, name)
	return dataset.URL(m.server, name)
}

// drop drops every database create made.
func (m *mariaDBs) drop() {
	for _, name := range m.names {
		if err := dataset.DropDatabase(context.Background(), m.server, name); err != nil {
			fmt.Fprintln(os.Stderr, "benchcopy:", err)
		}
	}
}

// measure runs schooladmin CMD FILE on databaseURL and reports its wall
// time, peak RSS and, for an export, the file's size and checksums.
func measure(ctx context.Context, bin, databaseURL, command, file string) (step, error) {
	var s step
	cmd := exec.CommandContext(ctx, bin, command, file)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+databaseURL)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	s.took = time.Since(start)
	if err != nil {
		return s, fmt.Errorf("%v\n%s", err, out.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.peakRSS = ru.Maxrss // KiB on Linux
		s.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if command == "export" {
		if info, err := os.Stat(file); err == nil {
			s.size = info.Size()
		}
		s.sums = checksums(out.String())
	}
	return s, nil
}

// checksums keeps the "  table: N rows, sha256 X" lines of an export.
func checksums(out string) string {
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if strings.Contains(sc.Text(), ", sha256 ") {
			lines = append(lines, strings.TrimSpace(sc.Text()))
		}
	}
	return strings.Join(lines, "\n")
}

// report prints the Markdown section for bench/RESULTS.md.
func report(rows int, loaded time.Duration, steps []step, identical bool, loadBefore string, total time.Duration) {
	fmt.Printf("Run of %s UTC, %s in all; %d students loaded into MariaDB in %s first.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04"), total.Round(time.Second), rows, loaded.Round(time.Second))
	fmt.Printf("- machine: %d CPUs, %s; load average (1, 5, 15 min) before: %s, after: %s\n",
		runtime.NumCPU(), runtime.Version(), loadBefore, loadavg())
	fmt.Printf("- command: `go run ./bench/cmd/benchcopy -rows %d`\n\n", rows)
	fmt.Println("| step | time | CPU time | students/s | peak RSS MiB | file MiB |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, s := range steps {
		size := "—"
		if s.size > 0 {
			size = fmt.Sprintf("%.1f", float64(s.size)/(1<<20))
		}
		fmt.Printf("| %s | %s | %s | %.0f | %.1f | %s |\n", s.name, s.took.Round(100*time.Millisecond), s.cpu.Round(100*time.Millisecond),
			float64(rows)/s.took.Seconds(), float64(s.peakRSS)/1024, size)
	}
	fmt.Printf("\nIdentical rows (the three exports' checksums, table by table): %v.\n\n```\n%s\n```\n", identical, steps[len(steps)-1].sums)
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
