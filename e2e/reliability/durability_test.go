package reliability

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// createOutcome is how one client's create ended.
type createOutcome struct {
	ra       string
	keyed    bool // sent an Idempotency-Key and retried on failure
	status   int  // last status; 0 for a transport error
	id       int64
	attempts int
	err      error
}

// createClient creates one student. A keyed client retries what may
// succeed later (a transport error, a 5xx, a 409 "still in progress")
// with the same key and body until deadline; an unkeyed one tries once.
func createClient(baseURL, token, ra string, keyed bool, deadline *atomic.Int64, acked chan<- struct{}) createOutcome {
	o := createOutcome{ra: ra, keyed: keyed}
	body := studentJSON("Durável "+ra, "9Z", ra)
	var headers []string
	if keyed {
		headers = []string{"Idempotency-Key", "create-" + ra}
	}
	for {
		o.attempts++
		status, _, resp, err := postJSON(baseURL+"/alunos", token, body, headers...)
		o.status, o.err = status, err
		if status == http.StatusCreated {
			var created struct{ Aluno student }
			if jerr := json.Unmarshal(resp, &created); jerr != nil || created.Aluno.RA != ra {
				o.err = fmt.Errorf("201 with body %.200s", resp)
			}
			o.id = created.Aluno.ID
			acked <- struct{}{}
			return o
		}
		retryable := err != nil || status >= 500 || status == http.StatusConflict && strings.Contains(string(resp), "andamento")
		if !keyed || !retryable || time.Now().UnixNano() > deadline.Load() {
			if err == nil {
				o.err = fmt.Errorf("status %d: %.200s", status, resp)
			}
			return o
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestNothingAcknowledgedIsLost kills the database with SIGKILL while 50
// clients create students (in bursts of 10), then restarts it. Every
// student whose create got a 201 must exist exactly once with its audit
// event; no student may exist without its audit event (nothing
// half-written); the clients that use an Idempotency-Key and retry all end
// with a 201 for the student they sent.
func TestNothingAcknowledgedIsLost(t *testing.T) {
	m, app, token := appOnMariaDB(t, nil)
	const clients, burst = 50, 10
	acked := make(chan struct{}, clients)
	outcomes := make(chan createOutcome, clients)
	// Clients retry until 15 s after the database is back (the issue
	// allows 10 s to recover); until then, without a bound.
	var deadline atomic.Int64
	deadline.Store(time.Now().Add(5 * time.Minute).UnixNano())
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			time.Sleep(time.Duration(i/burst) * 300 * time.Millisecond)
			outcomes <- createClient(app.url, token, fmt.Sprintf("DUR-%03d", i), i%2 == 0, &deadline, acked)
		})
	}

	for range burst + 5 { // in the middle of the second burst
		select {
		case <-acked:
		case <-time.After(60 * time.Second):
			t.Fatal("the first creates did not succeed")
		}
	}
	m.Kill()
	t.Log("database killed")
	time.Sleep(time.Second)
	m.Start()
	deadline.Store(time.Now().Add(15 * time.Second).UnixNano())
	t.Log("database restarted")
	wg.Wait()
	close(outcomes)

	db := openSQL(t, m.Addr(), "school")
	var ok, failed, retried int
	for o := range outcomes {
		switch {
		case o.status == http.StatusCreated && o.err == nil:
			ok++
			var id int64
			n := queryInt(t, db, "SELECT COUNT(*) FROM alunos WHERE ra = ?", o.ra)
			if err := db.QueryRow("SELECT id FROM alunos WHERE ra = ?", o.ra).Scan(&id); n != 1 || err != nil || id != o.id {
				t.Errorf("%s got 201 with id %d, but the database has %d rows (id %d, %v)", o.ra, o.id, n, id, err)
			}
		case o.keyed:
			t.Errorf("%s: a client retrying with an Idempotency-Key still failed 15 s after the database returned, "+
				"after %d attempts: %v", o.ra, o.attempts, o.err)
		case o.err != nil && o.status != 0 && o.status < 500:
			t.Errorf("%s: unexpected answer: %v", o.ra, o.err)
		default:
			failed++
		}
		if o.attempts > 1 {
			retried++
		}
	}
	t.Logf("%d creates acknowledged, %d failed during the outage (no retry), %d clients retried", ok, failed, retried)
	if failed+retried == 0 {
		t.Fatal("no request met the outage: the test broke nothing")
	}

	students := queryInt(t, db, "SELECT COUNT(*) FROM alunos")
	audited := queryInt(t, db, "SELECT COUNT(*) FROM alunos a WHERE EXISTS (SELECT 1 FROM audit_events e "+
		"WHERE e.action = 'student.create' AND e.object_type = 'student' AND e.object_id = CAST(a.id AS CHAR))")
	events := queryInt(t, db, "SELECT COUNT(*) FROM audit_events WHERE action = 'student.create'")
	if students != audited || events != students {
		t.Errorf("%d students, %d of them with a create event, %d create events: something was half-written", students, audited, events)
	}
	if students < int64(ok) || students > clients {
		t.Errorf("%d students stored, %d acknowledged, %d sent", students, ok, clients)
	}
	if !app.running() {
		t.Fatal("the app exited during the outage")
	}
}
