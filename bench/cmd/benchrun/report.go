package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// renderTable writes the results as one Markdown table.
func renderTable(rows []row) string {
	var sb strings.Builder
	sb.WriteString("| scenario | server | students | load | req/s | p50 ms | p99 ms | bad status | errors | peak RSS MiB | server CPU µs/req | DB CPU µs/req | ratio | p99 ratio | ratio against |\n")
	sb.WriteString("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range rows {
		rate := fmt.Sprintf("%.0f", r.Res.RPS())
		if r.Res.DurationUS == 0 {
			rate = "—"
		}
		fmt.Fprintf(&sb, "| %s | %s | %s | %s | %s | %.2f | %.2f | %d | %d | %s | %s | %s | %s | %s | %s |\n",
			r.Scenario, r.Server, count(r.Rows), r.Load, rate, float64(r.Res.P50)/1000, float64(r.Res.P99)/1000,
			r.Bad, r.Res.Errors(), optional(r.RSS, "%.1f"), optional(r.CPU, "%.0f"), optional(r.DBCPU, "%.0f"),
			optional(r.Ratio, "%.2f"), optional(r.RatioP99, "%.2f"), r.Vs)
	}
	return sb.String()
}

func optional(v float64, format string) string {
	if v == 0 {
		return ""
	}
	return fmt.Sprintf(format, v)
}

const (
	beginMark = "<!-- benchrun: begin generated part (replaced by each run of bench/run.sh) -->"
	endMark   = "<!-- benchrun: end generated part; notes below are kept -->"
)

// writeResults replaces the generated part of the results file, keeping
// whatever was written by hand after it.
func writeResults(b *bench, table string) error {
	generated := beginMark + "\n" + generatedPart(b, table) + "\n" + endMark + "\n"
	old, err := os.ReadFile(b.cfg.Out)
	var content string
	switch {
	case err == nil && strings.Contains(string(old), beginMark) && strings.Contains(string(old), endMark):
		s := string(old)
		content = s[:strings.Index(s, beginMark)] + generated + s[strings.Index(s, endMark)+len(endMark)+1:]
	case os.IsNotExist(err) || err == nil:
		content = "# Benchmark results\n\n" + generated + "\n## Analysis\n\n(hand-written notes go here; benchrun keeps them)\n"
	default:
		return err
	}
	logf("wrote %s", b.cfg.Out)
	return os.WriteFile(b.cfg.Out, []byte(content), 0o644)
}

func generatedPart(b *bench, table string) string {
	var sb strings.Builder
	m := b.machine
	fmt.Fprintf(&sb, "Run of %s, %s.\n\n", b.started.UTC().Format("2006-01-02 15:04 MST"), time.Since(b.started).Round(time.Second))
	fmt.Fprintf(&sb, "- machine: %d CPUs (%s), %s memory, Linux %s\n", m.CPUs, m.CPUModel, m.Memory, m.Kernel)
	fmt.Fprintf(&sb, "- MariaDB %s (innodb_buffer_pool_size %s), %s, %s\n", m.MariaDB, m.BufferPool, m.Go, m.Wrk)
	fmt.Fprintf(&sb, "- load average (1, 5, 15 min) before: %s, after: %s — the machine is shared, so other work shows up in the numbers\n", m.LoadBefore, m.LoadAfter)
	fmt.Fprintf(&sb, "- search schema found: %s\n", m.Schema)
	fmt.Fprintf(&sb, "- command: `%s`\n", b.cfg.Command)
	fmt.Fprintf(&sb, "- wrk: %d threads × %d connections for %s per throughput run; latency rows use 1 connection for %s\n\n",
		b.cfg.Threads, b.cfg.Conns, b.cfg.Duration, b.cfg.LatencyDur)
	sb.WriteString("## Table\n\n" + table + "\n")
	if len(b.notes) > 0 {
		sb.WriteString("## Notes from the run\n\n")
		for _, n := range b.notes {
			sb.WriteString("- " + n + "\n")
		}
		sb.WriteString("\n")
	}
	if b.cfg.GoBench != "" {
		if out, err := os.ReadFile(b.cfg.GoBench); err == nil {
			sb.WriteString("## Go benchmarks\n\n`go test -run='^$' -bench=. -benchmem -count=3 " + strings.Join(goBenchPackages, " ") + "`, against the same MariaDB server set up as above:\n\n```\n" + strings.TrimSpace(string(out)) + "\n```\n\n")
		}
	}
	if p := b.prof; p != nil {
		fmt.Fprintf(&sb, "## Profile\n\nGET /alunos (JSON, token) against benchprof, the app's router in-process with pprof: %d requests, %.0f req/s, "+
			"%.0f µs of the app's CPU and %.0f µs of MariaDB's per request, %.0f heap allocations and %.1f KiB allocated per request, %d GCs during the run.\n\n",
			p.Requests, p.RPS, p.CPUPerReq, p.DBCPUPerReq, p.AllocsPerReq, p.BytesPerReq/1024, p.GCs)
		sb.WriteString("### CPU, by own time\n\n```\n" + p.CPUTop + "\n```\n\n### CPU, cumulative\n\n```\n" + p.CPUCumTop + "\n```\n\n### Allocated bytes\n\n```\n" + p.AllocSpaceTop + "\n```\n\n")
		sb.WriteString("### Allocated objects\n\n```\n" + p.AllocObjsTop + "\n```\n")
	}
	return sb.String()
}
