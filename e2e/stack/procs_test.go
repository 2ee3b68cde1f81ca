package stack

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"schooladmin/models/modelstest"
)

// repoRoot is the module root, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	return root
}

// requireBinary returns the path of an installed program; without it the
// test skips, or fails under SCHOOLADMIN_REQUIRE_ALL=1.
func requireBinary(t *testing.T, name, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		modelstest.SkipUnlessRequired(t, fmt.Sprintf(
			"%s is not installed (Debian package %s, see .ci/stack-deps.sh)", name, debianPackage))
	}
	return path
}

// run executes a short command in dir and fails the test with its output
// when it does not succeed.
func run(t *testing.T, dir string, env []string, argv ...string) string {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return string(out)
}

// process is a program started for the test. Its output goes to a log
// file, shown when the test fails; it is stopped when the test ends.
type process struct {
	name    string
	logPath string
	exited  chan struct{}
	err     error // set before exited is closed
}

func startProcess(t *testing.T, name string, env []string, argv ...string) *process {
	t.Helper()
	p := &process{name: name, logPath: filepath.Join(t.TempDir(), name+".log"), exited: make(chan struct{})}
	logFile, err := os.Create(p.logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		logFile.Close()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.stop(cmd)
		if t.Failed() {
			t.Logf("--- last lines of the %s log ---\n%s", p.name, p.tail(40))
		}
	})
	return p
}

// stop asks for a graceful exit, as a service manager would, and kills
// the process only if it ignores that.
func (p *process) stop(cmd *exec.Cmd) {
	select {
	case <-p.exited:
		return
	default:
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-p.exited
	}
}

func (p *process) tail(n int) string {
	b, _ := os.ReadFile(p.logPath)
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// waitFor polls check until it returns nil. It fails the test when the
// timeout passes or when one of procs exits first.
func waitFor(t *testing.T, what string, timeout time.Duration, procs []*process, check func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return
		}
		for _, p := range procs {
			select {
			case <-p.exited:
				t.Fatalf("waiting for %s: %s exited (%v)\n%s", what, p.name, p.err, p.tail(40))
			default:
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: still %v after %s", what, err, timeout)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
