package reliability

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"schooladmin/models/modelstest"
)

// startReplication makes replica a replica of primary (GTID-based
// MariaDB replication) and waits for it to run.
func startReplication(t *testing.T, primary, replica *modelstest.MariaDBD) {
	t.Helper()
	_, port, err := net.SplitHostPort(primary.Addr())
	if err != nil {
		t.Fatal(err)
	}
	replica.Exec(fmt.Sprintf("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%s, MASTER_USER='root', "+
		"MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1", port))
	replica.Exec("START SLAVE")
}

// waitCaughtUp waits until replica has applied everything primary has
// written so far.
func waitCaughtUp(t *testing.T, primary, replica *sql.DB) {
	t.Helper()
	var pos string
	if err := primary.QueryRow("SELECT @@gtid_binlog_pos").Scan(&pos); err != nil {
		t.Fatal(err)
	}
	var res int
	if err := replica.QueryRow("SELECT MASTER_GTID_WAIT(?, 30)", pos).Scan(&res); err != nil || res != 0 {
		t.Fatalf("replica did not reach GTID %s within 30 s (%d, %v)", pos, res, err)
	}
}

// listRAs lists students through the API, returning their RAs by id and
// X-Total-Count.
func listRAs(t *testing.T, app *appProc, token string) (map[int64]student, int) {
	t.Helper()
	status, header, body, err := call(apiClient, http.MethodGet, app.url+"/alunos?per_page=500", "", "Authorization", "Bearer "+token)
	var list []student
	if err != nil || status != http.StatusOK || json.Unmarshal(body, &list) != nil {
		t.Fatalf("list: %d %v %.200s", status, err, body)
	}
	total, _ := strconv.Atoi(header.Get("X-Total-Count"))
	byID := map[int64]student{}
	for _, s := range list {
		byID[s.ID] = s
	}
	return byID, total
}

// TestListsReadFromTheReplica runs the app on a primary with a second
// private server as its replica through real MariaDB replication, the app
// connecting as a user without SUPER so the read-only replica refuses
// writes. With the replica's SQL thread stopped (the replica lags), a new
// student is created (on the primary), GET /alunos/ID finds it (primary)
// but the list and its count do not (replica); an update shows on
// GET /alunos/ID but not yet in the list. Once replication resumes, the
// list catches up.
func TestListsReadFromTheReplica(t *testing.T) {
	primary := modelstest.StartMariaDBD(t, "--log-bin=primary-bin", "--server-id=1", "--binlog-format=ROW")
	replica := modelstest.StartMariaDBD(t, "--server-id=2", "--read-only=1", "--relay-log=replica-relay")
	startReplication(t, primary, replica)
	primary.CreateDatabase("school")
	primary.Exec("CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY 'app-secret'")
	primary.Exec("GRANT ALL PRIVILEGES ON school.* TO 'app'@'127.0.0.1'")
	primaryDB, replicaDB := openSQL(t, primary.Addr(), "mysql"), openSQL(t, replica.Addr(), "mysql")
	waitCaughtUp(t, primaryDB, replicaDB)

	appURL := func(m *modelstest.MariaDBD) string { return "mysql://app:app-secret@" + m.Addr() + "/school" }
	app := startApp(t, "app", map[string]string{"DATABASE_URL": appURL(primary), "DATABASE_REPLICA_URLS": appURL(replica)})
	app.waitReady(60 * time.Second)
	token := app.adminToken()
	first := createAluno(t, app.url, token, "Primeira Aluna", "1A", "REP-1")
	waitCaughtUp(t, primaryDB, replicaDB)
	if list, total := listRAs(t, app, token); total != 1 || list[first.ID].RA != "REP-1" {
		t.Fatalf("list after replication: %v (total %d)", list, total)
	}

	replica.Exec("STOP SLAVE SQL_THREAD") // the replica now lags behind
	second := createAluno(t, app.url, token, "Segunda Aluna", "1A", "REP-2")
	if status, body, _ := get(fmt.Sprintf("%s/alunos/%d", app.url, second.ID), token, "", nil); status != http.StatusOK {
		t.Fatalf("GET /alunos/%d right after the create: %d %.200s, want 200 from the primary", second.ID, status, body)
	}
	status, _, body, err := call(apiClient, http.MethodPatch, fmt.Sprintf("%s/alunos/%d", app.url, first.ID),
		`{"turma":"2B","version":1}`, "Authorization", "Bearer "+token, "Content-Type", "application/json")
	if err != nil || status != http.StatusOK {
		t.Fatalf("update with the replica lagging: %d %v %.200s", status, err, body)
	}
	if _, body, _ := get(fmt.Sprintf("%s/alunos/%d", app.url, first.ID), token, "", nil); !json.Valid(body) ||
		decodeStudent(t, body).Turma != "2B" {
		t.Fatalf("GET after the update: %s, want turma 2B from the primary", body)
	}
	list, total := listRAs(t, app, token)
	if total != 1 || len(list) != 1 || list[first.ID].Turma != "1A" {
		t.Fatalf("list with the replica lagging: %v (total %d), want only the first student, still in 1A: lists come from the replica", list, total)
	}
	if n := queryInt(t, replicaDB, "SELECT COUNT(*) FROM school.alunos"); n != 1 {
		t.Fatalf("the lagging replica has %d students: something wrote to it", n)
	}

	replica.Exec("START SLAVE SQL_THREAD")
	err = eventually(10*time.Second, func() error {
		list, total := listRAs(t, app, token)
		if total != 2 || list[second.ID].RA != "REP-2" || list[first.ID].Turma != "2B" {
			return fmt.Errorf("list %v (total %d)", list, total)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("after replication resumed: %v", err)
	}

	// With the only replica down, reads of one student and writes go on;
	// the list either falls back or answers 503, never a 500.
	replica.Stop()
	createAluno(t, app.url, token, "Terceira Aluna", "1A", "REP-3")
	if status, body, _ := get(fmt.Sprintf("%s/alunos/%d", app.url, second.ID), token, "", nil); status != http.StatusOK {
		t.Fatalf("GET one student with the replica down: %d %.200s", status, body)
	}
	status, body, err = get(app.url+"/alunos", token, "", nil)
	if err != nil || status != http.StatusOK && status != http.StatusServiceUnavailable {
		t.Fatalf("list with the replica down: %d %v %.200s, want 200 or 503", status, err, body)
	}
	t.Logf("list with the replica down: %d", status)
}

func decodeStudent(t *testing.T, body []byte) student {
	t.Helper()
	var s student
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatal(err)
	}
	return s
}
