package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"schooladmin/models"
)

// BenchmarkRouterExport is GET /alunos/export of 20,000 students through
// the whole router, CSV and XLSX: the walk's queries and scanning, and
// the spreadsheet (bench/ measures a million, with the app's memory).
func BenchmarkRouterExport(b *testing.B) {
	forEachBenchDB(b, func(b *testing.B, db *models.Database) {
		app := newBenchApp(b, db)
		const n = 20000
		at := time.Date(2024, 3, 1, 12, 0, 0, 123e6, time.UTC)
		rows := make([]models.Aluno, n)
		for i := range rows {
			nome := fmt.Sprintf("Maria Eduarda dos Santos Conceição %d", i)
			rows[i] = models.Aluno{Nome: nome, Turma: "5B", RA: fmt.Sprintf("X%07d", i), Version: 1, CreatedAt: at, UpdatedAt: at,
				NomeKey: models.SortKey(nome), TurmaKey: models.SortKey("5B")}
		}
		if err := db.CreateInBatches(rows, 500).Error; err != nil {
			b.Fatal(err)
		}
		for _, format := range []string{"csv", "xlsx"} {
			b.Run(format, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					req := httptest.NewRequest(http.MethodGet, "/alunos/export?format="+format, nil)
					req.Header.Set("Authorization", "Bearer "+app.token)
					app.serve(b, req, http.StatusOK)
				}
				b.ReportMetric(float64(b.N*(n+60))/b.Elapsed().Seconds(), "rows/s")
			})
		}
	})
}
