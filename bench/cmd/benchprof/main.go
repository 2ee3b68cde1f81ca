// Command benchprof serves the app's real router (web.New on a MariaDB
// database, as `schooladmin serve` builds it) with runtime/pprof, for
// profiling under load. SIGUSR1 starts a CPU profile and takes an
// allocation snapshot; SIGUSR2 stops the CPU profile and writes
// cpu.pprof, allocs-base.pprof, allocs.pprof and memstats.json (heap
// objects and bytes allocated between the two signals) to -out.
//
//	benchprof -addr 127.0.0.1:8092 -url mysql://root@127.0.0.1:3306/DB -out /tmp/prof
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"schooladmin/models"
	"schooladmin/web"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8092", "listen address")
	url := flag.String("url", "", "DATABASE_URL of a migrated database")
	out := flag.String("out", ".", "folder for the profiles")
	flag.Parse()
	if err := run(*addr, *url, *out); err != nil {
		fmt.Fprintln(os.Stderr, "benchprof:", err)
		os.Exit(1)
	}
}

func run(addr, url, out string) error {
	if url == "" {
		return errors.New("-url is required")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	db, err := models.Open(url, models.DefaultPool)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.WaitReady(ctx, 20*time.Second); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := web.DefaultConfig
	cfg.Version = "benchprof"
	srv, err := web.New(cfg, db, []byte(strings.Repeat("b", 32)), log)
	if err != nil {
		return err
	}
	srv.StartBackground(ctx)
	httpServer := &http.Server{Addr: addr, Handler: srv.Echo, ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	go func() { _ = httpServer.ListenAndServe() }()
	go profileOnSignals(out)
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return httpServer.Shutdown(shutdown)
}

// profileOnSignals profiles between SIGUSR1 and SIGUSR2.
func profileOnSignals(out string) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGUSR1, syscall.SIGUSR2)
	var before runtime.MemStats
	var cpu *os.File
	for s := range signals {
		switch {
		case s == syscall.SIGUSR1 && cpu == nil:
			before = snapshot(filepath.Join(out, "allocs-base.pprof"))
			f, err := os.Create(filepath.Join(out, "cpu.pprof"))
			if err == nil && pprof.StartCPUProfile(f) == nil {
				cpu = f
			}
		case s == syscall.SIGUSR2 && cpu != nil:
			pprof.StopCPUProfile()
			cpu.Close()
			cpu = nil
			after := snapshot(filepath.Join(out, "allocs.pprof"))
			stats, _ := json.Marshal(map[string]uint64{
				"mallocs": after.Mallocs - before.Mallocs, "bytes": after.TotalAlloc - before.TotalAlloc, "gcs": uint64(after.NumGC - before.NumGC),
			})
			_ = os.WriteFile(filepath.Join(out, "memstats.json"), stats, 0o644)
		}
	}
}

// snapshot writes the allocation profile (as of a fresh GC) and returns
// the memory statistics of the same moment.
func snapshot(path string) runtime.MemStats {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if f, err := os.Create(path); err == nil {
		_ = pprof.Lookup("allocs").WriteTo(f, 0)
		f.Close()
	}
	return m
}
