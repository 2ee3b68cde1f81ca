package views_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"schooladmin/models"
	"schooladmin/views"
)

// benchList is a full list page: 50 students with accents and characters
// that need escaping, 30 classes in the filter, page 1 of 200.
func benchList() (views.PageData, views.AlunosList) {
	nomes := []string{"João da Silva", "Maria Eduarda dos Santos", "Heloísa D'Ávila", "Ícaro <Gonçalves> & Araújo", "Pedro Henrique Müller"}
	alunos := make([]models.Aluno, 50)
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range alunos {
		alunos[i] = models.Aluno{ID: int64(i + 1), Nome: nomes[i%len(nomes)], Turma: fmt.Sprintf("%dA", 1+i%9),
			RA: fmt.Sprintf("2024.%07d", i), Version: 1, CreatedAt: at, UpdatedAt: at}
	}
	var turmas []string
	for year := 1; year <= 10; year++ {
		for _, c := range "ABC" {
			turmas = append(turmas, fmt.Sprintf("%d%c", year, c))
		}
	}
	p := views.PageData{Title: "Alunos", CSRF: "Jx2t6mPq0c1v9AqkW3oZbHf5YlR8uN4s", Nav: "alunos", User: "admin",
		Perms: models.AllPermissions, Assets: views.Assets{CSS: "/static/app.css?v=abc", JS: "/static/app.js?v=abc"}}
	q := models.NewListQuery(models.AlunoList, models.DefaultPerPage, nil)
	return p, views.AlunosList{Alunos: alunos, Total: 10000, Query: q, Turmas: turmas, LastPage: 200}
}

// BenchmarkAlunosListPage renders the 50-row list page, the HTML list's
// whole view work.
func BenchmarkAlunosListPage(b *testing.B) {
	p, l := benchList()
	var buf bytes.Buffer
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := views.AlunosListPage(p, l).Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

// benchPainel is the home page of a school of 30 turmas: twelve weeks of
// activity and the ten latest changes.
func benchPainel() (views.PageData, views.Painel) {
	p, _ := benchList()
	p.Title, p.Nav = "Painel", "painel"
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	v := views.Painel{Now: now, Turmas: models.TurmaCounts{Total: 30, Alunos: 1_000_000}}
	for i := range 30 {
		v.Turmas.Turmas = append(v.Turmas.Turmas, models.TurmaCount{ID: int64(i + 1), Codigo: fmt.Sprintf("%dA", i+1), Alunos: 33_000 + int64(i*17)})
	}
	for i, start := range views.WeekBounds(now, views.PainelWeeks)[:views.PainelWeeks] {
		v.Weeks = append(v.Weeks, models.WeekActivity{Start: start, Added: int64(1400 + i), Changed: int64(2900 - i)})
	}
	for i := range 10 {
		v.Latest = append(v.Latest, models.AuditEvent{ID: int64(i), At: now, Actor: "secretaria", Action: "student.update",
			ObjectType: models.AuditAluno, ObjectID: fmt.Sprint(i), Summary: "Heloísa D'Ávila"})
	}
	return p, v
}

// BenchmarkPainelPage renders the home page, its charts included.
func BenchmarkPainelPage(b *testing.B) {
	p, v := benchPainel()
	var buf bytes.Buffer
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := views.PainelPage(p, v).Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

// benchPage is a page of the export's walk: 1000 students.
func benchPage() []models.Aluno {
	nomes := []string{"João da Silva", "Maria Eduarda dos Santos", "Heloísa D'Ávila", "Ícaro <Gonçalves> & Araújo", "Pedro Henrique Müller"}
	alunos := make([]models.Aluno, models.ExportPageSize)
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range alunos {
		alunos[i] = models.Aluno{ID: int64(i + 1), Nome: nomes[i%len(nomes)], Turma: fmt.Sprintf("%dA", 1+i%9),
			RA: fmt.Sprintf("2024.%07d", i), Version: 1, CreatedAt: at.Add(time.Duration(i) * time.Minute), UpdatedAt: at}
	}
	return alunos
}

// BenchmarkExportPage writes a page of 1000 students as the exports do,
// without the database: the spreadsheet's share of an export.
func BenchmarkExportPage(b *testing.B) {
	page := benchPage()
	for _, format := range []string{"csv", "xlsx"} {
		b.Run(format, func(b *testing.B) {
			var sheet views.AlunosSheet
			var err error
			b.ReportAllocs()
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				if i%1000 == 0 { // a worksheet holds about a million rows
					if format == "csv" {
						sheet, err = views.NewAlunosCSV(io.Discard, ';')
					} else {
						sheet, err = views.NewAlunosXLSX(io.Discard)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				if err := sheet.Write(page); err != nil {
					b.Fatal(err)
				}
				if err := sheet.Flush(); err != nil {
					b.Fatal(err)
				}
			}
			// The machine is shared: CPU time per row says more than
			// the wall clock when others are busy.
			b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N*len(page)), "cpu-ns/row")
		})
	}
}

// cpuTime is the CPU time the process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
