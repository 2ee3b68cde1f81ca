package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// row is one line of the results table.
type row struct {
	Scenario string
	Server   string // app, ceiling, ...
	Rows     int
	Load     string // wrk threads×connections, or how it was measured
	Res      wrkResult
	Bad      int64   // answers with an unexpected status
	RSS      float64 // peak RSS of the server during the run, MiB
	CPU      float64 // the server's CPU time per request, µs
	DBCPU    float64 // the database server's CPU time per request, µs
	Ratio    float64 // req/s (or p50 for latency rows) against Vs
	RatioP99 float64
	Vs       string
}

// target is one server's side of a scenario.
type target struct {
	server  string
	proc    *proc
	path    string
	script  string
	args    []string
	headers []string
	expect  []int // statuses that count as success when counting
}

// scenario is a throughput measurement on the app and its references;
// the first reference is what the ratio compares with.
type scenario struct {
	name        string
	countStatus bool
	app         target
	refs        []target
}

func (b *bench) bearer() string { return "Authorization: Bearer " + b.token }

// scenarios are the throughput measurements, reads first.
func (b *bench) scenarios() []scenario {
	tok := []string{b.bearer()}
	get := func(server string, p *proc, path string, headers []string) target {
		return target{server: server, proc: p, path: path, script: "get", headers: headers, expect: []int{200}}
	}
	list := func(path string) scenario {
		return scenario{name: "GET " + path + " (JSON, token)", app: get("app", b.app, path, tok),
			refs: []target{get("ceiling", b.ceiling, path, nil)}}
	}
	byID := func(server string, p *proc, prefix string, headers []string) target {
		return target{server: server, proc: p, path: prefix, script: "get_id", headers: headers, expect: []int{200},
			args: []string{prefix, "1", strconv.Itoa(b.rows)}}
	}
	post := func(server string, p *proc, path, ra string, headers []string) target {
		return target{server: server, proc: p, path: path, script: "post", headers: headers, expect: []int{201}, args: []string{path, ra}}
	}
	half := b.rows / 2
	patch := func(server string, p *proc, first, last int, headers []string) target {
		return target{server: server, proc: p, path: "/alunos/", script: "patch", headers: headers, expect: []int{200},
			args: []string{"/alunos/", strconv.Itoa(first), strconv.Itoa(last), strconv.Itoa(b.cfg.Threads)}}
	}
	main := list("/alunos")
	main.refs = append(main.refs, get("ceiling+auth", b.ceiling, "/authed/alunos", tok),
		get("ceiling, COUNT each request", b.ceiling, "/exact/alunos", nil))
	return []scenario{
		main,
		{name: "GET /alunos (HTML, session)", countStatus: true,
			app: get("app", b.app, "/alunos", []string{"Accept: " + browserAccept, "Cookie: COOKIE"})},
		{name: "GET /alunos/ID (JSON, token)", app: byID("app", b.app, "/alunos/", tok),
			refs: []target{byID("ceiling", b.ceiling, "/alunos/", nil), byID("ceiling+auth", b.ceiling, "/authed/alunos/", tok)}},
		list("/alunos?q=oliveira"),
		list("/alunos?turma=5B"),
		{name: "POST /alunos (JSON, token)", countStatus: true, app: post("app", b.app, "/alunos", "PA", tok),
			refs: []target{post("ceiling", b.ceiling, "/alunos", "PC", nil), post("ceiling, no audit", b.ceiling, "/plain/alunos", "PP", nil)}},
		{name: "PATCH /alunos/ID (If-Match)", countStatus: true, app: patch("app", b.app, 1, half, tok),
			refs: []target{patch("ceiling", b.ceiling, half+1, 2*half, nil)}},
	}
}

