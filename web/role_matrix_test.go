package web_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
)

// publicPaths are the only paths that may be served without a login.
var publicPaths = []string{"/login", "/logout", "/healthz", "/readyz", "/metrics", "/static/*", "/favicon.ico", "/openapi.json", "/api/docs"}

func TestEveryRouteDeclaresPermission(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	declared := app.server.RoutePermissions()
	registered := map[string]bool{}
	for _, r := range app.server.Echo.Routes() {
		key := r.Method + " " + r.Path
		registered[key] = true
		perm, ok := declared[key]
		switch {
		case !ok:
			t.Errorf("%s declares no permission", key)
		case perm == web.Public && !slices.Contains(publicPaths, r.Path):
			t.Errorf("%s is public but not on the public list", key)
		case perm != web.Public && perm != "" && !models.KnownPermission(perm):
			t.Errorf("%s requires the unknown permission %q", key, perm)
		case perm != web.Public && !slices.Contains(expectedPermissions(r.Method, r.Path), perm):
			t.Errorf("%s requires %q, want one of %q", key, perm, expectedPermissions(r.Method, r.Path))
		}
	}
	for key := range declared {
		if !registered[key] {
			t.Errorf("%s is declared but not routed", key)
		}
	}
	scopes := app.server.RouteTokenScopes()
	for key, perm := range declared {
		_, path, _ := strings.Cut(key, " ")
		if want := expectedScope(path); perm != web.Public && scopes[key] != want {
			t.Errorf("%s: tokens need scope %q, want %q", key, scopes[key], want)
		}
	}
}

// expectedScope is the token scope a path needs, written independently of
// the route table: students-scope tokens reach the student routes (and
// "/", which leads there); everything else needs an admin-scope token.
func expectedScope(path string) string {
	if path == "/" || path == "/alunos" || strings.HasPrefix(path, "/alunos/") || path == "/turmas" || strings.HasPrefix(path, "/turmas/") {
		return models.ScopeStudents
	}
	return models.ScopeAdmin
}

// expectedPermissions are the permissions a route of each area may
// require, written independently of the route table so that a route
// declared with a wrong permission fails here, not only in the matrix.
// Areas not listed here accept any known permission.
func expectedPermissions(method, path string) []string {
	studentWrites := []string{models.PermAddAlunos, models.PermEditAlunos, models.PermDeleteAlunos, models.PermRestoreAlunos}
	turmaWrites := []string{models.PermAddTurmas, models.PermEditTurmas, models.PermDeleteTurmas}
	switch {
	case strings.HasPrefix(path, "/admin/users"):
		return []string{models.PermManageUsers}
	case strings.HasPrefix(path, "/admin/roles"):
		return []string{models.PermManageRoles}
	case strings.HasPrefix(path, "/admin/audit"):
		return []string{models.PermReadAudit}
	case path == "/account" || strings.HasPrefix(path, "/account/") || path == "/":
		return []string{""}
	case path == "/alunos/bulk":
		// The action's own permission is checked by the handler
		// (matrixVariants make the matrix cover it).
		return []string{models.PermListAlunos}
	case strings.HasPrefix(path, "/alunos") && method != http.MethodGet && method != http.MethodHead:
		return studentWrites
	case strings.HasPrefix(path, "/alunos"):
		return append([]string{models.PermListAlunos, models.PermShowAlunos}, studentWrites...)
	case strings.HasPrefix(path, "/turmas") && method != http.MethodGet && method != http.MethodHead:
		return turmaWrites
	case strings.HasPrefix(path, "/turmas"):
		return append([]string{models.PermListTurmas, models.PermShowTurmas}, turmaWrites...)
	}
	return append([]string{""}, models.AllPermissions...)
}

// matrixVariant is a request to a route that checks more than its own
// permission once it reads the request (a bulk action needs the
// action's permission), with the permission the request needs.
type matrixVariant struct {
	params url.Values // the query of a GET, the form or JSON body of a POST
	perm   string
}

// matrixVariants are the requests the matrix sends, instead of the bare
// one, to routes that check per request: "METHOD /path" → variants.
// The delete names no student, so it leaves the fixtures in place.
func matrixVariants(alunoID string) map[string][]matrixVariant {
	bulk := []matrixVariant{
		{url.Values{"action": {models.BulkSetTurma}, "ids": {alunoID}, "turma": {"1A"}}, models.PermEditAlunos},
		{url.Values{"action": {models.BulkDelete}, "ids": {"987654"}}, models.PermDeleteAlunos},
	}
	return map[string][]matrixVariant{"GET /alunos/bulk": bulk, "HEAD /alunos/bulk": bulk, "POST /alunos/bulk": bulk}
}

