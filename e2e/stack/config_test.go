package stack

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrometheusConfig validates prometheus.yml and the rule files, and
// runs the rules' unit tests (prometheus/tests), which cover every alert.
func TestPrometheusConfig(t *testing.T) {
	promtool := requireBinary(t, "promtool", "prometheus")
	dir := filepath.Join(repoRoot(t), "prometheus")
	rules, _ := filepath.Glob(filepath.Join(dir, "rules", "*.yml"))
	tests, _ := filepath.Glob(filepath.Join(dir, "tests", "*.yml"))
	if len(rules) == 0 || len(tests) == 0 {
		t.Fatalf("want rule files in prometheus/rules and their tests in prometheus/tests, found %d and %d", len(rules), len(tests))
	}
	run(t, dir, nil, promtool, "check", "config", "prometheus.yml")
	run(t, dir, nil, append([]string{promtool, "check", "rules"}, rules...)...)
	out := run(t, dir, nil, append([]string{promtool, "test", "rules"}, tests...)...)
	t.Log(strings.TrimSpace(out))
}

// TestComposeConfig validates docker-compose.yml with the values of
// .env.example, and checks that it refuses to start without passwords
// rather than falling back to defaults.
func TestComposeConfig(t *testing.T) {
	compose := requireBinary(t, "docker-compose", "docker-compose")
	root := repoRoot(t)
	// Only what docker-compose needs: variables of the caller's shell must
	// not fill in what .env is supposed to.
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	run(t, root, env, compose, "--env-file", filepath.Join(root, ".env.example"), "-f", "docker-compose.yml", "config", "-q")

	empty := filepath.Join(t.TempDir(), "empty.env")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(compose, "--env-file", empty, "-f", "docker-compose.yml", "config", "-q")
	cmd.Dir, cmd.Env = root, env
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "PASSWORD") {
		t.Errorf("docker-compose config without passwords: want a refusal naming the missing password, got %v\n%s", err, out)
	}
}

// TestDashboardsLint checks the dashboards without Prometheus, so a broken
// dashboard fails `go test ./...` everywhere: current panel types, the
// datasource variable, and no unknown Grafana variable in any query.
func TestDashboardsLint(t *testing.T) {
	for _, d := range loadDashboards(t, filepath.Join(repoRoot(t), "grafana", "dashboards")) {
		for _, problem := range lintDashboard(d) {
			t.Errorf("%s: %s", d.file, problem)
		}
		values := map[string]string{}
		for k, v := range builtinVars {
			values[k] = v
		}
		for _, v := range d.Templating.List {
			values[v.Name] = ".*"
		}
		for _, p := range leafPanels(d.Panels) {
			for _, q := range p.Targets {
				if _, err := substitute(q.Expr, values); err != nil {
					t.Errorf("%s: panel %q, query %s: %v", d.file, p.Title, q.RefID, err)
				}
			}
		}
	}
}