// throughput runs every scenario on the app, then on its references.
func (b *bench) throughput(ctx context.Context) error {
	var listCeiling *row
	for _, sc := range b.scenarios() {
		if b.cfg.Only != nil && !b.cfg.Only.MatchString(sc.name) {
			continue
		}
		for i := range sc.app.headers {
			sc.app.headers[i] = strings.Replace(sc.app.headers[i], "Cookie: COOKIE", "Cookie: "+b.cookie, 1)
		}
		if err := b.runScenario(ctx, sc, listCeiling); err != nil {
			return err
		}
		if listCeiling == nil && len(sc.refs) > 0 {
			ref := b.results[len(b.results)-len(sc.refs)]
			listCeiling = &ref
		}
	}
	return nil
}

// runScenario measures the app, then its references, and compares the
// app with the first reference (or, without one, with fallback).
func (b *bench) runScenario(ctx context.Context, sc scenario, fallback *row) error {
	appRow, err := b.runTarget(ctx, sc.name, sc.app, sc.countStatus, b.cfg.Threads, b.cfg.Conns)
	if err != nil {
		return err
	}
	var refRows []row
	for _, t := range sc.refs {
		r, err := b.runTarget(ctx, sc.name, t, sc.countStatus, b.cfg.Threads, b.cfg.Conns)
		if err != nil {
			return err
		}
		refRows = append(refRows, r)
	}
	switch {
	case len(refRows) > 0:
		compare(&appRow, refRows[0], refRows[0].Server)
	case fallback != nil:
		compare(&appRow, *fallback, "ceiling JSON list")
	}
	b.results = append(append(b.results, appRow), refRows...)
	return nil
}

func compare(r *row, ref row, vs string) {
	if ref.Res.RPS() > 0 {
		r.Ratio = r.Res.RPS() / ref.Res.RPS()
	}
	if ref.Res.P99 > 0 {
		r.RatioP99 = float64(r.Res.P99) / float64(ref.Res.P99)
	}
	r.Vs = vs
}

// runTarget drives one server with wrk.
func (b *bench) runTarget(ctx context.Context, name string, t target, countStatus bool, threads, conns int) (row, error) {
	logf("%s on %s (%d×%d, %s)", name, t.server, threads, conns, b.cfg.Duration)
	r, err := b.drive(ctx, name+"-"+t.server, t.proc, load{
		URL: "http://" + t.proc.addr + t.path, Script: t.script, Args: t.args, Headers: t.headers,
		Threads: threads, Conns: conns, Duration: b.cfg.Duration, CountStatus: countStatus,
	})
	if err != nil {
		return row{}, err
	}
	r.Scenario, r.Server = name, t.server
	if countStatus {
		r.Bad = unexpected(r.Res.Codes, t.expect)
		if r.Bad > 0 {
			b.note(fmt.Sprintf("%s on %s: answers by status %s.", name, t.server, codesText(r.Res.Codes)))
		}
	}
	time.Sleep(time.Second) // let the database settle between runs
	return r, nil
}

// drive runs wrk against p and measures p's peak RSS and the CPU time p
// and the database server spent per request.
func (b *bench) drive(ctx context.Context, logName string, p *proc, l load) (row, error) {
	resetPeakRSS(p.pid())
	cpu0, db0 := cpuSeconds(p.pid()), cpuSeconds(b.dbPID)
	res, err := runWrk(ctx, b.dir, fileName(logName), l)
	if err != nil {
		return row{}, err
	}
	r := row{Rows: b.rows, Load: fmt.Sprintf("%d×%d", l.Threads, l.Conns), Res: res, Bad: res.Status, RSS: peakRSS(p.pid())}
	if res.Requests > 0 {
		r.CPU = (cpuSeconds(p.pid()) - cpu0) * 1e6 / float64(res.Requests)
		if b.dbPID != 0 {
			r.DBCPU = (cpuSeconds(b.dbPID) - db0) * 1e6 / float64(res.Requests)
		}
	}
	return r, nil
}

func unexpected(codes map[string]int64, expect []int) int64 {
	var n int64
	for code, count := range codes {
		c, _ := strconv.Atoi(code)
		if !slices.Contains(expect, c) {
			n += count
		}
	}
	return n
}

func codesText(codes map[string]int64) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(codes)) {
		parts = append(parts, fmt.Sprintf("%s×%d", k, codes[k]))
	}
	return strings.Join(parts, ", ")
}

func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, s)
}
