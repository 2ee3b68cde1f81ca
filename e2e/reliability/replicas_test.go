package reliability

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"schooladmin/models/modelstest"
)

// TestTwoReplicasBehaveAsOne runs two app processes on one MariaDB
// database, started together on an empty database with no SECRET_KEY:
// both become ready with one administrator and one generated session key;
// a session made on one works on the other; logout, a role change and
// disabling a user on one take effect on the other at once; login
// failures split between the two lock the account on both. The server
// runs MariaDB's query cache as docs/operations.md recommends, and each
// credential is used on A before it is changed on B, so a stale cached
// lookup would show.
func TestTwoReplicasBehaveAsOne(t *testing.T) {
	m := modelstest.StartMariaDBD(t, "--query-cache-type=DEMAND", "--query-cache-size=16M")
	m.CreateDatabase("school")
	m.Stop() // both replicas wait for it, then start at the same moment
	vars := map[string]string{
		"DATABASE_URL": m.URL("school"), "DB_WAIT": "30s",
		"LOGIN_MAX_FAILURES_PER_ACCOUNT": "4", "LOGIN_MAX_FAILURES_PER_ADDRESS": "1000",
	}
	a, b := startApp(t, "replica A", vars), startApp(t, "replica B", vars)
	time.Sleep(time.Second)
	m.Start()
	a.waitReady(60 * time.Second)
	b.waitReady(60 * time.Second)

	db := openSQL(t, m.Addr(), "school")
	if n := queryInt(t, db, "SELECT COUNT(*) FROM users"); n != 1 {
		t.Fatalf("%d users after both replicas started, want exactly the one administrator", n)
	}
	if n := queryInt(t, db, "SELECT COUNT(*) FROM settings WHERE `key` = 'session_secret'"); n != 1 {
		t.Fatalf("%d settings rows, want one generated session key", n)
	}
	if n := queryInt(t, db, "SELECT COUNT(*) FROM roles"); n != 3 {
		t.Fatalf("%d roles, want the 3 built-in ones once each", n)
	}

	t.Run("session and logout", func(t *testing.T) { sessionAcrossReplicas(t, a, b) })
	t.Run("role change and disable", func(t *testing.T) { userChangesAcrossReplicas(t, a, b) })
	t.Run("token revocation", func(t *testing.T) { tokenRevocationAcrossReplicas(t, a, b) })
	t.Run("login throttling", func(t *testing.T) { throttleAcrossReplicas(t, a, b) })
	if strings.Contains(a.stderr.String(), "query cache") {
		t.Errorf("A warns about the query cache, which is on:\n%s", a.stderr.String())
	}
	if hits := queryInt(t, db, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'QCACHE_HITS'"); hits == 0 {
		t.Error("no query cache hits: the credentials lookups did not use MariaDB's query cache, so this test proved nothing about it")
	}
}

func sessionAcrossReplicas(t *testing.T, a, b *appProc) {
	br := newBrowser(t)
	if status := br.login(a.url, "admin", adminPassword); status != http.StatusSeeOther {
		t.Fatalf("login on A: %d", status)
	}
	if status := br.loggedIn(b.url); status != http.StatusOK {
		t.Fatalf("A's session cookie on B: %d, want 200", status)
	}
	// A form on B with the CSRF token of a page from A.
	nome := "Feito em B"
	status, _, _ := br.submit(a.url+"/alunos/new", b.url+"/alunos", url.Values{"nome": {nome}, "turma": {"1A"}, "ra": {"REPL-1"}})
	if status != http.StatusSeeOther {
		t.Fatalf("form posted on B with A's page token: %d, want 303", status)
	}

	old := stolenCookies(t, br, a.url)
	warm(t, "the session on A", func() int { return old.loggedIn(a.url) })
	if status, _, _ := br.submit(b.url+"/alunos", b.url+"/logout", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("logout on B: %d", status)
	}
	if status := old.loggedIn(a.url); status != http.StatusUnauthorized {
		t.Fatalf("the cookie from before the logout on B still works on A: %d", status)
	}
}

// stolenCookies is a second browser holding a copy of br's cookies: what
// an attacker who copied them would hold after br logs out.
func stolenCookies(t *testing.T, br *browser, rawURL string) *browser {
	u, _ := url.Parse(rawURL)
	thief := newBrowser(t)
	thief.client.Jar.(*cookiejar.Jar).SetCookies(u, br.client.Jar.Cookies(u))
	return thief
}

