package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

const (
	importBegin = "<!-- benchrun: begin import part (replaced by each run of bench/run.sh, also with --only-import) -->"
	importEnd   = "<!-- benchrun: end import part -->"
)

// importTable is the import section's table.
func importTable(b *bench) string {
	var sb strings.Builder
	sb.WriteString("| import | rows | file MiB | time s | rows/s | × reference | peak RSS MiB | app CPU s | DB CPU s | list p50 ms | list p99 ms | list max ms | list failed | check |\n")
	sb.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	a := b.importAlone
	fmt.Fprintf(&sb, "| none (the list alone, %d req/s) | | | | | | | | | %.2f | %.2f | %.2f | %d | |\n",
		probeRate, msf(a.P50), msf(a.P99), msf(a.Max), a.Failed)
	for _, r := range b.imports {
		check := "ok"
		if r.Unexpected != "" {
			check = strings.TrimSpace(r.Unexpected)
		}
		ratio := 0.0
		if b.importFloor > 0 {
			ratio = r.Took.Seconds() / b.importFloor.Seconds()
		}
		fmt.Fprintf(&sb, "| %s | %s | %.1f | %.2f | %.0f | %s | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | %d | %s |\n",
			r.Case.name, count(b.cfg.ImportRows), float64(r.Bytes)/(1<<20), r.Took.Seconds(),
			float64(b.cfg.ImportRows)/r.Took.Seconds(), optional(ratio, "%.2f"), r.RSS, r.AppCPU, r.DBCPU,
			msf(r.List.P50), msf(r.List.P99), msf(r.List.Max), r.List.Failed, check)
	}
	if b.importFloor > 0 {
		fmt.Fprintf(&sb, "| reference: the loader's INSERTs of as many students and their search words (no audit, no checks), one connection | %s | | %.2f | %.0f | 1.00 | | | | | | | | |\n",
			count(b.cfg.ImportRows), b.importFloor.Seconds(), float64(b.cfg.ImportRows)/b.importFloor.Seconds())
	}
	return sb.String()
}

func msf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// importPart is the import section of RESULTS.md.
func importPart(b *bench) string {
	var sb strings.Builder
	m := b.machine
	sb.WriteString("## Import of a spreadsheet\n\n")
	fmt.Fprintf(&sb, "Run of %s. `POST /alunos/import` (JSON, token) on MariaDB holding %s students, files of %s students "+
		"(`IMP.0000000`… with generated names, 30 turmas, a fourth ignored column; CSV as Excel in Portuguese writes it, "+
		"XLSX from excelize's streaming writer), one import at a time, the app as `serve` runs it. "+
		"Meanwhile a prober asks for `GET /alunos` (JSON, token) %d times a second on schedule; \"list\" columns are its latencies.\n\n",
		b.started.UTC().Format("2006-01-02 15:04 MST"), count(b.rows), count(b.cfg.ImportRows), probeRate)
	fmt.Fprintf(&sb, "- machine: %d CPUs (%s), MariaDB %s (innodb_buffer_pool_size %s), %s\n", m.CPUs, m.CPUModel, m.MariaDB, m.BufferPool, m.Go)
	fmt.Fprintf(&sb, "- load average (1, 5, 15 min) before: %s, after: %s — the machine is shared with other work\n", m.LoadBefore, m.LoadAfter)
	fmt.Fprintf(&sb, "- command: `%s`\n", b.cfg.Command)
	sb.WriteString("- targets (issue 12): ≤ 15 s and ≤ 128 MiB peak RSS for 100k rows, dry run and applied; the list keeps answering\n\n")
	sb.WriteString(importTable(b))
	return sb.String()
}

// writeImportResults replaces the import section of the results file, or
// adds it after the generated part; nothing else in the file changes.
func writeImportResults(b *bench) error {
	part := importBegin + "\n" + importPart(b) + importEnd + "\n"
	old, err := os.ReadFile(b.cfg.Out)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	s := string(old)
	switch {
	case strings.Contains(s, importBegin) && strings.Contains(s, importEnd):
		s = s[:strings.Index(s, importBegin)] + part + s[strings.Index(s, importEnd)+len(importEnd)+1:]
	case strings.Contains(s, endMark):
		at := strings.Index(s, endMark) + len(endMark) + 1
		s = s[:at] + "\n" + part + s[at:]
	default:
		s += "\n" + part
	}
	logf("wrote the import part of %s", b.cfg.Out)
	return os.WriteFile(b.cfg.Out, []byte(s), 0o644)
}
