package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// profileReport is what the profiling run found.
type profileReport struct {
	Requests      int64
	RPS           float64
	AllocsPerReq  float64
	BytesPerReq   float64
	GCs           uint64
	CPUPerReq     float64 // µs of the profiled process
	DBCPUPerReq   float64 // µs of the database server
	CPUTop        string
	CPUCumTop     string
	AllocSpaceTop string
	AllocObjsTop  string
}

// profile runs benchprof (the app's router in-process with pprof) under
// the main scenario and keeps the top of its CPU and allocation profiles.
func (b *bench) profile(ctx context.Context) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	out := filepath.Join(b.dir, "profile")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	p, err := startProc(b.dir, "benchprof", addr, b.bin("benchprof"), nil, "-addr", addr, "-url", b.dbURL, "-out", out)
	if err != nil {
		return err
	}
	defer p.stop()
	if _, err := p.waitReady("/readyz", time.Now(), 30*time.Second); err != nil {
		return err
	}
	logf("profiling GET /alunos (JSON) in benchprof (%d×%d, %s)", b.cfg.Threads, b.cfg.Conns, b.cfg.Duration)
	_ = p.cmd.Process.Signal(syscall.SIGUSR1)
	time.Sleep(100 * time.Millisecond)
	r, err := b.drive(ctx, "profile", p, load{URL: "http://" + addr + "/alunos", Script: "get", Headers: []string{b.bearer()},
		Threads: b.cfg.Threads, Conns: b.cfg.Conns, Duration: b.cfg.Duration})
	_ = p.cmd.Process.Signal(syscall.SIGUSR2)
	if err != nil {
		return err
	}
	res := r.Res
	stats, err := waitFile(filepath.Join(out, "memstats.json"), 10*time.Second)
	if err != nil {
		return err
	}
	var ms struct{ Mallocs, Bytes, GCs uint64 }
	if err := json.Unmarshal(stats, &ms); err != nil {
		return err
	}
	rep := &profileReport{Requests: res.Requests, RPS: res.RPS(), GCs: ms.GCs, CPUPerReq: r.CPU, DBCPUPerReq: r.DBCPU}
	if res.Requests > 0 {
		rep.AllocsPerReq, rep.BytesPerReq = float64(ms.Mallocs)/float64(res.Requests), float64(ms.Bytes)/float64(res.Requests)
	}
	bin := b.bin("benchprof")
	rep.CPUTop = pprofTop(ctx, "-top", "-nodecount=30", bin, filepath.Join(out, "cpu.pprof"))
	rep.CPUCumTop = pprofTop(ctx, "-top", "-cum", "-nodecount=60", bin, filepath.Join(out, "cpu.pprof"))
	rep.AllocSpaceTop = pprofTop(ctx, "-top", "-nodecount=25", "-sample_index=alloc_space", "-base", filepath.Join(out, "allocs-base.pprof"), bin, filepath.Join(out, "allocs.pprof"))
	rep.AllocObjsTop = pprofTop(ctx, "-top", "-nodecount=25", "-sample_index=alloc_objects", "-base", filepath.Join(out, "allocs-base.pprof"), bin, filepath.Join(out, "allocs.pprof"))
	b.prof = rep
	b.note(fmt.Sprintf("Profiles are in %s (go tool pprof -http=: %s %s/cpu.pprof).", out, bin, out))
	return nil
}

func waitFile(path string, limit time.Duration) ([]byte, error) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return b, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil, fmt.Errorf("%s was not written", path)
}

// pprofTop runs go tool pprof and returns its output without the header
// lines that name local files.
func pprofTop(ctx context.Context, args ...string) string {
	out, err := exec.CommandContext(ctx, "go", append([]string{"tool", "pprof"}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("go tool pprof failed: %v\n%s", err, out)
	}
	var keep []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "File:") || strings.HasPrefix(line, "Build ID:") || strings.HasPrefix(line, "Time:") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}
