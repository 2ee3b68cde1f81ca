package sheet_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"schooladmin/web/sheet"
)

// students100k is a workbook of 100,000 students (and its CSV twin).
func students(b *testing.B, n int) (xlsx, csv []byte) {
	b.Helper()
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	sw.SetRow("A1", []any{"RA", "Nome", "Turma", "Situação"})
	var sb strings.Builder
	sb.WriteString("RA;Nome;Turma;Situação\r\n")
	for i := range n {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		ra, nome, turma := fmt.Sprintf("IMP.%07d", i), fmt.Sprintf("Maria Eduarda %d da Silva", i), fmt.Sprintf("%dA", i%30)
		sw.SetRow(cell, []any{ra, nome, turma, "Matriculado"})
		fmt.Fprintf(&sb, "%s;%s;%s;Matriculado\r\n", ra, nome, turma)
	}
	sw.Flush()
	buf, err := f.WriteToBuffer()
	if err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), []byte(sb.String())
}

// BenchmarkRead reads 100,000 students from XLSX and from CSV.
func BenchmarkRead(b *testing.B) {
	xlsx, csv := students(b, 100_000)
	lim := sheet.Limits{MaxRows: 100_000, MaxUnzipped: 64 << 20, MaxProblems: 1000}
	for name, data := range map[string][]byte{"xlsx": xlsx, "csv": csv} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if t := sheet.Read(data, columns, lim); len(t.Rows) != 100_000 {
					b.Fatalf("%d rows, problems %v", len(t.Rows), t.Problems)
				}
			}
		})
	}
}
