package models_test

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

func row(line int, ra, nome, turma string) models.ImportRow {
	return models.ImportRow{Line: line, RA: ra, Nome: nome, Turma: turma}
}

func mustImport(t *testing.T, s *models.AlunoStore, file models.ImportFile, dryRun bool) models.ImportResult {
	t.Helper()
	res, err := s.Import(context.Background(), tester, file, dryRun)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

// dbState is everything an import writes, ids and times aside: the
// students, their search words, the turmas with their counts, and the
// audit trail.
func dbState(t *testing.T, db *models.Database) string {
	t.Helper()
	var b strings.Builder
	var alunos []models.Aluno
	var words []models.AlunoPalavra
	var turmas []models.Turma
	var events []models.AuditEvent
	for _, q := range []error{
		db.Order("id").Find(&alunos).Error, db.Order("aluno_id, palavra").Find(&words).Error,
		db.Order("codigo_key").Find(&turmas).Error, db.Order("id").Find(&events).Error,
	} {
		if q != nil {
			t.Fatal(q)
		}
	}
	for _, a := range alunos {
		fmt.Fprintf(&b, "aluno %d %q %q %q v%d %q %q\n", a.ID, a.Nome, a.Turma, a.RA, a.Version, a.NomeKey, a.TurmaKey)
	}
	for _, w := range words {
		fmt.Fprintf(&b, "palavra %d %s\n", w.AlunoID, w.Palavra)
	}
	for _, tu := range turmas {
		fmt.Fprintf(&b, "turma %q %d alunos v%d\n", tu.Codigo, tu.Alunos, tu.Version)
	}
	var audit []string // in any order: an import creates a turma before the batch of students that names it
	for _, e := range events {
		if e.Action != models.AuditImport {
			audit = append(audit, fmt.Sprintf("audit %s %s %s %q %s %s\n", e.Action, e.ObjectType, e.ObjectID, e.Summary, e.Changes, e.Actor))
		}
	}
	slices.Sort(audit)
	return b.String() + strings.Join(audit, "")
}

// An import writes what the same changes made one by one through Create
// and Update write: students, versions, search words, turmas and their
// counts, and one audit entry per student changed. In batches of 200
// rows (updates of 64), so that the import crosses batches.
func TestImportWritesWhatSingleEditsWrite(t *testing.T) {
	defer models.SetBatches(200, 64)()
	for name, open := range map[string]func(testing.TB) *models.Database{"sqlite": modelstest.SQLite, "mariadb": modelstest.MariaDB} {
		t.Run(name, func(t *testing.T) {
			imported, oneByOne := open(t), open(t)
			seed := func(s *models.AlunoStore) {
				for i := range 300 {
					mustCreate(t, s, fmt.Sprintf("Aluno %d da Silva", i), fmt.Sprintf("%dA", i%7), fmt.Sprintf("R%d", i))
				}
			}
			var rows []models.ImportRow
			for i := range 650 {
				switch {
				case i < 100: // unchanged, in another letter case
					rows = append(rows, row(i+2, fmt.Sprintf("r%d", i), fmt.Sprintf("  Aluno %d da Silva ", i), fmt.Sprintf("%da", i%7)))
				case i < 300: // renamed, or moved to another turma (new ones among them)
					rows = append(rows, row(i+2, fmt.Sprintf("R%d", i), fmt.Sprintf("Aluno %d Souza", i), fmt.Sprintf("%dB", i%9)))
				default: // new
					rows = append(rows, row(i+2, fmt.Sprintf("N%d", i), fmt.Sprintf("Novo Aluno %d", i), fmt.Sprintf("%dC", i%5)))
				}
			}
			s := models.NewAlunoStore(imported)
			seed(s)
			res := mustImport(t, s, models.ImportFile{Name: "alunos.csv", Rows: rows}, false)
			if res.Created != 350 || res.Updated != 200 || res.Unchanged != 100 || !res.Applied || res.ErrorsTotal != 0 {
				t.Fatalf("result %+v", res)
			}

			s = models.NewAlunoStore(oneByOne)
			seed(s)
			for _, r := range rows {
				editLikeAPerson(t, s, r)
			}
			if got, want := dbState(t, imported), dbState(t, oneByOne); got != want {
				t.Errorf("the import wrote something else than single edits:\n%s", firstDifference(got, want))
			}
		})
	}
}

// editLikeAPerson makes a row's change through Create or Update.
func editLikeAPerson(t *testing.T, s *models.AlunoStore, r models.ImportRow) {
	t.Helper()
	ctx := context.Background()
	list, _, err := s.List(ctx, mustQuery(t, "per_page=500&q="+r.RA))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if strings.EqualFold(a.RA, r.RA) {
			if _, err := s.Update(ctx, tester, a.ID, a.Version, input(r.Nome, r.Turma, r.RA), true); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	mustCreate(t, s, r.Nome, r.Turma, r.RA)
}

func mustQuery(t *testing.T, raw string) models.ListQuery {
	t.Helper()
	v, _ := url.ParseQuery(raw)
	q, err := models.ParseListQuery(models.AlunoList, v)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d\n import: %s\n single: %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(g), len(w))
}

func TestImportAuditsTheImportItself(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		mustCreate(t, s, "Ana", "1A", "R1")
		mustCreate(t, s, "Bia", "1A", "R2")
		mustImport(t, s, models.ImportFile{Name: "turma-1a.xlsx", Rows: []models.ImportRow{
			row(2, "R1", "Ana", "1A"), row(3, "R2", "Bia Souza", "1A"), row(4, "R3", "Caio", "1A"), row(5, "R4", "Duda", "1A"),
		}}, false)
		var ev models.AuditEvent
		if err := db.Where("action = ?", models.AuditImport).First(&ev).Error; err != nil {
			t.Fatal(err)
		}
		if ev.Summary != "turma-1a.xlsx: 2 novos, 1 alterados, 1 sem mudança" || ev.Actor != tester.Username || ev.ObjectType != models.AuditAluno {
			t.Errorf("import audited as %+v", ev)
		}
		var tu models.Turma
		if err := db.Where("codigo = ?", "1A").First(&tu).Error; err != nil || tu.Alunos != 4 {
			t.Errorf("turma 1A counts %d students (%v), want 4", tu.Alunos, err)
		}
	})
}

