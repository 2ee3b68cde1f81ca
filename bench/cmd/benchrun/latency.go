package main

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"time"
)

// latencyPaths are the requests whose single-connection latency is
// compared between data sizes.
var latencyPaths = []struct{ name, path string }{
	{"first page", "/alunos"},
	{"turma filter", "/alunos?turma=5B"},
	{"q, common word", "/alunos?q=oliveira"},
	{"q, rare word", "/alunos?q=bittencourt"},
	{"sort=nome", "/alunos?sort=nome"},
}

// latencySet measures each latency path with one connection (no queueing:
// the time of one request) and then the deep page reached through the
// Link headers. The first data size is the reference of later ones.
func (b *bench) latencySet(ctx context.Context) error {
	for _, lp := range latencyPaths {
		r, err := b.latencyRow(ctx, "latency: "+lp.name, lp.path)
		if err != nil {
			return err
		}
		b.compareWithBase(&r)
		b.results = append(b.results, r)
	}
	return b.deepPage(ctx)
}

func (b *bench) latencyRow(ctx context.Context, name, path string) (row, error) {
	logf("%s at %d students (1×1, %s)", name, b.rows, b.cfg.LatencyDur)
	r, err := b.drive(ctx, fmt.Sprintf("%s-%d", name, b.rows), b.app, load{
		URL: "http://" + b.app.addr + path, Script: "get", Headers: []string{b.bearer()},
		Threads: 1, Conns: 1, Duration: b.cfg.LatencyDur,
	})
	r.Scenario, r.Server = name, "app"
	return r, err
}

// compareWithBase sets the ratio of a latency row's p50 to the same
// scenario at the first data size.
func (b *bench) compareWithBase(r *row) {
	for _, base := range b.results {
		if base.Scenario == r.Scenario && base.Server == r.Server && base.Rows == b.cfg.Rows && r.Rows != b.cfg.Rows && base.Res.P50 > 0 {
			r.Ratio = float64(r.Res.P50) / float64(base.Res.P50)
			r.Vs = fmt.Sprintf("p50 at %s", count(base.Rows))
		}
	}
}

var nextLink = regexp.MustCompile(`<([^>]+)>;\s*rel="next"`)

// deepPage follows rel="next" from the first page up to WalkPages (or the
// last page), timing each request, then measures the page reached like
// page 1.
func (b *bench) deepPage(ctx context.Context) error {
	client := &http.Client{Timeout: 60 * time.Second}
	path, page := "/alunos", 1
	var steps []time.Duration
	for page < b.cfg.WalkPages && ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+b.app.addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+b.token)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("follow next links: %w", err)
		}
		resp.Body.Close()
		steps = append(steps, time.Since(start))
		m := nextLink.FindStringSubmatch(resp.Header.Get("Link"))
		if resp.StatusCode != http.StatusOK || m == nil {
			break
		}
		path, page = m[1], page+1
	}
	first, last := median(steps[:min(20, len(steps))]), median(steps[max(0, len(steps)-20):])
	b.note(fmt.Sprintf("At %s students, following rel=\"next\" from page 1 reached page %d after %d requests, one at a time: median %s for the first 20, %s for the last 20; page %d is %s.",
		count(b.rows), page, len(steps), ms(first), ms(last), page, path))
	r, err := b.latencyRow(ctx, fmt.Sprintf("latency: page %d via next", page), path)
	if err != nil {
		return err
	}
	for _, p1 := range b.results {
		if p1.Scenario == "latency: first page" && p1.Rows == b.rows && p1.Res.P50 > 0 {
			r.Ratio, r.Vs = float64(r.Res.P50)/float64(p1.Res.P50), "p50 of page 1"
		}
	}
	b.results = append(b.results, r)
	return nil
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// count writes a number of students as 10k, 1M.
func count(n int) string {
	switch {
	case n >= 1000000 && n%1000000 == 0:
		return fmt.Sprintf("%dM", n/1000000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

// startupTimes starts the app on the loaded database several times and
// times exec → /readyz 200.
func (b *bench) startupTimes(ctx context.Context) error {
	var times []time.Duration
	for i := range b.cfg.Startups {
		addr, err := freeAddr()
		if err != nil {
			return err
		}
		start := time.Now()
		p, err := startProc(b.dir, fmt.Sprintf("startup-%d-%d", b.rows, i), addr, b.bin("schooladmin"), append(b.env(), "ADDR="+addr), "serve")
		if err != nil {
			return err
		}
		took, err := p.waitReady("/readyz", start, 60*time.Second)
		_ = p.stop()
		if err != nil {
			return err
		}
		times = append(times, took)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	slices.Sort(times)
	res := wrkResult{Requests: int64(len(times)), P50: times[len(times)/2].Microseconds(), P99: times[len(times)-1].Microseconds()}
	r := row{Scenario: "start-up to ready (p99 column: slowest)", Server: "app", Rows: b.rows,
		Load: fmt.Sprintf("%d starts", len(times)), Res: res}
	b.compareWithBase(&r)
	b.results = append(b.results, r)
	return nil
}

// atScale grows the data set to n students, restarts the app on it and
// repeats the start-up and latency measurements.
func (b *bench) atScale(ctx context.Context, n int) error {
	if err := b.app.stop(); err != nil {
		logf("app stop: %v", err)
	}
	if err := b.grow(ctx, n); err != nil {
		return err
	}
	if err := b.startupTimes(ctx); err != nil {
		return err
	}
	var err error
	if b.app, err = startProc(b.dir, "app", b.app.addr, b.bin("schooladmin"), append(b.env(), "ADDR="+b.app.addr), "serve"); err != nil {
		return err
	}
	if _, err := b.app.waitReady("/readyz", time.Now(), 60*time.Second); err != nil {
		return err
	}
	b.warmUp()
	if err := b.latencySet(ctx); err != nil {
		return err
	}
	if b.cfg.OnlyLatency {
		return nil
	}
	list := b.scenarios()[0]
	list.refs = list.refs[:1] // not the ceiling that counts a million rows per request
	return b.runScenario(ctx, list, nil)
}
