package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

const (
	exportBegin = "<!-- benchrun: begin exports (replaced by each run that exports; the rest of the file is left alone) -->"
	exportEnd   = "<!-- benchrun: end exports -->"
)

// renderExports writes the export measurements as one Markdown table.
func renderExports(results []exportResult) string {
	var sb strings.Builder
	sb.WriteString("| export | database | students | seconds | rows/s | target rows/s | first byte s | MiB sent | peak RSS MiB | app CPU s | DB CPU s | targets met |\n")
	sb.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range results {
		met := "yes"
		if r.RowsPerSecond() < exportTargets[r.Format] || r.RSS > exportRSSTarget {
			met = "**no**"
		}
		fmt.Fprintf(&sb, "| %s | %s | %s | %.1f | %.0f | %.0f | %.2f | %.1f | %.1f | %.1f | %s | %s |\n",
			strings.ToUpper(r.Format), r.Database, count(r.Students), r.Took.Seconds(), r.RowsPerSecond(), exportTargets[r.Format],
			r.FirstB.Seconds(), float64(r.Bytes)/(1<<20), r.RSS, r.AppCPU, optional(r.DBCPU, "%.1f"), met)
	}
	return sb.String()
}

// writeExports puts the export measurements in their own section of the
// results file: in place of the last one, or at the end. Nothing else in
// the file changes.
func writeExports(b *bench) error {
	if len(b.exports) == 0 {
		return nil
	}
	section := exportBegin + "\n" + exportSection(b) + exportEnd + "\n"
	old, err := os.ReadFile(b.cfg.Out)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	s := string(old)
	begin, end := strings.Index(s, exportBegin), strings.Index(s, exportEnd)
	if begin >= 0 && end > begin {
		s = s[:begin] + section + strings.TrimPrefix(s[end+len(exportEnd):], "\n")
	} else {
		s = strings.TrimRight(s, "\n") + "\n\n" + section
	}
	logf("wrote the exports to %s", b.cfg.Out)
	return os.WriteFile(b.cfg.Out, []byte(s), 0o644)
}

func exportSection(b *bench) string {
	var sb strings.Builder
	m := b.machine
	sb.WriteString("## Exports (`GET /alunos/export`, every student)\n\n")
	fmt.Fprintf(&sb, "Run of %s, %s for this part.\n\n", b.exportStart.UTC().Format("2006-01-02 15:04 MST"), time.Since(b.exportStart).Round(time.Second))
	fmt.Fprintf(&sb, "- command: `%s`\n", b.cfg.Command)
	fmt.Fprintf(&sb, "- machine: %d CPUs (%s), %s memory; MariaDB %s (innodb_buffer_pool_size %s), %s\n", m.CPUs, m.CPUModel, m.Memory, m.MariaDB, m.BufferPool, m.Go)
	fmt.Fprintf(&sb, "- load average (1, 5, 15 min) before: %s, after: %s — the machine is shared with other work, which shows in the times\n", b.exportLoad, loadavg())
	sb.WriteString("- one export at a time with the bearer token of `admin`, the whole body read as it arrives; each app was started for the exports alone " +
		"(`LOG_LEVEL=warn`, the default `GOMEMLIMIT` 80 MiB and `GOGC` 400), peak RSS is its VmHWM during the export; targets (issue 12): CSV ≥ 100,000 rows/s, XLSX ≥ 30,000 rows/s, peak RSS ≤ 64 MiB\n\n")
	sb.WriteString(renderExports(b.exports) + "\n")
	for _, n := range b.exportNotes {
		sb.WriteString("- " + n + "\n")
	}
	if len(b.exportNotes) > 0 {
		sb.WriteString("\n")
	}
	return sb.String()
}
