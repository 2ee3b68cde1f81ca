package reliability

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"schooladmin/models/modelstest"
)

// TestSchemaSuitsReplicationAndGalera migrates a database on a server
// whose defaults are latin1 and checks what row-based replication and
// Galera require of every table (a primary key, InnoDB) and that text is
// utf8mb4 everywhere regardless of the server's defaults; a 4-byte
// character then round-trips through the API.
func TestSchemaSuitsReplicationAndGalera(t *testing.T) {
	m := modelstest.StartMariaDBD(t, "--character-set-server=latin1", "--collation-server=latin1_swedish_ci")
	m.Exec("CREATE DATABASE school CHARACTER SET latin1 COLLATE latin1_swedish_ci")
	app := startApp(t, "app", map[string]string{"DATABASE_URL": m.URL("school")})
	app.waitReady(60 * time.Second)

	db := openSQL(t, m.Addr(), "information_schema")
	checks := []struct{ what, query string }{
		{"tables without a primary key", `SELECT t.TABLE_NAME FROM TABLES t WHERE t.TABLE_SCHEMA = 'school' AND NOT EXISTS (
			SELECT 1 FROM TABLE_CONSTRAINTS c WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME
			AND c.CONSTRAINT_TYPE = 'PRIMARY KEY')`},
		{"tables not in InnoDB", `SELECT TABLE_NAME FROM TABLES WHERE TABLE_SCHEMA = 'school' AND ENGINE <> 'InnoDB'`},
		{"tables not utf8mb4", `SELECT TABLE_NAME FROM TABLES WHERE TABLE_SCHEMA = 'school' AND TABLE_COLLATION NOT LIKE 'utf8mb4%'`},
		{"text columns not utf8mb4", `SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) FROM COLUMNS
			WHERE TABLE_SCHEMA = 'school' AND CHARACTER_SET_NAME IS NOT NULL AND CHARACTER_SET_NAME <> 'utf8mb4'`},
	}
	for _, c := range checks {
		if bad := queryStrings(t, db, c.query); len(bad) > 0 {
			t.Errorf("%s: %s", c.what, strings.Join(bad, ", "))
		}
	}
	if n := queryInt(t, db, "SELECT COUNT(*) FROM TABLES WHERE TABLE_SCHEMA = 'school'"); n < 5 {
		t.Fatalf("only %d tables were created", n)
	}

	token := app.adminToken()
	const nome = "😀 Zoë Ærøskøbing 日本"
	a := createAluno(t, app.url, token, nome, "3º Ano", "LATIN-1")
	status, body, err := get(fmt.Sprintf("%s/alunos/%d", app.url, a.ID), token, "", nil)
	var got student
	if err != nil || status != http.StatusOK || json.Unmarshal(body, &got) != nil || got.Nome != nome {
		t.Fatalf("round trip on a latin1 server: %d %v %s", status, err, body)
	}
}

func queryStrings(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
