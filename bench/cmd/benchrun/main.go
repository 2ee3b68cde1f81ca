// Command benchrun is the benchmark's driver: on a MariaDB server it
// creates a fresh database, loads students, starts the app (built by
// bench/run.sh) and the ceiling server, drives load at both with wrk from
// separate processes on loopback, profiles the main scenario, prints one
// table and writes bench/RESULTS.md. It drops its database at the end.
// bench/run.sh builds everything and runs it; see bench/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// config is what the command line and environment ask for.
type config struct {
	Server      string        // MariaDB server URL without a database
	Bin         string        // folder with schooladmin, ceiling and benchprof
	Rows        int           // students of the main run
	Scale       []int         // larger data sets for the latency comparison
	Duration    time.Duration // per throughput scenario
	LatencyDur  time.Duration // per single-connection latency measurement
	Threads     int
	Conns       int
	WalkPages   int // how far to follow rel="next"
	Startups    int // start-up measurements per data size
	Out         string
	GoBenchRun  bool   // run the Go benchmarks (after setting the server up)
	GoBench     string // the file their output went to, for RESULTS.md
	Command     string // the command line, for RESULTS.md
	KeepDB      bool
	Profile     bool
	OnlyLatency bool
	QueryCache  bool           // turn on MariaDB's query cache for the run
	Only        *regexp.Regexp // throughput scenarios to run (nil: all)
	Import      bool           // the import scenario, after the others
	OnlyImport  bool           // the import scenario alone
	ImportRows  int            // students per imported file
	ExportRows  int            // students of the export scenarios (0: none)
	OnlyExport  bool           // run the export scenarios alone
}

func main() {
	var cfg config
	var scale string
	flag.StringVar(&cfg.Server, "server", serverFromEnv(), "MariaDB server URL, no database (env BENCH_MARIADB_URL, else TEST_MARIADB_URL)")
	flag.StringVar(&cfg.Bin, "bin", "", "folder holding the built schooladmin, ceiling and benchprof binaries")
	flag.IntVar(&cfg.Rows, "rows", 10000, "students for the main run")
	flag.StringVar(&scale, "scale", "", "comma-separated larger sizes for the latency comparison, e.g. 1000000")
	flag.DurationVar(&cfg.Duration, "duration", 10*time.Second, "length of each throughput run")
	flag.DurationVar(&cfg.LatencyDur, "latency-duration", 5*time.Second, "length of each single-connection latency run")
	flag.IntVar(&cfg.Threads, "threads", 2, "wrk threads")
	flag.IntVar(&cfg.Conns, "conns", 32, "wrk connections")
	flag.IntVar(&cfg.WalkPages, "walk-pages", 2000, "follow Link rel=next up to this page")
	flag.IntVar(&cfg.Startups, "startups", 5, "start-up-to-ready measurements per data size")
	flag.StringVar(&cfg.Out, "out", "bench/RESULTS.md", "results file (its hand-written notes are kept)")
	flag.BoolVar(&cfg.GoBenchRun, "gobench-run", false, "run the Go benchmarks of views, web and auth first (from the repository root)")
	flag.StringVar(&cfg.Command, "command", "", "command line to record in the results")
	flag.BoolVar(&cfg.KeepDB, "keep-db", false, "do not drop the benchmark database at the end")
	flag.BoolVar(&cfg.Profile, "profile", true, "CPU and allocation profiles of GET /alunos")
	flag.BoolVar(&cfg.OnlyLatency, "only-latency", false, "skip the throughput scenarios (for quick scale runs)")
	flag.BoolVar(&cfg.QueryCache, "query-cache", true, "turn on MariaDB's query cache (DEMAND) for the run if it is off, and restore it after")
	flag.BoolVar(&cfg.Import, "import", true, "measure imports of a spreadsheet (POST /alunos/import) after the other scenarios")
	flag.BoolVar(&cfg.OnlyImport, "only-import", false, "measure only the imports (no Go benchmarks, no ceiling, no other scenario)")
	flag.IntVar(&cfg.ImportRows, "import-rows", 100000, "students per imported file")
	flag.IntVar(&cfg.ExportRows, "export-rows", 1000000, "students of the export scenarios, on MariaDB and on SQLite (0 skips them)")
	flag.BoolVar(&cfg.OnlyExport, "only-export", false, "run only the export scenarios (no Go benchmarks, no wrk scenarios; the generated part of the results is left alone)")
	only := flag.String("only", "", "run only the throughput scenarios whose name matches this regular expression (quick runs)")
	flag.Parse()
	var err error
	if *only != "" {
		cfg.Only, err = regexp.Compile(*only)
	}
	if err != nil {
		err = fmt.Errorf("-only: %w", err)
	} else if cfg.Scale, err = parseSizes(scale); err == nil && cfg.Bin == "" {
		err = fmt.Errorf("-bin is required (bench/run.sh sets it)")
	} else if err == nil && cfg.OnlyExport && cfg.ExportRows <= 0 {
		err = fmt.Errorf("-only-export needs -export-rows above 0")
	}
	if err == nil {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = run(ctx, cfg)
		stop()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
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

func parseSizes(s string) ([]int, error) {
	var sizes []int
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		n, err := strconv.Atoi(strings.ReplaceAll(part, "_", ""))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("-scale: %q is not a number of students", part)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}
