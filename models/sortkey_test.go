package models_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// TestSortKeysOrderPortuguese checks the keys' byte order against the
// order people expect, for names and for turmas.
func TestSortKeysOrderPortuguese(t *testing.T) {
	for _, want := range [][]string{
		{"Álvaro", "ana", "Ana Maria", "Ana-Maria", "Anabela", "Bruno", "Çalışkan", "D'Ávila", "Dalva", "Érica", "João", "José", "Zeca"},
		{"1A", "1B", "2A", "9C", "10A", "10B", "Ágata", "agua", "Zulu"},
	} {
		got := slices.Clone(want)
		slices.Reverse(got)
		slices.SortStableFunc(got, func(a, b string) int { return strings.Compare(models.SortKey(a), models.SortKey(b)) })
		if !slices.Equal(got, want) {
			t.Errorf("by key: %q\nwant     %q", got, want)
		}
	}
	for _, same := range [][2]string{{"João", "JOAO"}, {"joão", "Joao"}, {"1a", "1A"}, {"Ítalo", "italo"}} {
		if models.SortKey(same[0]) != models.SortKey(same[1]) {
			t.Errorf("%q and %q have different keys", same[0], same[1])
		}
	}
	if long := models.SortKey(strings.Repeat("ﷺ", models.MaxNome)); len(long) > models.MaxSortKey {
		t.Errorf("key of %d characters, more than %d", len(long), models.MaxSortKey)
	}
}

// TestMigrateBackfillsSortKeys upgrades a database as an earlier version
// left it (no keys, an index on nome) and checks every key afterwards.
func TestMigrateBackfillsSortKeys(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		given := []string{"Zeca", "Érica", "Álvaro", "José", "João", "ana"}
		var rows []string
		var args []any
		at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		for i := range 1203 { // more than two batches
			rows = append(rows, "(?, ?, ?, 1, ?, ?)")
			args = append(args, fmt.Sprintf("%s %d", given[i%len(given)], i), fmt.Sprintf("%dº%c", 1+i%10, 'a'+i%3), fmt.Sprintf("R%d", i), at, at)
		}
		if err := db.Exec("INSERT INTO alunos (nome, turma, ra, version, created_at, updated_at) VALUES "+strings.Join(rows, ","), args...).Error; err != nil {
			t.Fatal(err)
		}
		m := db.Migrator()
		for _, err := range []error{
			m.DropIndex(&models.Aluno{}, "idx_alunos_nome_key"), m.DropIndex(&models.Aluno{}, "idx_alunos_turma_key"),
			m.DropColumn(&models.Aluno{}, "nome_key"), m.DropColumn(&models.Aluno{}, "turma_key"),
			db.Exec("CREATE INDEX idx_alunos_nome ON alunos (nome)").Error,
			db.Exec("CREATE INDEX idx_alunos_turma ON alunos (turma)").Error,
			db.Exec("DELETE FROM settings WHERE `key` LIKE 'sort_keys%'").Error,
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var stored []models.Aluno
		if err := db.Select("id, nome, turma, nome_key, turma_key").Find(&stored).Error; err != nil {
			t.Fatal(err)
		}
		for _, a := range stored {
			if a.NomeKey != models.SortKey(a.Nome) || a.TurmaKey != models.SortKey(a.Turma) {
				t.Fatalf("student %d (%s, %s): keys %q %q", a.ID, a.Nome, a.Turma, a.NomeKey, a.TurmaKey)
			}
		}
		if len(stored) != 1203 {
			t.Fatalf("%d students", len(stored))
		}
		for _, index := range []string{"idx_alunos_nome", "idx_alunos_turma"} {
			if db.Migrator().HasIndex(&models.Aluno{}, index) {
				t.Errorf("%s is still there", index)
			}
		}
		list, _, err := models.NewAlunoStore(db).List(ctx, mustParse(t, "sort=nome&per_page=2"))
		if err != nil || len(list) != 2 || list[0].Nome != "Álvaro 2" || list[1].Nome != "Álvaro 8" {
			t.Fatalf("first by nome: %+v, %v", list, err)
		}
	})
}
