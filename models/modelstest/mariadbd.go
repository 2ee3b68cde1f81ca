package modelstest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// MariaDBD is a private MariaDB server for one test: its own data
// directory, made by mariadb-install-db, and its own port on 127.0.0.1, so
// a test may stop, kill or restart it without touching any shared server.
// root has an empty password over TCP. Its methods fail the test on error
// and must be called from the test's goroutine.
type MariaDBD struct {
	t      testing.TB
	bin    string
	dir    string // holds the data directory, socket, pid file and log
	port   int
	args   []string
	cmd    *exec.Cmd
	exited chan struct{} // closed when the running process has exited
}

// Generous bounds: the machine may be busy with other builds.
const (
	mariadbdStartTimeout = 90 * time.Second
	mariadbdStopTimeout  = 60 * time.Second
)

// StartMariaDBD initialises a data directory and starts a server on it;
// extraArgs are added to mariadbd's command line (for example --log-bin
// and --server-id for replication). The test is skipped when MariaDB is
// not installed (or fails, under SCHOOLADMIN_REQUIRE_ALL=1). The server is
// stopped and its files removed when the test ends.
func StartMariaDBD(t testing.TB, extraArgs ...string) *MariaDBD {
	t.Helper()
	bin := findProgram("mariadbd", "/usr/sbin/mariadbd")
	install := findProgram("mariadb-install-db", "/usr/bin/mariadb-install-db")
	if bin == "" || install == "" {
		SkipUnlessRequired(t, "mariadbd or mariadb-install-db is not installed (Debian package mariadb-server)")
	}
	// A short directory: a Unix socket path may not exceed about 100 bytes.
	dir, err := os.MkdirTemp("", "mariadbd-")
	if err != nil {
		t.Fatal(err)
	}
	m := &MariaDBD{t: t, bin: bin, dir: dir, port: freePort(t)}
	t.Cleanup(func() {
		m.stop(true)
		if t.Failed() {
			t.Logf("--- end of the private mariadbd's error log ---\n%s", m.logTail(15))
		}
		os.RemoveAll(dir)
	})
	m.args = append(m.serverArgs(), extraArgs...)
	m.initialise(install)
	m.Start()
	return m
}

