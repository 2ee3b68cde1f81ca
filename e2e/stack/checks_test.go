package stack

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// waitForScrapes waits until every target of the configuration is up on
// loopback and the app's and MariaDB's metrics have reached Prometheus.
func waitForScrapes(t *testing.T, prom *promClient) {
	t.Helper()
	ctx := context.Background()
	waitFor(t, "every scrape target to be up", 30*time.Second, nil, func() error {
		targets, err := prom.targets(ctx)
		if err != nil || len(targets) == 0 {
			return fmt.Errorf("no targets (%v)", err)
		}
		for _, tg := range targets {
			u, err := url.Parse(tg.ScrapeURL)
			if err != nil || u.Hostname() != "127.0.0.1" {
				return fmt.Errorf("job %s scrapes %s, not a loopback address: add it to the targets in TestStack", tg.Labels["job"], tg.ScrapeURL)
			}
			if tg.Health != "up" {
				return fmt.Errorf("job %s is %s: %s", tg.Labels["job"], tg.Health, tg.LastError)
			}
		}
		return nil
	})
	for _, expr := range []string{`schooladmin_requests_total{url="/alunos"}`, `mysql_up == 1`} {
		waitFor(t, expr+" in Prometheus", 30*time.Second, nil, func() error {
			samples, err := prom.query(ctx, expr)
			if err == nil && !hasData(samples) {
				err = fmt.Errorf("no data yet")
			}
			return err
		})
	}
}

var ruleLine = regexp.MustCompile(`(?m)^\s*- (alert|record):`)

// checkRules waits for every rule of every file in dir to be loaded and
// evaluated, and fails on any that Prometheus could not evaluate.
func checkRules(t *testing.T, prom *promClient, dir string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.yml"))
	want := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want += len(ruleLine.FindAll(b, -1))
	}
	var rules []rule
	waitFor(t, "every rule to be evaluated", 30*time.Second, nil, func() error {
		var err error
		if rules, err = prom.rules(context.Background()); err != nil {
			return err
		}
		if len(rules) != want {
			return fmt.Errorf("%d rules loaded, the rule files have %d", len(rules), want)
		}
		for _, r := range rules {
			if r.Health == "unknown" {
				return fmt.Errorf("rule %s not evaluated yet", r.Name)
			}
		}
		return nil
	})
	for _, r := range rules {
		if r.Health != "ok" {
			t.Errorf("rule %s: health %s: %s", r.Name, r.Health, r.LastError)
		}
		if r.State != "" && r.State != "inactive" {
			t.Logf("alert %s is %s (the check only requires that it evaluates)", r.Name, r.State)
		}
	}
	t.Logf("checked %d alert rules", len(rules))
}

// checkDashboards runs every query of every panel of every dashboard, with
// Grafana's variables filled in, and fails on an error or an empty result.
func checkDashboards(t *testing.T, prom *promClient, dir string) {
	t.Helper()
	dashboards := loadDashboards(t, dir)
	// Series appear in Prometheus a scrape after the traffic that makes
	// them, and rates need two scrapes; later queries wait less.
	deadline := time.Now().Add(45 * time.Second)
	var panels, queries int
	for _, d := range dashboards {
		t.Run(strings.TrimSuffix(d.file, ".json"), func(t *testing.T) {
			p, q := checkDashboard(t, prom, d, deadline)
			panels, queries = panels+p, queries+q
		})
	}
	t.Logf("checked %d dashboards, %d panels, %d queries", len(dashboards), panels, queries)
}

func checkDashboard(t *testing.T, prom *promClient, d dashboard, deadline time.Time) (panels, queries int) {
	ctx := context.Background()
	for _, problem := range lintDashboard(d) {
		t.Error(problem)
	}
	values, err := variableValues(ctx, prom, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range leafPanels(d.Panels) {
		panels++
		for _, q := range p.Targets {
			queries++
			expr, err := substitute(q.Expr, values)
			if err == nil {
				err = checkQuery(ctx, prom, expr, deadline)
			}
			if err != nil {
				t.Errorf("panel %q, query %s: %v\n\t%s", p.Title, q.RefID, err, expr)
			}
		}
	}
	return panels, queries
}