// matrixCaller is one column of the role matrix: a role through a
// browser session or one of its API tokens, or nobody.
type matrixCaller struct {
	name   string
	perms  []string // nil for anonymous
	client *http.Client
	token  string // bearer token; "" for a browser session
	scope  string // the token's scope
	csrf   string // the browser session's CSRF token
}

func (m matrixCaller) anonymous() bool { return m.perms == nil }

// request sends method path as this caller would, with params as the
// query of a GET or HEAD, else as the body: a form from a browser, JSON
// from an API client (a list of one for "ids"). Requests are not checked
// against the OpenAPI document: who may call the route is under test.
func (m matrixCaller) request(app *testApp, method, path string, params url.Values) *http.Response {
	app.t.Helper()
	if method == http.MethodGet || method == http.MethodHead {
		if len(params) > 0 {
			path += "?" + params.Encode()
		}
		params = nil
	}
	notUnderTest := []string{deliberatelyInvalid, "only the permission check is under test"}
	form := url.Values{"_csrf": {m.csrf}}
	for k, v := range params {
		form[k] = v
	}
	switch {
	case m.anonymous() && m.client != nil:
		return app.send(m.client, method, path, form.Encode(), "Accept", browserAccept, "Content-Type", "application/x-www-form-urlencoded")
	case m.anonymous() && params == nil:
		return app.send(app.apiClient, method, path, "", notUnderTest...)
	case m.anonymous():
		return app.send(app.apiClient, method, path, matrixJSON(params), append(notUnderTest, "Content-Type", "application/json")...)
	case m.token != "" && params == nil:
		return app.send(app.apiClient, method, path, "", append(notUnderTest, "Authorization", "Bearer "+m.token)...)
	case m.token != "":
		return app.send(app.apiClient, method, path, matrixJSON(params), append(notUnderTest, "Authorization", "Bearer "+m.token, "Content-Type", "application/json")...)
	}
	return app.send(m.client, method, path, form.Encode(), "Accept", browserAccept,
		"Content-Type", "application/x-www-form-urlencoded", "X-CSRF-Token", m.csrf)
}

// matrixJSON is params as a JSON object of strings, "ids" as a list of
// integers.
func matrixJSON(params url.Values) string {
	obj := map[string]any{}
	for k := range params {
		obj[k] = params.Get(k)
	}
	if id, err := strconv.ParseInt(params.Get("ids"), 10, 64); err == nil {
		obj["ids"] = []int64{id}
	}
	b, _ := json.Marshal(obj)
	return string(b)
}

// matrixCallers logs in one user per built-in role and lists every way
// of calling: anonymous first, Admin last (its actions may delete
// fixtures). Each role calls with a students-scope token; Admin, the only
// role that may hold one, with an admin-scope token too.
func matrixCallers(app *testApp) []matrixCaller {
	app.t.Helper()
	callers := []matrixCaller{{name: "anonymous browser", client: app.newBrowser()}, {name: "anonymous API"}}
	for _, role := range []string{models.RoleViewer, models.RoleEditor, models.RoleAdmin} {
		username := "matrix." + strings.ToLower(role)
		client, token := app.browserAs(username, role)
		perms, err := models.NewUserStore(app.db).Permissions(app.t.Context(), app.userID(username))
		if err != nil {
			app.t.Fatal(err)
		}
		_, doc := app.pageAs(client, "/account")
		csrf, _ := doc.Find(`meta[name="csrf-token"]`).Attr("content")
		callers = append(callers,
			matrixCaller{name: role + " session", perms: perms, client: client, csrf: csrf},
			matrixCaller{name: role + " students token", perms: perms, token: token, scope: models.ScopeStudents})
		if role == models.RoleAdmin {
			adminToken, _, err := models.NewTokenStore(app.db).Create(app.t.Context(), models.Actor{}, app.userID(username), "admin", models.ScopeAdmin, nil)
			if err != nil {
				app.t.Fatal(err)
			}
			callers = append(callers, matrixCaller{name: role + " admin token", perms: perms, token: adminToken, scope: models.ScopeAdmin})
		}
	}
	return callers
}

