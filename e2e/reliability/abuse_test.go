package reliability

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// abuseApp runs the real binary on SQLite with a 1 s header timeout, one
// password hash at a time, and login throttling out of the way.
func abuseApp(t *testing.T) (*appProc, string) {
	t.Helper()
	app := startApp(t, "app", map[string]string{
		"DATABASE_URL":        "sqlite:" + filepath.Join(t.TempDir(), "app.db"),
		"READ_HEADER_TIMEOUT": "1s", "PASSWORD_HASH_WORKERS": "1",
		"LOGIN_MAX_FAILURES_PER_ADDRESS": "100000", "LOGIN_MAX_FAILURES_PER_ACCOUNT": "1000",
	})
	app.waitReady(30 * time.Second)
	return app, app.adminToken()
}

// TestAbuse runs the three abuse cases against one process.
func TestAbuse(t *testing.T) {
	app, token := abuseApp(t)
	t.Run("random paths add no metric series", func(t *testing.T) { randomPathsAddNoSeries(t, app) })
	t.Run("trickled headers are cut off", func(t *testing.T) { trickledHeadersAreCutOff(t, app) })
	t.Run("a login burst does not starve other requests", func(t *testing.T) { loginBurst(t, app, token) })
}

// series returns the identities (name and labels) of every sample in a
// Prometheus text exposition.
func series(t *testing.T, app *appProc) map[string]bool {
	t.Helper()
	status, body, err := get(app.url+"/metrics", "", "", nil)
	if err != nil || status != http.StatusOK {
		t.Fatalf("/metrics: %d %v", status, err)
	}
	ids := map[string]bool{}
	for line := range strings.SplitSeq(string(body), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ids[line[:strings.LastIndexByte(line, ' ')]] = true
	}
	return ids
}

func randomPath() string {
	b := make([]byte, 12)
	rand.Read(b)
	h := hex.EncodeToString(b)
	return fmt.Sprintf("/%s/%s/%s?%s=%s", h[:6], h[6:14], h[14:], h[:3], h[3:9])
}

func randomPathsAddNoSeries(t *testing.T, app *appProc) {
	get(app.url+randomPath(), "", "", nil) // the one shared series of unmatched requests
	series(t, app)                         // and /metrics' own
	before := series(t, app)

	paths := make(chan string)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			for p := range paths {
				if status, _, err := get(app.url+p, "", "", nil); err != nil || status != http.StatusNotFound {
					t.Errorf("GET %s: %d %v, want 404", p, status, err)
				}
			}
		})
	}
	for range 1000 {
		paths <- randomPath()
	}
	close(paths)
	wg.Wait()

	after := series(t, app)
	var added []string
	for id := range after {
		if !before[id] {
			added = append(added, id)
		}
	}
	slices.Sort(added)
	if len(added) > 0 {
		t.Fatalf("1000 random paths added %d series, e.g. %v", len(added), added[:min(5, len(added))])
	}
	t.Logf("%d series before and after 1000 random paths", len(before))
}

// trickledHeadersAreCutOff sends a request head one byte every 200 ms;
// with READ_HEADER_TIMEOUT=1s the server must close the connection within
// a few seconds (the 5 s default would not be cut off in 4).
func trickledHeadersAreCutOff(t *testing.T, app *appProc) {
	conn, err := net.Dial("tcp", app.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	closed := make(chan time.Duration, 1)
	go func() {
		io.Copy(io.Discard, conn) // returns when the server closes the connection
		closed <- time.Since(start)
	}()
	head := "GET /alunos HTTP/1.1\r\nHost: " + app.addr + "\r\nX-Slow: " + strings.Repeat("a", 100)
	for i := 0; i < len(head); i++ {
		select {
		case took := <-closed:
			if took > 4*time.Second {
				t.Fatalf("connection closed only after %s", took)
			}
			t.Logf("trickling client cut off after %s", took.Round(time.Millisecond))
			return
		case <-time.After(200 * time.Millisecond):
		}
		conn.Write([]byte{head[i]}) // fails once the server has closed
		if time.Since(start) > 4*time.Second {
			break
		}
	}
	t.Fatalf("a client trickling headers was still connected after %s", time.Since(start).Round(time.Millisecond))
}

// loginBurst sends 30 logins at once to a server allowed one password hash
// at a time while an API client keeps listing students: every list and
// every login must succeed. Latencies are logged, not asserted.
func loginBurst(t *testing.T, app *appProc, token string) {
	burstDone := make(chan struct{})
	var latencies []time.Duration
	var listErrs []string
	lister := make(chan struct{})
	go func() {
		defer close(lister)
		for {
			start := time.Now()
			status, body, err := get(app.url+"/alunos", token, "", nil)
			latencies = append(latencies, time.Since(start))
			if err != nil || status != http.StatusOK {
				listErrs = append(listErrs, fmt.Sprintf("%d %v %.100s", status, err, body))
			}
			select {
			case <-burstDone:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()

	statuses := make([]int, 30)
	browsers := make([]*browser, len(statuses))
	for i := range browsers {
		browsers[i] = newBrowser(t)
		browsers[i].csrf(app.url + "/login") // the session cookie and token, before the burst
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i, b := range browsers {
		wg.Go(func() { statuses[i] = b.login(app.url, "admin", adminPassword) })
	}
	wg.Wait()
	burst := time.Since(start)
	close(burstDone)
	<-lister

	for i, s := range statuses {
		if s != http.StatusSeeOther {
			t.Errorf("login %d of the burst: status %d, want 303", i, s)
		}
	}
	if len(listErrs) > 0 {
		t.Errorf("%d of %d list requests failed during the login burst: %v", len(listErrs), len(latencies), listErrs)
	}
	slices.Sort(latencies)
	t.Logf("30 logins took %s; %d list requests meanwhile, median %s, slowest %s", burst.Round(time.Millisecond),
		len(latencies), latencies[len(latencies)/2].Round(time.Millisecond), latencies[len(latencies)-1].Round(time.Millisecond))
}
