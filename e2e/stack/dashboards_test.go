package stack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The Grafana built-in variables, as Grafana would fill them in for a
// short time range on a Prometheus scraped every second:
// $__rate_interval is at least four scrape intervals.
var builtinVars = map[string]string{
	"__rate_interval": "30s",
	"__interval":      "5s",
	"__range":         "1h",
}

// dashboard holds the parts of a Grafana dashboard JSON the check reads.
type dashboard struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []variable `json:"list"`
	} `json:"templating"`
	file string
}

type panel struct {
	Type       string         `json:"type"`
	Title      string         `json:"title"`
	Datasource *datasourceRef `json:"datasource"`
	Targets    []struct {
		RefID      string         `json:"refId"`
		Expr       string         `json:"expr"`
		Datasource *datasourceRef `json:"datasource"`
	} `json:"targets"`
	Panels []panel `json:"panels"` // inside a collapsed row
}

type datasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type variable struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Query      json.RawMessage `json:"query"` // a string, or {"query": "..."}
	IncludeAll bool            `json:"includeAll"`
	AllValue   string          `json:"allValue"`
}

// queryText is a variable's query in either of Grafana's two shapes.
func (v variable) queryText() string {
	var s string
	if json.Unmarshal(v.Query, &s) == nil {
		return s
	}
	var o struct {
		Query string `json:"query"`
	}
	json.Unmarshal(v.Query, &o)
	return o.Query
}

func loadDashboards(t *testing.T, dir string) []dashboard {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no dashboards in %s", dir)
	}
	var all []dashboard
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d := dashboard{file: filepath.Base(f)}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", d.file, err)
		}
		all = append(all, d)
	}
	return all
}

// leafPanels flattens rows: rows only group panels and run no query.
func leafPanels(ps []panel) []panel {
	var out []panel
	for _, p := range ps {
		if p.Type == "row" {
			out = append(out, leafPanels(p.Panels)...)
			continue
		}
		out = append(out, p)
	}
	return out
}

// Current panel types only; "graph" and "singlestat" are the deprecated
// Angular panels that Grafana no longer renders.
var panelTypes = []string{"timeseries", "stat", "gauge", "bargauge", "table", "barchart", "piechart", "heatmap"}

// lintDashboard checks what needs no Prometheus: current panel types,
// the datasource variable on every panel and query.
func lintDashboard(d dashboard) []string {
	var problems []string
	hasDS := slices.ContainsFunc(d.Templating.List, func(v variable) bool {
		return v.Name == "datasource" && v.Type == "datasource" && v.queryText() == "prometheus"
	})
	if !hasDS {
		problems = append(problems, "no datasource variable of type datasource (prometheus)")
	}
	for _, p := range leafPanels(d.Panels) {
		if !slices.Contains(panelTypes, p.Type) {
			problems = append(problems, fmt.Sprintf("panel %q: type %q is not a current panel type", p.Title, p.Type))
		}
		if p.Datasource == nil || p.Datasource.UID != "${datasource}" {
			problems = append(problems, fmt.Sprintf("panel %q: datasource is not ${datasource}", p.Title))
		}
		if len(p.Targets) == 0 {
			problems = append(problems, fmt.Sprintf("panel %q: no query", p.Title))
		}
		for _, q := range p.Targets {
			if strings.TrimSpace(q.Expr) == "" || (q.Datasource != nil && q.Datasource.UID != "${datasource}") {
				problems = append(problems, fmt.Sprintf("panel %q query %s: empty, or not on ${datasource}", p.Title, q.RefID))
			}
		}
	}
	return problems
}

var labelValuesQuery = regexp.MustCompile(`^\s*label_values\(\s*(.+?)\s*,\s*(\w+)\s*\)\s*$`)

// variableValues runs the dashboard's query variables and returns what
// each one stands for in the panels' queries: the "All" value when the
// variable offers it, else the first value found.
func variableValues(ctx context.Context, prom *promClient, d dashboard) (map[string]string, error) {
	values := map[string]string{}
	for k, v := range builtinVars {
		values[k] = v
	}
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		m := labelValuesQuery.FindStringSubmatch(v.queryText())
		if m == nil {
			return nil, fmt.Errorf("variable %s: only label_values(metric, label) queries are supported here, got %q", v.Name, v.queryText())
		}
		found, err := prom.labelValues(ctx, m[1], m[2])
		if err != nil || len(found) == 0 {
			return nil, fmt.Errorf("variable %s: %q found no values (%v)", v.Name, v.queryText(), err)
		}
		values[v.Name] = found[0]
		if v.IncludeAll && v.AllValue != "" {
			values[v.Name] = v.AllValue
		}
	}
	return values, nil
}

var varRef = regexp.MustCompile(`\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)`)

// substitute fills in Grafana variables; PromQL has no other use for "$".
func substitute(expr string, values map[string]string) (string, error) {
	var missing []string
	out := varRef.ReplaceAllStringFunc(expr, func(ref string) string {
		m := varRef.FindStringSubmatch(ref)
		name := m[1] + m[2] + m[3]
		v, ok := values[name]
		if !ok {
			missing = append(missing, name)
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("unknown variable(s) %v", missing)
	}
	return out, nil
}

// hasData is true when a query answered with at least one number: an
// empty result or only NaN (0/0, a quantile of nothing) shows no data.
func hasData(samples []sample) bool {
	return slices.ContainsFunc(samples, func(s sample) bool { return s.Value != "NaN" })
}

// checkQuery runs one panel query until it has data or the deadline passes.
func checkQuery(ctx context.Context, prom *promClient, expr string, deadline time.Time) error {
	for {
		samples, err := prom.query(ctx, expr)
		switch {
		case err != nil:
			return err // a bad query does not get better with time
		case hasData(samples):
			return nil
		case time.Now().After(deadline):
			if len(samples) == 0 {
				return errors.New("empty result")
			}
			return errors.New("only NaN values")
		}
		time.Sleep(time.Second)
	}
}
