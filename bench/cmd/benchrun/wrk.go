package main

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

//go:embed lua/*.lua
var luaScripts embed.FS

// load is one run of wrk: where, how hard, for how long, with what.
type load struct {
	URL         string
	Script      string   // a file of lua/ without .lua
	Args        []string // after -- on wrk's command line
	Headers     []string // "Name: value"
	Threads     int
	Conns       int
	Duration    time.Duration
	CountStatus bool // count answers by status (costs wrk a little per answer)
}

// wrkResult is the summary common.lua prints.
type wrkResult struct {
	Requests   int64            `json:"requests"`
	DurationUS int64            `json:"duration_us"`
	Bytes      int64            `json:"bytes"`
	Connect    int64            `json:"connect"`
	Read       int64            `json:"read"`
	Write      int64            `json:"write"`
	Status     int64            `json:"status"` // answers other than 2xx and 3xx
	Timeout    int64            `json:"timeout"`
	P50        int64            `json:"p50_us"`
	P90        int64            `json:"p90_us"`
	P99        int64            `json:"p99_us"`
	Max        int64            `json:"max_us"`
	Mean       float64          `json:"mean_us"`
	Codes      map[string]int64 `json:"codes"`
}

// RPS is requests per second over the run.
func (r wrkResult) RPS() float64 {
	if r.DurationUS == 0 {
		return 0
	}
	return float64(r.Requests) / (float64(r.DurationUS) / 1e6)
}

// Errors are socket errors and timeouts.
func (r wrkResult) Errors() int64 { return r.Connect + r.Read + r.Write + r.Timeout }

// script writes the scenario's lua with the shared part to dir.
func script(dir, name string, countStatus bool) (string, error) {
	body, err := luaScripts.ReadFile("lua/" + name + ".lua")
	if err != nil {
		return "", err
	}
	common, err := luaScripts.ReadFile("lua/common.lua")
	if err != nil {
		return "", err
	}
	prefix := ""
	if countStatus {
		prefix = "count_status = true\n"
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%t.lua", name, countStatus))
	return path, os.WriteFile(path, []byte(prefix+string(body)+"\n"+string(common)), 0o644)
}

// runWrk runs wrk as a separate process and returns its summary; its full
// output goes to logName in dir.
func runWrk(ctx context.Context, dir, logName string, l load) (wrkResult, error) {
	path, err := script(dir, l.Script, l.CountStatus)
	if err != nil {
		return wrkResult{}, err
	}
	args := []string{"-t", strconv.Itoa(l.Threads), "-c", strconv.Itoa(l.Conns),
		"-d", fmt.Sprintf("%ds", max(1, int(l.Duration.Seconds()))), "--timeout", "10s", "-s", path}
	for _, h := range l.Headers {
		args = append(args, "-H", h)
	}
	args = append(append(args, l.URL, "--"), l.Args...)
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "wrk", args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	_ = os.WriteFile(filepath.Join(dir, logName+".wrk.txt"), out.Bytes(), 0o644)
	var res wrkResult
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "BENCHJSON "); ok {
			if err := json.Unmarshal([]byte(line), &res); err != nil {
				return res, fmt.Errorf("wrk summary: %w", err)
			}
			return res, nil
		}
	}
	return res, fmt.Errorf("wrk %s gave no summary (%v): %.500s", logName, runErr, out.String())
}