func findProgram(name, fallback string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if _, err := os.Stat(fallback); err == nil {
		return fallback
	}
	return ""
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// storageArgs keep the data directory small (about 20 MB) and quick to
// create; mariadb-install-db and mariadbd must agree on them.
var storageArgs = []string{
	"--innodb-data-file-path=ibdata1:4M:autoextend", "--innodb-autoextend-increment=1",
	"--innodb-log-file-size=4M", "--innodb-buffer-pool-size=32M",
}

// userArgs lets the server run when the tests run as root, which
// mariadbd otherwise refuses.
func userArgs() []string {
	if os.Geteuid() == 0 {
		return []string{"--user=root"}
	}
	return nil
}

func (m *MariaDBD) serverArgs() []string {
	args := []string{
		"--no-defaults", // must come first
		"--datadir=" + filepath.Join(m.dir, "data"),
		"--bind-address=127.0.0.1", "--port=" + strconv.Itoa(m.port),
		"--socket=" + filepath.Join(m.dir, "mysqld.sock"),
		"--pid-file=" + filepath.Join(m.dir, "mysqld.pid"),
		"--log-error=" + filepath.Join(m.dir, "error.log"),
		"--skip-name-resolve",
		"--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
		"--max-connections=300",
	}
	return append(append(args, storageArgs...), userArgs()...)
}

func (m *MariaDBD) initialise(install string) {
	m.t.Helper()
	args := append([]string{
		"--no-defaults", "--datadir=" + filepath.Join(m.dir, "data"),
		"--auth-root-authentication-method=normal", "--skip-test-db",
	}, append(storageArgs, userArgs()...)...)
	ctx, cancel := context.WithTimeout(context.Background(), mariadbdStartTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, install, args...)
	DieWithParent(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		m.t.Fatalf("mariadb-install-db: %v\n%s", err, tail(out, 20))
	}
}

// Start starts the server (after Stop or Kill) on the same port and data,
// and waits until it accepts connections.
func (m *MariaDBD) Start() {
	m.t.Helper()
	if m.Running() {
		m.t.Fatal("mariadbd: Start while running")
	}
	cmd := exec.Command(m.bin, m.args...)
	DieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		m.t.Fatalf("start mariadbd: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	m.cmd, m.exited = cmd, exited
	deadline := time.Now().Add(mariadbdStartTimeout)
	for {
		err := m.ping()
		if err == nil {
			return
		}
		select {
		case <-exited:
			m.t.Fatalf("mariadbd exited while starting:\n%s", m.logTail(20))
		default:
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("mariadbd did not accept connections within %s: %v\n%s", mariadbdStartTimeout, err, m.logTail(20))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop shuts the server down cleanly, as a service manager does (SIGTERM),
// and waits until it has exited.
func (m *MariaDBD) Stop() {
	m.t.Helper()
	m.stop(false)
}

// Kill ends the server at once with SIGKILL, as a crash would: no clean
// shutdown, connections drop, the next Start runs crash recovery.
func (m *MariaDBD) Kill() {
	m.t.Helper()
	m.stop(true)
}

// Restart stops the server cleanly and starts it again.
func (m *MariaDBD) Restart() {
	m.t.Helper()
	m.Stop()
	m.Start()
}

func (m *MariaDBD) stop(kill bool) {
	if !m.Running() {
		return
	}
	if kill {
		m.cmd.Process.Kill()
		<-m.exited
		return
	}
	m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
	case <-time.After(mariadbdStopTimeout):
		m.cmd.Process.Kill()
		<-m.exited
		m.t.Errorf("mariadbd ignored SIGTERM for %s and was killed", mariadbdStopTimeout)
	}
}

// Running reports whether the server process is alive.
func (m *MariaDBD) Running() bool {
	if m.exited == nil {
		return false
	}
	select {
	case <-m.exited:
		return false
	default:
		return true
	}
}

// Addr is the server's host:port.
func (m *MariaDBD) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(m.port)) }

// ServerURL is the server as TEST_MARIADB_URL names one: no database.
func (m *MariaDBD) ServerURL() string { return "mysql://root@" + m.Addr() }

// URL is a DATABASE_URL for database name on this server.
func (m *MariaDBD) URL(name string) string { return MariaDBURL(m.ServerURL(), name) }

// CreateDatabase creates an empty utf8mb4 database.
func (m *MariaDBD) CreateDatabase(name string) {
	m.t.Helper()
	m.Exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
}

// Exec runs one statement as root, with no default database.
func (m *MariaDBD) Exec(query string, args ...any) {
	m.t.Helper()
	db, err := sql.Open("mysql", m.dsn())
	if err != nil {
		m.t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, query, args...); err != nil {
		m.t.Fatalf("%s: %v", query, err)
	}
}

// dsn is the driver's address of the server as root, no database.
func (m *MariaDBD) dsn() string {
	cfg := mysql.NewConfig()
	cfg.User, cfg.Net, cfg.Addr = "root", "tcp", m.Addr()
	cfg.Timeout = 2 * time.Second
	return cfg.FormatDSN()
}

func (m *MariaDBD) ping() error {
	db, err := sql.Open("mysql", m.dsn())
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

func (m *MariaDBD) logTail(n int) string {
	b, err := os.ReadFile(filepath.Join(m.dir, "error.log"))
	if err != nil {
		return fmt.Sprintf("(no error log: %v)", err)
	}
	return tail(b, n)
}

func tail(b []byte, n int) string {
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// DieWithParent asks the kernel to kill cmd's process when the test binary
// dies, where the platform can (Linux's Pdeathsig), so a test killed by
// -timeout leaves no server behind. The field exists only on some
// platforms, hence reflection rather than a build-tagged file per system.
func DieWithParent(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	f := reflect.ValueOf(cmd.SysProcAttr).Elem().FieldByName("Pdeathsig")
	if f.IsValid() && f.CanSet() {
		f.Set(reflect.ValueOf(syscall.SIGKILL))
	}
}
