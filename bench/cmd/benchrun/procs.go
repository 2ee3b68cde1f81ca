package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// proc is a server process the benchmark started.
type proc struct {
	name string
	cmd  *exec.Cmd
	addr string // host:port it listens on
	log  string // file with its output
	done chan error
}

// startProc starts bin with args and extra environment, output to a log
// file in dir.
func startProc(dir, name, addr, bin string, env []string, args ...string) (*proc, error) {
	logPath := dir + "/" + name + ".log"
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, addr: addr, log: logPath, done: make(chan error, 1)}
	go func() {
		p.done <- cmd.Wait()
		logFile.Close()
	}()
	return p, nil
}

// pid is the process id.
func (p *proc) pid() int { return p.cmd.Process.Pid }

// waitReady polls path until it answers 200, and returns how long it took
// from start.
func (p *proc) waitReady(path string, start time.Time, limit time.Duration) (time.Duration, error) {
	client := &http.Client{Timeout: time.Second}
	deadline := start.Add(limit)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			p.done <- err
			return 0, fmt.Errorf("%s exited before it was ready (%v); see %s", p.name, err, p.log)
		default:
		}
		if resp, err := client.Get("http://" + p.addr + path); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 0, fmt.Errorf("%s not ready after %s; see %s", p.name, limit, p.log)
}

// stop sends SIGTERM and waits for the exit (SIGKILL after a grace).
func (p *proc) stop() error {
	if p == nil {
		return nil
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err
		return err
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		return errors.New(p.name + " ignored SIGTERM")
	}
}

// resetPeakRSS makes the kernel start the process's peak RSS (VmHWM) over
// from its current RSS, so each scenario gets its own peak.
func resetPeakRSS(pid int) {
	_ = os.WriteFile("/proc/"+strconv.Itoa(pid)+"/clear_refs", []byte("5"), 0)
}

// peakRSS reads VmHWM (peak resident memory) in MiB.
func peakRSS(pid int) float64 { return statusMiB(pid, "VmHWM:") }

func statusMiB(pid int, field string) float64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// settleRSS waits (at most limit) until the process's resident memory
// stops shrinking: the Go runtime returns memory freed after start-up or
// a login (argon2id takes 19 MiB) to the system over some seconds, and a
// peak measured before that would count it.
func settleRSS(pid int, limit time.Duration) float64 {
	deadline := time.Now().Add(limit)
	last, stable := statusMiB(pid, "VmRSS:"), 0
	for time.Now().Before(deadline) && stable < 4 {
		time.Sleep(500 * time.Millisecond)
		now := statusMiB(pid, "VmRSS:")
		if now > last-0.25 {
			stable++
		} else {
			stable = 0
		}
		last = now
	}
	return last
}

// cpuSeconds is the user and system CPU time a process has used.
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	_, rest, ok := strings.Cut(string(b), ") ") // the command name may hold spaces
	fields := strings.Fields(rest)
	if !ok || len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / 100 // USER_HZ is 100 on Linux
}

// findProcess returns the id of the first process whose command is one
// of names (the database server), or 0.
func findProcess(names ...string) int {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile("/proc/" + e.Name() + "/comm")
		if err == nil && slices.Contains(names, strings.TrimSpace(string(comm))) {
			return pid
		}
	}
	return 0
}

// freeAddr returns a loopback address nobody listens on.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// runCmd runs a command to completion and returns its standard output.
func runCmd(ctx context.Context, env []string, stdin string, bin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %v: %s", bin, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}
