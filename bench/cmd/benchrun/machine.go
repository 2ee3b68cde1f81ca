package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"

	"schooladmin/bench/internal/dataset"
)

// machine describes where the numbers come from.
type machine struct {
	CPUs       int
	CPUModel   string
	Memory     string
	Kernel     string
	MariaDB    string
	BufferPool string
	Go         string
	Wrk        string
	Schema     string
	LoadBefore string
	LoadAfter  string
}

func readMachine(ctx context.Context, dbURL string) machine {
	m := machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), LoadBefore: loadavg()}
	m.CPUModel = procField("/proc/cpuinfo", "model name")
	m.Memory = procField("/proc/meminfo", "MemTotal")
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if out, err := exec.CommandContext(ctx, "wrk", "--version").CombinedOutput(); err == nil || len(out) > 0 {
		m.Wrk, _, _ = strings.Cut(strings.TrimSpace(string(out)), " Copyright")
	}
	if db, err := dataset.Open(dbURL, 1); err == nil {
		m.MariaDB, _ = dataset.ServerVersion(ctx, db)
		var name string
		var pool int64
		if db.QueryRowContext(ctx, "SHOW VARIABLES LIKE 'innodb_buffer_pool_size'").Scan(&name, &pool) == nil {
			m.BufferPool = strconv.FormatInt(pool>>20, 10) + " MiB"
		}
		db.Close()
	}
	return m
}

// procField is the value of the first "name: value" line of a /proc file.
func procField(path, name string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
