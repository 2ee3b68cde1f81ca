package models_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// fakeHash stands for a password hash: the copy keeps it as it is.
const fakeHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"

// seedEverything fills db through the stores with a bit of everything
// an export copies: students (one changed, one deleted), turmas, users
// (one disabled, one who logged in), a custom role, tokens (one
// revoked), settings and the audit trail of all of it.
func seedEverything(t *testing.T, db *models.Database) {
	t.Helper()
	ctx := context.Background()
	s := models.NewAlunoStore(db)
	mustCreate(t, s, "Zoë d'Ávila <b>&\"", "3º A", "ab-1.x")
	ana := mustCreate(t, s, "Ana Souza", "1A", "R1")
	if _, err := s.Update(ctx, tester, ana.ID, ana.Version, models.AlunoInput{Turma: ptr("1B")}, false); err != nil {
		t.Fatal(err)
	}
	gone := mustCreate(t, s, "Bruno Lima 🎓", "1A", "R2")
	if err := s.Delete(ctx, tester, gone.ID, nil); err != nil {
		t.Fatal(err)
	}
	turmas := models.NewTurmaStore(db)
	if _, err := turmas.Create(ctx, tester, turmaInput("9Z", 2025, "noite")); err != nil {
		t.Fatal(err)
	}
	if _, err := models.NewRoleStore(db).Save(ctx, tester, 0, nil, models.RoleFields{Name: "Secretaria", Perms: []string{models.PermListAlunos}}); err != nil {
		t.Fatal(err)
	}
	users := models.NewUserStore(db)
	admin, err := users.Create(ctx, tester, models.NewUser{Username: "diretora", Email: "d@escola.example", PasswordHash: fakeHash, Roles: []string{models.RoleAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	off, err := users.Create(ctx, tester, models.NewUser{Username: "ex.aluno", PasswordHash: fakeHash, Roles: []string{"Secretaria", models.RoleViewer}})
	if err != nil {
		t.Fatal(err)
	}
	if err := users.Update(ctx, tester, off.ID, nil, models.UserFields{Active: false, Roles: []string{"Secretaria"}}); err != nil {
		t.Fatal(err)
	}
	if err := users.RecordLogin(ctx, admin.ID, false); err != nil {
		t.Fatal(err)
	}
	tokens := models.NewTokenStore(db)
	expires := time.Now().Add(90 * 24 * time.Hour)
	if _, _, err := tokens.Create(ctx, tester, admin.ID, "integração", models.ScopeAdmin, &expires); err != nil {
		t.Fatal(err)
	}
	_, old, err := tokens.Create(ctx, tester, admin.ID, "antigo", models.ScopeStudents, nil)
	if err == nil {
		err = tokens.Revoke(ctx, tester, admin.ID, old.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnsureSetting(ctx, "session_secret", func() (string, error) { return "k3y", nil }); err != nil {
		t.Fatal(err)
	}
}

// exportOf exports db and returns the file.
func exportOf(t *testing.T, db *models.Database) ([]byte, models.DumpSummary) {
	t.Helper()
	var buf bytes.Buffer
	sum, err := db.Export(context.Background(), &buf)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return buf.Bytes(), sum
}

// mariaDBOrSQLite is a fresh MariaDB database when one is configured,
// else (outside CI) a fresh SQLite one, so the round trip runs anywhere.
func mariaDBOrSQLite(t *testing.T) *models.Database {
	if os.Getenv(modelstest.MariaDBEnv) == "" && os.Getenv(modelstest.RequireEnv) != "1" {
		t.Logf("%s is not set: the round trip goes through SQLite only", modelstest.MariaDBEnv)
		return modelstest.SQLite(t)
	}
	return modelstest.MariaDB(t)
}

func TestExportImportRoundTripSQLiteMariaDBSQLite(t *testing.T) {
	ctx := context.Background()
	src := modelstest.SQLite(t)
	seedEverything(t, src)
	file1, sum1 := exportOf(t, src)

	mid := mariaDBOrSQLite(t)
	if _, err := mid.Import(ctx, bytes.NewReader(file1)); err != nil {
		t.Fatalf("import into %s: %v", mid.Dialect, err)
	}
	sameRows(t, src, mid)
	file2, sum2 := exportOf(t, mid)

	dst := modelstest.SQLite(t)
	got, err := dst.Import(ctx, bytes.NewReader(file2))
	if err != nil {
		t.Fatalf("import back into SQLite: %v", err)
	}
	sameRows(t, src, dst)
	for i := range sum1.Tables {
		if sum1.Tables[i] != sum2.Tables[i] || sum1.Tables[i] != got.Tables[i] {
			t.Errorf("table %s: %+v exported from SQLite, %+v from %s, %+v imported", sum1.Tables[i].Name,
				sum1.Tables[i], sum2.Tables[i], mid.Dialect, got.Tables[i])
		}
	}
	if sum1.Rows("alunos") != 2 || sum1.Rows("alunos_excluidos") != 1 || sum1.Rows("users") != 2 {
		t.Fatalf("export counts %+v", sum1.Tables)
	}
	for _, db := range []*models.Database{mid, dst} {
		checkUsableAfterImport(t, db)
	}
}

// checkUsableAfterImport checks that an imported database goes on: a new
// student is numbered after every imported one (the deleted too), and
// the deleted one comes back from the trash.
func checkUsableAfterImport(t *testing.T, db *models.Database) {
	t.Helper()
	ctx := context.Background()
	s := models.NewAlunoStore(db)
	q, _ := models.ParseListQuery(models.TrashList, nil)
	trash, _, err := s.Trash(ctx, q)
	if err != nil || len(trash) != 1 {
		t.Fatalf("%s: trash %+v %v", db.Dialect, trash, err)
	}
	fresh := mustCreate(t, s, "Nova", "1A", "R9")
	if fresh.ID <= trash[0].ID {
		t.Fatalf("%s: a new student got id %d, not after the deleted %d", db.Dialect, fresh.ID, trash[0].ID)
	}
	if back, err := s.Restore(ctx, tester, trash[0].ID); err != nil || back.Version != trash[0].Version {
		t.Fatalf("%s: restore after import: %+v %v", db.Dialect, back, err)
	}
	if n := searchTotal(t, s, "bruno"); n != 1 {
		t.Fatalf("%s: search after import finds %d", db.Dialect, n)
	}
}

// sameRows compares the two databases table by table through GORM (not
// through the export's own encoding).
func sameRows(t *testing.T, a, b *models.Database) {
	t.Helper()
	sameTable[models.Aluno](t, a, b)
	sameTable[models.AlunoExcluido](t, a, b)
	sameTable[models.AlunoPalavra](t, a, b)
	sameTable[models.Turma](t, a, b)
	sameTable[models.User](t, a, b)
	sameTable[models.Role](t, a, b)
	sameTable[models.RolePermission](t, a, b)
	sameTable[models.APIToken](t, a, b)
	sameTable[models.AuditEvent](t, a, b)
	sameTable[models.Setting](t, a, b)
	type userRole struct{ UserID, RoleID int64 }
	var ra, rb []userRole
	for db, rows := range map[*models.Database]*[]userRole{a: &ra, b: &rb} {
		if err := db.Raw("SELECT user_id, role_id FROM user_roles ORDER BY user_id, role_id").Scan(rows).Error; err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(ra, rb) || len(ra) == 0 {
		t.Errorf("user_roles: %v on %s, %v on %s", ra, a.Dialect, rb, b.Dialect)
	}
}

// sameTable compares every row of T's table in a and b, sorted the same
// way, with times in UTC (each driver picks its own location).
func sameTable[T any](t *testing.T, a, b *models.Database) {
	t.Helper()
	read := func(db *models.Database) []string {
		var rows []T
		if err := db.Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(rows))
		for i := range rows {
			utcTimes(reflect.ValueOf(&rows[i]).Elem())
			out[i] = fmt.Sprintf("%+v", rows[i])
		}
		slices.Sort(out)
		return out
	}
	ra, rb := read(a), read(b)
	if !slices.Equal(ra, rb) || len(ra) == 0 {
		var zero T
		t.Errorf("%T differs or is empty:\n%s: %s\n%s: %s", zero, a.Dialect, strings.Join(ra, "\n"), b.Dialect, strings.Join(rb, "\n"))
	}
}

// utcTimes puts every time field of a struct value in UTC.
func utcTimes(v reflect.Value) {
	for i := range v.NumField() {
		switch f := v.Field(i); x := f.Addr().Interface().(type) {
		case *time.Time:
			*x = x.UTC()
		case **time.Time:
			if *x != nil {
				u := (*x).UTC()
				*x = &u
			}
		}
	}
}

// regzip decompresses a file, edits its text and compresses it again.
func regzip(t *testing.T, file []byte, edit func(string) string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write([]byte(edit(string(text))))
	zw.Close()
	return out.Bytes()
}

func TestImportRefusesADamagedFileAndKeepsNothing(t *testing.T) {
	src := modelstest.SQLite(t)
	seedEverything(t, src)
	file, _ := exportOf(t, src)
	flipped := bytes.Clone(file)
	flipped[len(flipped)/2] ^= 0x40
	dropLine := func(match string) func(string) string {
		return func(text string) string {
			lines := strings.SplitAfter(text, "\n")
			i := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, match) })
			return strings.Join(slices.Delete(lines, i, i+1), "")
		}
	}
	cases := []struct {
		name string
		file []byte
	}{
		{"cut short", file[:len(file)*2/3]},
		{"cut before the gzip trailer", file[:len(file)-4]},
		{"a flipped bit", flipped},
		{"a changed name", regzip(t, file, func(s string) string { return strings.Replace(s, "Ana Souza", "Ana Sousa", 1) })},
		{"a changed version", regzip(t, file, func(s string) string { return strings.Replace(s, `"R1",2,`, `"R1",3,`, 1) })},
		{"a row removed", regzip(t, file, dropLine(`"AB-1.X"`))},
		{"no closing line", regzip(t, file, dropLine(`"complete":true`))},
		{"not gzip", []byte("id,nome\n1,Ana\n")},
		{"empty", nil},
	}
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		for _, tc := range cases {
			_, err := db.Import(context.Background(), bytes.NewReader(tc.file))
			if !errors.Is(err, models.ErrBadDump) {
				t.Errorf("%s: %v, want ErrBadDump", tc.name, err)
			}
			for _, table := range []string{"alunos", "users", "audit_events", "aluno_palavras"} {
				var n int64
				if db.Table(table).Count(&n); n != 0 {
					t.Fatalf("%s: %d rows kept in %s", tc.name, n, table)
				}
			}
		}
		if _, err := db.Import(context.Background(), bytes.NewReader(file)); err != nil {
			t.Fatalf("the intact file after the refused ones: %v", err)
		}
	})
}

func TestImportRefusesADatabaseThatHoldsData(t *testing.T) {
	src := modelstest.SQLite(t)
	seedEverything(t, src)
	file, _ := exportOf(t, src)
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		mustCreate(t, models.NewAlunoStore(db), "Ana", "1A", "R1")
		_, err := db.Import(context.Background(), bytes.NewReader(file))
		if !errors.Is(err, models.ErrDatabaseNotEmpty) || !strings.Contains(err.Error(), "alunos") {
			t.Fatalf("import into a database with a student: %v, want ErrDatabaseNotEmpty naming alunos", err)
		}
		if n, _ := models.NewAlunoStore(db).Count(context.Background()); n != 1 {
			t.Fatalf("the refused import left %d students", n)
		}
	})
}
