package reliability

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"schooladmin/e2e/e2etest"
	"schooladmin/models/modelstest"
)

// binary is the schooladmin program built once for the package.
var binary string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "schooladmin-reliability-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "schooladmin")
	build := exec.Command("go", "build", "-o", binary, "./cmd/schooladmin")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build ./cmd/schooladmin: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// adminPassword is the bootstrap administrator's password in every test.
const adminPassword = "uma senha longa de teste 42"

// appProc is one schooladmin process started by a test. Its standard
// error is kept (shown when the test fails); it is stopped, SIGTERM then
// SIGKILL, when the test ends.
type appProc struct {
	t      *testing.T
	name   string
	addr   string // host:port it listens on
	url    string // http://addr
	env    []string
	cmd    *exec.Cmd
	stderr *e2etest.LockedBuffer
	exited chan struct{}
	err    error // the exit status; read after exited is closed
}

// appEnv is the environment of a process: only what the test sets, plus
// PATH and HOME, so nothing leaks in from the developer's shell.
func appEnv(vars map[string]string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(), "TMPDIR=" + os.TempDir()}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

// startApp runs `schooladmin serve` with vars (ADDR is chosen when not
// given; ADMIN_PASSWORD defaults to adminPassword). It does not wait for
// readiness: see waitReady.
func startApp(t *testing.T, name string, vars map[string]string) *appProc {
	t.Helper()
	v := map[string]string{"ADMIN_PASSWORD": adminPassword, "LOG_LEVEL": "warn"}
	for k, val := range vars {
		v[k] = val
	}
	if v["ADDR"] == "" {
		v["ADDR"] = e2etest.FreeAddr(t)
	}
	a := &appProc{t: t, name: name, addr: v["ADDR"], url: "http://" + v["ADDR"], env: appEnv(v),
		stderr: &e2etest.LockedBuffer{}, exited: make(chan struct{})}
	a.cmd = exec.Command(binary, "serve")
	a.cmd.Env, a.cmd.Stderr, a.cmd.Stdout = a.env, a.stderr, a.stderr
	modelstest.DieWithParent(a.cmd)
	if err := a.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		a.err = a.cmd.Wait()
		close(a.exited)
	}()
	running.set(t)
	t.Cleanup(func() {
		running.set(nil)
		a.stop()
		if t.Failed() {
			t.Logf("--- %s's log ---\n%s", a.name, lastLines(a.stderr.String(), 30))
		}
	})
	return a
}

func (a *appProc) stop() {
	if !a.running() {
		return
	}
	a.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-a.exited:
	case <-time.After(20 * time.Second):
		a.cmd.Process.Kill()
		<-a.exited
	}
}

func (a *appProc) running() bool {
	select {
	case <-a.exited:
		return false
	default:
		return true
	}
}

// waitReady polls /readyz until it answers 200; it fails the test when
// the process exits first or timeout passes.
func (a *appProc) waitReady(timeout time.Duration) {
	a.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if status, _, err := get(a.url+"/readyz", "", "", nil); err == nil && status == 200 {
			return
		}
		if !a.running() {
			a.t.Fatalf("%s exited before it was ready (%v):\n%s", a.name, a.err, lastLines(a.stderr.String(), 20))
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("%s not ready after %s:\n%s", a.name, timeout, lastLines(a.stderr.String(), 20))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitExit waits for the process to end and returns its exit code.
func (a *appProc) waitExit(timeout time.Duration) int {
	a.t.Helper()
	select {
	case <-a.exited:
	case <-time.After(timeout):
		a.t.Fatalf("%s still running after %s", a.name, timeout)
	}
	if a.err == nil {
		return 0
	}
	if exit, ok := a.err.(*exec.ExitError); ok {
		return exit.ExitCode()
	}
	a.t.Fatalf("%s: %v", a.name, a.err)
	return -1
}

// cli runs another schooladmin command with the same environment (so the
// same database) and returns its standard output.
func (a *appProc) cli(stdin string, args ...string) string {
	a.t.Helper()
	return runCLI(a.t, a.env, stdin, args...)
}

func runCLI(t *testing.T, env []string, stdin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env, cmd.Stdin = env, strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("schooladmin %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// adminToken creates an API token for the bootstrap administrator.
func (a *appProc) adminToken() string {
	a.t.Helper()
	return strings.TrimSpace(a.cli("", "token", "create", "--username", "admin"))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// eventually polls check every 100 ms until it returns nil or timeout
// passes, and returns the last error.
func eventually(timeout time.Duration, check func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
