package web_test

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"testing"

	"schooladmin/models/modelstest"
)

// metricsText scrapes /metrics.
func (a *testApp) metricsText() string {
	a.t.Helper()
	resp := a.api(http.MethodGet, "/metrics", "")
	wantStatus(a.t, resp, http.StatusOK)
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return string(body)
}

var methodLabel = regexp.MustCompile(`schooladmin_requests_total\{[^}]*method="([^"]*)"`)

func TestInventedMethodsShareOneMetricLabel(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	for i := range 60 {
		app.api(fmt.Sprintf("INVENTED%d", i), "/alunos", "")
	}
	app.api(http.MethodGet, "/alunos", "")
	methods := map[string]bool{}
	for _, m := range methodLabel.FindAllStringSubmatch(app.metricsText(), -1) {
		methods[m[1]] = true
	}
	if len(methods) > 3 || !methods["GET"] || !methods["other"] {
		t.Fatalf("method label values after 60 invented methods: %v; want GET, other (and POST)", methods)
	}
}