// A dry run says what would happen and writes nothing.
func TestImportDryRunWritesNothing(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		mustCreate(t, s, "Ana", "1A", "R1")
		mustCreate(t, s, "Bia", "1A", "R2")
		before := dbState(t, db)
		res := mustImport(t, s, models.ImportFile{Name: "a.csv", Rows: []models.ImportRow{
			row(2, "r1", "Ana", "1a"), row(3, "R2", "Bia", "9Z"), row(4, "R3", "Caio", "9z"), row(5, "R4", "Duda", "1A"),
		}}, true)
		if res.Created != 2 || res.Updated != 1 || res.Unchanged != 1 || res.Applied || !reflect.DeepEqual(res.NewTurmas, []string{"9Z"}) {
			t.Errorf("result %+v", res)
		}
		want := []string{"2 unchanged Ana 1A R1", "3 updated Bia 9Z R2", "4 created Caio 9Z R3", "5 created Duda 1A R4"}
		if got := samples(res); !reflect.DeepEqual(got, want) {
			t.Errorf("sample %q, want %q", got, want)
		}
		if ch := res.Sample[1].Changes; len(ch) != 1 || ch["turma"] != (models.FieldChange{Old: "1A", New: "9Z"}) {
			t.Errorf("changes of the moved student: %v", ch)
		}
		if after := dbState(t, db); after != before {
			t.Errorf("a dry run wrote:\n%s", firstDifference(after, before))
		}
	})
}

func samples(res models.ImportResult) []string {
	var out []string
	for _, s := range res.Sample {
		out = append(out, fmt.Sprintf("%d %s %s %s %s", s.Line, s.Action, s.Aluno.Nome, s.Aluno.Turma, s.Aluno.RA))
	}
	return out
}

// Any invalid row, a problem the file reader found, or an RA twice in
// the file, and nothing is written; every error names its line and field.
func TestImportWithErrorsWritesNothing(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		s := models.NewAlunoStore(db)
		mustCreate(t, s, "Ana", "1A", "AB-1")
		before := dbState(t, db)
		file := models.ImportFile{Name: "a.csv", Rows: []models.ImportRow{
			row(2, "R2", "Bia", "1A"),
			row(3, "R 3", strings.Repeat("x", 10000), ""),
			row(4, "ab-1", "Ana Souza", "1A"),
			row(6, "AB-1", "Ana de Souza", "1A"),
			row(7, "R7", "Ca\x00io", "1A"),
		}, Problems: []models.ImportProblem{{Line: 5, Field: "nome", Message: "fórmula"}}}
		res := mustImport(t, s, file, false)
		want := []models.ImportProblem{
			{Line: 3, Field: "ra", Message: "O RA só pode ter letras sem acento, números, ponto (.) ou hífen (-)."},
			{Line: 3, Field: "nome", Message: "O nome pode ter no máximo 120 caracteres."},
			{Line: 3, Field: "turma", Message: "Informe a turma."},
			{Line: 5, Field: "nome", Message: "fórmula"},
			{Line: 6, Field: "ra", Message: "O RA AB-1 já aparece na linha 4: cada aluno só pode aparecer uma vez."},
			{Line: 7, Field: "nome", Message: "O nome contém caracteres inválidos."},
		}
		if !reflect.DeepEqual(res.Errors, want) || res.ErrorsTotal != 6 || res.Applied {
			t.Errorf("errors %+v (total %d, applied %v), want %+v", res.Errors, res.ErrorsTotal, res.Applied, want)
		}
		if res.Created != 1 || res.Updated != 1 {
			t.Errorf("the valid rows would make %d new and %d changed, want 1 and 1", res.Created, res.Updated)
		}
		if after := dbState(t, db); after != before {
			t.Errorf("an import with errors wrote:\n%s", firstDifference(after, before))
		}
	})
}

func TestImportListsAtMostMaxImportErrors(t *testing.T) {
	var rows []models.ImportRow
	for i := range models.MaxImportErrors + 500 {
		rows = append(rows, row(i+2, fmt.Sprintf("R%d", i), "", "1A"))
	}
	s := models.NewAlunoStore(modelstest.SQLite(t))
	res := mustImport(t, s, models.ImportFile{Rows: rows, MoreProblems: 7}, false)
	if len(res.Errors) != models.MaxImportErrors || res.ErrorsTotal != models.MaxImportErrors+507 {
		t.Errorf("%d errors listed, %d in all", len(res.Errors), res.ErrorsTotal)
	}
}
