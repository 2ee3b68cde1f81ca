package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sourceDatabase is a SQLite database with an administrator and an editor.
func sourceDatabase(t *testing.T) map[string]string {
	t.Helper()
	vars := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "source.db"), "ADMIN_PASSWORD": "first admin password"}
	runOK(t, vars, "", "migrate")
	runOK(t, vars, "a long enough password\n", "user", "create", "--username", "maria", "--role", "Editor")
	return vars
}

func TestExportThenImportIntoANewDatabase(t *testing.T) {
	src := sourceDatabase(t)
	file := filepath.Join(t.TempDir(), "copia.jsonl.gz")
	if out := runOK(t, src, "", "export", file); !strings.Contains(out, "users: 2") {
		t.Fatalf("export says %q", out)
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v %v, want it readable by its owner only (it holds password hashes)", info, err)
	}
	dbPath := filepath.Join(t.TempDir(), "new.db")
	dst := map[string]string{"DATABASE_URL": "sqlite:" + dbPath, "ADMIN_USERNAME": "outro"}
	out := runOK(t, dst, "", "import", file)
	if !strings.Contains(out, "users: 2") {
		t.Fatalf("import says %q", out)
	}
	list := runOK(t, dst, "", "user", "list")
	if !strings.Contains(list, "maria") || !strings.Contains(list, "admin") || strings.Contains(list, "outro") {
		t.Fatalf("users after the import: %q (the import must not make a first administrator of its own)", list)
	}

	_, err := runErr(t, dst, "import", file)
	if !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), dbPath) {
		t.Fatalf("a second import into the same database: %v", err)
	}
}

func TestExportAndImportThroughStandardStreams(t *testing.T) {
	src := sourceDatabase(t)
	var file, errOut bytes.Buffer
	if err := run(context.Background(), []string{"export", "-"}, env(src), nil, &file, &errOut); err != nil {
		t.Fatalf("export -: %v (%s)", err, errOut.String())
	}
	dst := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "new.db")}
	if out := runOK(t, dst, file.String(), "import", "-"); !strings.Contains(out, "users: 2") {
		t.Fatalf("import - says %q", out)
	}
}

func TestImportRefusesABadFileInOneLine(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "alunos.csv")
	os.WriteFile(junk, []byte("ra,nome\n1,Ana\n"), 0o600)
	dst := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "new.db")}
	cases := map[string]string{
		filepath.Join(dir, "missing.gz"): "no such file",
		junk:                             "not a complete, intact schooladmin export",
	}
	for file, want := range cases {
		if _, err := runErr(t, dst, "import", file); !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), file) {
			t.Errorf("import %s: %v, want %q naming the file", file, err, want)
		}
	}
	if _, err := runErr(t, dst, "import"); !strings.Contains(err.Error(), "import FILE") {
		t.Errorf("import without a file: %v", err)
	}
}

func TestFailedExportLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "copia.jsonl.gz")
	vars := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "missing.db")}
	if _, err := runErr(t, vars, "export", file); !strings.Contains(err.Error(), "no schooladmin database") {
		t.Fatalf("export of a missing database: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a failed export left %v", entries)
	}
}
