package stack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"schooladmin/e2e/e2etest"
	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// TestStack runs the app on a fresh MariaDB database, mysqld_exporter and
// Prometheus (the project's scrape configuration pointed at loopback, its
// alert rules loaded), drives ordinary traffic, then proves that every
// dashboard query returns data and every rule evaluates.
func TestStack(t *testing.T) {
	server := os.Getenv(modelstest.MariaDBEnv)
	if server == "" {
		modelstest.SkipUnlessRequired(t, modelstest.MariaDBEnv+" is not set (e.g. mysql://root@127.0.0.1:3306)")
	}
	promBin := requireBinary(t, "prometheus", "prometheus")
	exporterBin := requireBinary(t, "prometheus-mysqld-exporter", "prometheus-mysqld-exporter")
	root := repoRoot(t)

	app := startApp(t, root, server)
	exporterAddr := startExporter(t, exporterBin, server)
	prom := startPrometheus(t, root, promBin, map[string]string{
		"app:8080":             app.addr,
		"mysqld-exporter:9104": exporterAddr,
	})

	ctx, cancel := context.WithCancel(context.Background())
	tr := newTraffic(t, "http://"+app.addr, app.token)
	done := make(chan struct{})
	go func() { tr.run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; t.Log("traffic: " + tr.summary()) })

	waitForScrapes(t, prom)
	checkRules(t, prom, filepath.Join(root, "prometheus", "rules"))
	checkDashboards(t, prom, filepath.Join(root, "grafana", "dashboards"))
}

type runningApp struct {
	addr  string
	token string // API token of the bootstrap administrator
}

// startApp builds the binary as the Dockerfile does and serves it on a
// new database.
func startApp(t *testing.T, root, server string) runningApp {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "schooladmin")
	run(t, root, append(os.Environ(), "CGO_ENABLED=0"), "go", "build", "-o", bin, "./cmd/schooladmin")
	a := runningApp{addr: e2etest.FreeAddr(t)}
	env := []string{
		"DATABASE_URL=" + modelstest.MariaDBURL(server, modelstest.CreateMariaDB(t, server)),
		"ADDR=" + a.addr,
		"DB_WAIT=10s",
		"SHUTDOWN_GRACE=3s",
		"ADMIN_USERNAME=admin",
		"ADMIN_PASSWORD=" + randomHex(12),
	}
	p := startProcess(t, "schooladmin", env, bin, "serve")
	waitFor(t, "the app to be ready", 60*time.Second, []*process{p}, func() error {
		return httpOK("http://" + a.addr + "/readyz")
	})
	// The API needs credentials; a token is what an API client would use.
	tokenCmd := exec.Command(bin, "token", "create", "--username", "admin", "--name", "stack-check")
	tokenCmd.Env = env
	out, err := tokenCmd.Output()
	if err != nil {
		t.Fatalf("schooladmin token create: %v", err)
	}
	a.token = strings.TrimSpace(string(out))
	return a
}

// startExporter runs mysqld_exporter as its own least-privileged MariaDB
// account, with the credentials in a private my.cnf.
func startExporter(t *testing.T, bin, server string) string {
	t.Helper()
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("%s: %v", modelstest.MariaDBEnv, err)
	}
	port := u.Port()
	if port == "" {
		port = "3306"
	}
	user, password := createExporterUser(t, server)
	cnf := filepath.Join(t.TempDir(), "my.cnf")
	content := fmt.Sprintf("[client]\nuser=%s\npassword=%s\nhost=%s\nport=%s\n", user, password, u.Hostname(), port)
	if err := os.WriteFile(cnf, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := e2etest.FreeAddr(t)
	// A clean environment: DATA_SOURCE_NAME would override the my.cnf.
	p := startProcess(t, "mysqld_exporter", []string{"HOME=" + t.TempDir()},
		bin, "--config.my-cnf="+cnf, "--web.listen-address="+addr)
	waitFor(t, "mysqld_exporter to reach MariaDB", 30*time.Second, []*process{p}, func() error {
		body, err := httpBody("http://" + addr + "/metrics")
		if err == nil && !strings.Contains(body, "\nmysql_up 1\n") {
			err = fmt.Errorf("mysql_up is not 1")
		}
		return err
	})
	return addr
}

// createExporterUser creates the grants Debian's mysqld_exporter needs on
// MariaDB 10.11 (as prometheus/mysqld-exporter/ does for docker-compose)
// for a random account, dropped when the test ends.
func createExporterUser(t *testing.T, server string) (user, password string) {
	t.Helper()
	admin, err := models.Open(modelstest.MariaDBURL(server, "mysql"), models.DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	user, password = "stack_exporter_"+randomHex(4), randomHex(16)
	account := "'" + user + "'@'%'"
	t.Cleanup(func() { admin.Exec("DROP USER IF EXISTS " + account) })
	for _, stmt := range []string{
		"CREATE USER " + account + " IDENTIFIED BY '" + password + "' WITH MAX_USER_CONNECTIONS 3",
		"GRANT PROCESS, REPLICATION CLIENT, SLAVE MONITOR, SELECT ON *.* TO " + account,
	} {
		if err := admin.Exec(stmt).Error; err != nil {
			t.Fatalf("create the exporter account: %v", err)
		}
	}
	return user, password
}

// startPrometheus runs Prometheus on the project's configuration, with the
// compose targets replaced by loopback addresses.
func startPrometheus(t *testing.T, root, bin string, targets map[string]string) *promClient {
	t.Helper()
	dir, addr := t.TempDir(), e2etest.FreeAddr(t)
	targets["localhost:9090"] = addr
	src, err := os.ReadFile(filepath.Join(root, "prometheus", "prometheus.yml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loopbackConfig(string(src), targets)
	if err != nil {
		t.Fatalf("generate the scrape configuration: %v", err)
	}
	// rule_files are relative to the configuration file, as in the container.
	if err := os.Symlink(filepath.Join(root, "prometheus", "rules"), filepath.Join(dir, "rules")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startProcess(t, "prometheus", []string{"HOME=" + dir}, bin,
		"--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr)
	waitFor(t, "prometheus to be ready", 30*time.Second, []*process{p}, func() error {
		return httpOK("http://" + addr + "/-/ready")
	})
	return newPromClient(addr)
}

var intervalLine = regexp.MustCompile(`(?m)^(\s*)(scrape_interval|evaluation_interval):.*$`)

// loopbackConfig rewrites prometheus.yml for the test: each compose target
// becomes a loopback address, and Prometheus scrapes and evaluates rules
// every second so that rates have data within seconds.
func loopbackConfig(src string, targets map[string]string) (string, error) {
	for from, to := range targets {
		quoted := strconv.Quote(from)
		if n := strings.Count(src, quoted); n != 1 {
			return "", fmt.Errorf("target %s appears %d times in prometheus.yml, want once", quoted, n)
		}
		src = strings.Replace(src, quoted, strconv.Quote(to), 1)
	}
	if n := len(intervalLine.FindAllString(src, -1)); n < 2 {
		return "", fmt.Errorf("found %d scrape/evaluation interval lines, want both in global", n)
	}
	return intervalLine.ReplaceAllString(src, "${1}${2}: 1s"), nil
}

func httpBody(rawURL string) (string, error) {
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(rawURL)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", rawURL, resp.Status)
	}
	return string(b), err
}

func httpOK(rawURL string) error {
	_, err := httpBody(rawURL)
	return err
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
