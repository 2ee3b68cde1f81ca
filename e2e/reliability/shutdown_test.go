package reliability

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"schooladmin/models"
	"schooladmin/web/openapi/apitest"
)

// slowCreate is a POST /alunos on a raw connection whose body is written
// a few bytes at a time; the last byte waits for release.
type slowCreate struct {
	conn   net.Conn
	status int
	err    error
}

// send writes the request head at once, then the body in ten pieces over
// about two seconds except for its last byte, and finishes the body when
// release closes; then it reads the answer. It signals headSent and
// bodySent (buffered channels) exactly once each, whatever happens.
func (s *slowCreate) send(addr, token, body string, headSent, bodySent chan<- struct{}, release <-chan struct{}) {
	headDone := sync.OnceFunc(func() { headSent <- struct{}{} })
	bodyDone := sync.OnceFunc(func() { bodySent <- struct{}{} })
	defer headDone()
	defer bodyDone()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		s.err = err
		return
	}
	s.conn = conn
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	head := fmt.Sprintf("POST /alunos HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n", addr, token, len(body))
	if _, err := io.WriteString(conn, head); err != nil {
		s.err = err
		return
	}
	headDone()
	last := len(body) - 1
	step := (last + 9) / 10
	for i := 0; i < last; i += step {
		if _, err := io.WriteString(conn, body[i:min(i+step, last)]); err != nil {
			s.err = fmt.Errorf("writing the body: %w", err)
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	bodyDone()
	<-release
	if _, err := io.WriteString(conn, body[last:]); err != nil {
		s.err = fmt.Errorf("writing the last byte: %w", err)
		return
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		s.err = fmt.Errorf("reading the answer: %w", err)
		return
	}
	resp.Body.Close()
	s.status = resp.StatusCode
}

// TestGracefulShutdown sends SIGTERM to the real binary while 20 slow
// creates are in flight: /readyz turns 503 during the drain delay, new
// connections are refused after it, every request in flight still gets
// its 201 (and its student is stored), and the process exits 0 within the
// grace period.
func TestGracefulShutdown(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "app.db")
	app := startApp(t, "app", map[string]string{
		"DATABASE_URL": "sqlite:" + dbPath, "SHUTDOWN_DRAIN_DELAY": "1s", "SHUTDOWN_GRACE": "10s",
	})
	app.waitReady(30 * time.Second)
	token := app.adminToken()

	const n = 20
	reqs := make([]*slowCreate, n)
	var done sync.WaitGroup
	headSent, bodySent, release := make(chan struct{}, n), make(chan struct{}, n), make(chan struct{})
	for i := range reqs {
		reqs[i] = &slowCreate{}
		done.Go(func() {
			reqs[i].send(app.addr, token, studentJSON("Em Voo", "1A", fmt.Sprintf("VOO-%02d", i)), headSent, bodySent, release)
		})
	}
	for range n {
		<-headSent
	}
	time.Sleep(300 * time.Millisecond) // the server has read every head and waits for the bodies
	app.cmd.Process.Signal(syscall.SIGTERM)
	signalled := time.Now()

	// During the drain delay /readyz says 503 on a new connection...
	fresh := &http.Client{Timeout: 5 * time.Second, Transport: apitest.Transport{T: t, Next: &http.Transport{DisableKeepAlives: true}}}
	err := eventually(5*time.Second, func() error {
		status, _, err := get(app.url+"/readyz", "", "", fresh)
		if err != nil {
			return fmt.Errorf("connection failed before /readyz said 503: %w", err)
		}
		if status != http.StatusServiceUnavailable {
			return fmt.Errorf("/readyz still %d", status)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("after SIGTERM: %v", err)
	}
	// ...and after it, new connections are refused while old ones finish.
	err = eventually(8*time.Second, func() error {
		conn, err := net.DialTimeout("tcp", app.addr, time.Second)
		if err == nil {
			conn.Close()
			return errors.New("a new connection was still accepted")
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			return fmt.Errorf("dial: %w, want connection refused", err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("after the drain delay: %v", err)
	}

	for range n {
		<-bodySent
	}
	close(release)
	done.Wait()
	for i, r := range reqs {
		if r.err != nil || r.status != http.StatusCreated {
			t.Errorf("request %d in flight: status %d, %v; want 201", i, r.status, r.err)
		}
		if r.conn != nil {
			r.conn.Close()
		}
	}
	if code := app.waitExit(12 * time.Second); code != 0 {
		t.Fatalf("exit status %d, want 0", code)
	}
	if took := time.Since(signalled); took > 11*time.Second {
		t.Errorf("exited %s after SIGTERM, past the 10 s grace period", took)
	}
	t.Logf("exited 0, %s after SIGTERM", time.Since(signalled).Round(time.Millisecond))

	db, err := models.Open("sqlite:"+dbPath, models.DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if count, err := models.NewAlunoStore(db).Count(context.Background()); err != nil || count != n {
		t.Fatalf("%d students stored (%v), want %d", count, err, n)
	}
}
