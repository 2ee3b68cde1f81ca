package dataset_test

import (
	"context"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"schooladmin/bench/internal/dataset"
	"schooladmin/models"
	"schooladmin/models/modelstest"
)

func TestSearchKeyMatchesTheApp(t *testing.T) {
	if err := dataset.CheckSearch(context.Background(), modelstest.SQLite(t)); err != nil {
		t.Fatal(err)
	}
}

func TestStudentsAreValidAndUnique(t *testing.T) {
	seen := map[string]bool{}
	turmas := map[string]bool{}
	for i := range 5000 {
		s := dataset.Make(1, i)
		if seen[s.RA] {
			t.Fatalf("RA %s repeats", s.RA)
		}
		seen[s.RA] = true
		turmas[s.Turma] = true
		if len(s.RA) > 20 || len([]rune(s.Nome)) > 120 || len(s.Turma) > 20 || strings.TrimSpace(s.Nome) != s.Nome {
			t.Fatalf("student %d breaks a field rule: %+v", i, s)
		}
		if s != dataset.Make(1, i) {
			t.Fatalf("student %d differs between calls", i)
		}
	}
	if len(turmas) != 30 {
		t.Fatalf("%d turmas, want 30", len(turmas))
	}
}

func TestNamesHaveCommonAndRareWords(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	counts := map[string]int{}
	const n = 20000
	for range n {
		for _, w := range dataset.SearchWords(dataset.Name(r)) {
			counts[w]++
		}
	}
	if share := float64(counts["silva"]) / n; share < 0.05 || share > 0.3 {
		t.Errorf("silva in %.0f%% of names, want a common surname", share*100)
	}
	if counts["bittencourt"] == 0 || counts["bittencourt"] > counts["silva"]/5 {
		t.Errorf("bittencourt %d times, silva %d: want a long tail", counts["bittencourt"], counts["silva"])
	}
}

func TestURLSetsTheDatabaseAndKeepsParameters(t *testing.T) {
	cases := map[string]string{
		"mysql://root@127.0.0.1:3306":                           "mysql://root@127.0.0.1:3306/schooladmin_bench_x",
		"mysql://u:p@db:3306/":                                  "mysql://u:p@db:3306/schooladmin_bench_x",
		"mysql://root@localhost?socket=/run/mysqld/mysqld.sock": "mysql://root@localhost/schooladmin_bench_x?socket=/run/mysqld/mysqld.sock",
	}
	for server, want := range cases {
		if got, err := dataset.URL(server, "schooladmin_bench_x"); err != nil || got != want {
			t.Errorf("URL(%q) = %q, %v; want %q", server, got, err, want)
		}
	}
}

func TestDropDatabaseRefusesOtherNames(t *testing.T) {
	for _, name := range []string{"mysql", "schooladmin", "schooladmin_test_abc", "schooladmin_bench_x; DROP DATABASE mysql"} {
		if err := dataset.DropDatabase(context.Background(), "mysql://nobody@127.0.0.1:1", name); err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Errorf("DropDatabase(%q): %v, want a refusal", name, err)
		}
	}
}

// TestInsertIntoSQLite loads the export scenarios' SQLite copy the way
// benchrun does: the app's schema, the students, the same indexes after
// as before, and lists that find them.
func TestInsertIntoSQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.db")
	app, err := models.Open("sqlite:"+path, models.DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if err := app.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db, err := dataset.Open("sqlite:"+path, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	indexes := func() string {
		var names []string
		rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			rows.Scan(&n)
			names = append(names, n)
		}
		return strings.Join(names, " ")
	}
	before := indexes()
	if err := dataset.Insert(ctx, db, dataset.Options{Seed: 1, Count: 2500, Batch: 1000, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	if after := indexes(); after != before {
		t.Errorf("indexes after the load:\n%s\nbefore:\n%s", after, before)
	}
	q, _ := models.ParseListQuery(models.AlunoList, url.Values{"q": {"silva"}, "sort": {"nome"}})
	list, total, err := models.NewAlunoStore(app).List(ctx, q)
	if err != nil || total < 100 || len(list) == 0 {
		t.Errorf("the app's list of q=silva: %d of %d, %v", len(list), total, err)
	}
}