// matrixFixtures creates what :id stands for under each path prefix (a
// deleted student for a restore) and returns the path with its
// parameters filled in.
func matrixFixtures(app *testApp) func(path string) string {
	app.t.Helper()
	student := app.createAluno("Ana", "1A", "R1")
	deleted := app.createAluno("Bia", "1A", "R2")
	wantStatus(app.t, app.api(http.MethodDelete, alunoPath(deleted.ID, ""), ""), http.StatusNoContent)
	turma, err := models.NewTurmaStore(app.db).Create(app.t.Context(), models.SystemActor, models.TurmaInput{Codigo: ptr("9Z"), AnoLetivo: ptrInt(2026)})
	if err != nil {
		app.t.Fatal(err)
	}
	app.createUser("matrix.alvo", models.RoleViewer)
	resp := app.postForm("/admin/roles", url.Values{"name": {"Alvo"}, "permissions": {models.PermListAlunos}})
	wantStatus(app.t, resp, http.StatusSeeOther)
	tokens, err := models.NewTokenStore(app.db).ListForUser(app.t.Context(), app.userID("matrix.alvo"))
	if err != nil || len(tokens) == 0 {
		app.t.Fatalf("fixture token: %v", err)
	}
	ids := map[string]int64{
		"/alunos/": student.ID, "/turmas/": turma.ID, "/admin/users/": app.userID("matrix.alvo"),
		"/admin/roles/": app.roleID("Alvo"), "/account/tokens/": tokens[0].ID,
	}
	return func(path string) string {
		id := int64(1)
		for prefix, v := range ids {
			if strings.HasPrefix(path, prefix) {
				id = v
			}
		}
		if strings.HasSuffix(path, "/restore") {
			id = deleted.ID
		}
		parts := strings.Split(path, "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") {
				parts[i] = strconv.FormatInt(id, 10)
			}
		}
		return strings.Join(parts, "/")
	}
}

// sessionOnly routes refuse API tokens: an account is managed in the browser.
func sessionOnly(path string) bool { return path == "/account" || strings.HasPrefix(path, "/account/") }

func TestRoleMatrix(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		callers := matrixCallers(app)
		fill := matrixFixtures(app)
		variants := matrixVariants(strings.TrimPrefix(fill("/alunos/:id"), "/alunos/"))
		routes, scopes := app.server.RoutePermissions(), app.server.RouteTokenScopes()
		for _, key := range slices.Sorted(maps.Keys(routes)) {
			if routes[key] == web.Public {
				continue
			}
			method, pattern, _ := strings.Cut(key, " ")
			path := fill(pattern)
			requests, ok := variants[key]
			if !ok {
				requests = []matrixVariant{{perm: routes[key]}}
			}
			for _, v := range requests {
				for _, m := range callers {
					resp := m.request(app, method, path, v.params)
					outOfScope := m.token != "" && m.scope != models.ScopeAdmin && scopes[key] != m.scope
					checkMatrixAnswer(t, key+" "+v.params.Get("action"), m, v.perm, sessionOnly(pattern) || outOfScope, resp)
				}
			}
		}
	})
}

// checkMatrixAnswer checks one cell; refusedToken says the route refuses
// this caller's token (session-only, or beyond the token's scope).
func checkMatrixAnswer(t *testing.T, route string, m matrixCaller, perm string, refusedToken bool, resp *http.Response) {
	t.Helper()
	status, loc := resp.StatusCode, resp.Header.Get("Location")
	switch {
	case m.anonymous() && m.client != nil:
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
			t.Errorf("%s, %s: %d %q, want 303 to /login", route, m.name, status, loc)
		}
	case m.anonymous():
		if status != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s, %s: %d %s, want 401 JSON", route, m.name, status, resp.Header.Get("Content-Type"))
		}
	case perm != "" && !slices.Contains(m.perms, perm), refusedToken && m.token != "":
		if status != http.StatusForbidden {
			t.Errorf("%s, %s: %d, want 403", route, m.name, status)
		}
		if m.token != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s, %s: 403 as %q, want JSON", route, m.name, resp.Header.Get("Content-Type"))
		}
	default:
		if status == http.StatusUnauthorized || status == http.StatusForbidden || strings.HasPrefix(loc, "/login") {
			t.Errorf("%s, %s holds %q: refused with %d %q", route, m.name, perm, status, loc)
		}
	}
}

// TestRoleMatrixHoldersReachHandlers guards the matrix itself: a route
// answering 404 or 405 for everyone would pass it without checking much.
func TestRoleMatrixHoldersReachHandlers(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	fill := matrixFixtures(app)
	for key, perm := range app.server.RoutePermissions() {
		method, pattern, _ := strings.Cut(key, " ")
		if perm == web.Public || method != http.MethodGet {
			continue
		}
		resp := app.do(method, fill(pattern), "", "Accept", browserAccept)
		if resp.StatusCode >= 400 {
			t.Errorf("%s as Admin: %d", key, resp.StatusCode)
		}
	}
}