func userChangesAcrossReplicas(t *testing.T, a, b *appProc) {
	a.cli("senha da maria para testes\n", "user", "create", "--username", "maria", "--role", "Editor")
	mariaToken := strings.TrimSpace(a.cli("", "token", "create", "--username", "maria"))
	maria := newBrowser(t)
	if status := maria.login(a.url, "maria", "senha da maria para testes"); status != http.StatusSeeOther {
		t.Fatalf("maria's login on A: %d", status)
	}
	admin := newBrowser(t)
	if status := admin.login(b.url, "admin", adminPassword); status != http.StatusSeeOther {
		t.Fatalf("admin's login on B: %d", status)
	}
	_, list := admin.page(b.url + "/admin/users?q=maria")
	edit, ok := list.Find(`[data-testid="user-name"] a`).Attr("href")
	if !ok {
		t.Fatal("maria is not in B's user list")
	}
	update := func(form url.Values) {
		t.Helper()
		if status, _, body := admin.submit(b.url+edit, b.url+edit, form); status != http.StatusSeeOther {
			t.Fatalf("POST %s on B: %d %.300s", edit, status, body)
		}
	}

	warm(t, "maria's token on A", listWith(a.url, mariaToken))
	warm(t, "maria's session on A", func() int { return maria.loggedIn(a.url) })
	update(url.Values{"email": {""}, "roles": {"Viewer"}, "active": {"1"}})
	if status, _, body, _ := postJSON(a.url+"/alunos", mariaToken, studentJSON("Não Pode", "1A", "REPL-2")); status != http.StatusForbidden {
		t.Fatalf("after the role change on B, maria's token creates on A: %d %.200s, want 403", status, body)
	}
	status, _, _ := maria.submit(a.url+"/alunos", a.url+"/alunos", url.Values{"nome": {"Não Pode"}, "turma": {"1A"}, "ra": {"REPL-3"}})
	if status != http.StatusForbidden {
		t.Fatalf("after the role change on B, maria's session creates on A: %d, want 403", status)
	}

	warm(t, "maria's token on A", listWith(a.url, mariaToken))
	warm(t, "maria's session on A", func() int { return maria.loggedIn(a.url) })
	update(url.Values{"email": {""}, "roles": {"Viewer"}}) // no "active": disabled
	if status := maria.loggedIn(a.url); status != http.StatusUnauthorized {
		t.Fatalf("after being disabled on B, maria's session on A: %d, want 401", status)
	}
	if status, _, _ := get(a.url+"/alunos", mariaToken, "", nil); status != http.StatusUnauthorized {
		t.Fatalf("after being disabled on B, maria's token on A: %d, want 401", status)
	}
}

// warm uses a credential until it works twice in a row, so that its
// lookup is in the query cache before the change that must end it.
func warm(t *testing.T, what string, use func() int) {
	t.Helper()
	for range 2 {
		if status := use(); status != http.StatusOK {
			t.Fatalf("%s before the change: %d, want 200", what, status)
		}
	}
}

// listWith asks baseURL for the students list with token, for warm.
func listWith(baseURL, token string) func() int {
	return func() int {
		status, _, _ := get(baseURL+"/alunos", token, "", nil)
		return status
	}
}

// tokenRevocationAcrossReplicas revokes a token on B, in the browser, that
// A has just accepted.
func tokenRevocationAcrossReplicas(t *testing.T, a, b *appProc) {
	a.cli("senha da ana para testes\n", "user", "create", "--username", "ana", "--role", "Viewer")
	token := strings.TrimSpace(a.cli("", "token", "create", "--username", "ana", "--name", "revogar"))
	warm(t, "ana's token on A", listWith(a.url, token))
	ana := newBrowser(t)
	if status := ana.login(b.url, "ana", "senha da ana para testes"); status != http.StatusSeeOther {
		t.Fatalf("ana's login on B: %d", status)
	}
	_, account := ana.page(b.url + "/account")
	revoke, ok := account.Find(`[data-testid="token-row"] form`).Attr("action")
	if !ok {
		t.Fatal("no revoke button for ana's token on B's account page")
	}
	if status, _, body := ana.submit(b.url+"/account", b.url+revoke, url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("revoking on B: %d %.300s", status, body)
	}
	if status, _, _ := get(a.url+"/alunos", token, "", nil); status != http.StatusUnauthorized {
		t.Fatalf("the token revoked on B still works on A: %d, want 401", status)
	}
}

func throttleAcrossReplicas(t *testing.T, a, b *appProc) {
	a.cli("senha do joao para testes\n", "user", "create", "--username", "joao", "--role", "Viewer")
	for i, app := range []*appProc{a, b, a, b} { // 4 failures: the limit, split between the two
		if status := newBrowser(t).login(app.url, "joao", fmt.Sprintf("errada %d", i)); status != http.StatusUnauthorized {
			t.Fatalf("failure %d on %s: %d, want 401", i+1, app.name, status)
		}
	}
	for _, app := range []*appProc{a, b} {
		if status := newBrowser(t).login(app.url, "joao", "senha do joao para testes"); status != http.StatusTooManyRequests {
			t.Errorf("the right password on %s after 4 failures split between A and B: %d, want 429", app.name, status)
		}
	}
}
