package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"schooladmin/auth"
	"schooladmin/models"
)

// lockOut fails username's login until the account is locked.
func (a *testApp) lockOut(username string) {
	a.t.Helper()
	for range auth.DefaultThrottle.PerAccount {
		wantStatus(a.t, a.submitLogin(a.newBrowser(), username, "not the password", "/"), http.StatusUnauthorized)
	}
	wantStatus(a.t, a.submitLogin(a.newBrowser(), username, testPassword, "/"), http.StatusTooManyRequests)
}

// auditActionsFor lists the actions recorded on the named user, oldest first.
func (a *testApp) auditActionsFor(username string) []string {
	a.t.Helper()
	events, _, err := models.NewAuditStore(a.db).List(a.t.Context(), models.NewListQuery(models.AuditList, 50, map[string]string{"type": models.AuditUser, "object": username}))
	if err != nil {
		a.t.Fatal(err)
	}
	var actions []string
	for _, ev := range slices.Backward(events) {
		actions = append(actions, ev.Action+" by "+ev.Actor)
	}
	return actions
}

func TestAdminUnlocksLockedAccount(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createUser("maria", models.RoleEditor)
		app.createUser("joao", models.RoleEditor)
		app.lockOut("maria")

		_, doc := app.page("/admin/users")
		locked := doc.Find(`[data-testid="user-row"]:has([data-testid="user-locked"])`)
		if locked.Length() != 1 || locked.Find(`[data-testid="user-name"]`).Text() != "maria" {
			t.Fatalf("%d rows show a lock; want only maria's", locked.Length())
		}
		if until := locked.Find(`[data-testid="user-locked"]`).Text(); !strings.Contains(until, "Bloqueada até") {
			t.Fatalf("the lock says %q, want its end time", until)
		}
		unlock := locked.Find(`form[data-testid="unlock-form"]`)
		action, _ := unlock.Attr("action")
		if action != app.userPath("maria", "/unlock") {
			t.Fatalf("the unlock form posts to %q", action)
		}
		_, doc = app.page(app.userPath("maria", ""))
		if doc.Find(`[data-testid="user-locked"]`).Length() != 1 || doc.Find(`form[data-testid="unlock-form"]`).Length() != 1 {
			t.Fatal("the user's page does not show the lock and the way to unlock it")
		}

		resp := app.postForm(action, url.Values{})
		if flash := app.followFlash(app.client, resp); flash != "Conta de maria desbloqueada." {
			t.Fatalf("flash %q", flash)
		}
		app.login(app.newBrowser(), "maria", testPassword)
		_, doc = app.page("/admin/users")
		if doc.Find(`[data-testid="user-locked"]`).Length() != 0 {
			t.Fatal("the list still shows a lock")
		}
		if got := app.auditActionsFor("maria"); !slices.Contains(got, "user.unlock by admin") {
			t.Fatalf("audit of maria: %v", got)
		}

		// unlocking an account that is not locked changes nothing
		resp = app.postForm(app.userPath("joao", "/unlock"), url.Values{})
		if flash := app.followFlash(app.client, resp); flash != "A conta de joao não estava bloqueada." {
			t.Fatalf("flash %q", flash)
		}
		if got := app.auditActionsFor("joao"); slices.Contains(got, "user.unlock by admin") {
			t.Fatalf("audit of joao: %v", got)
		}
	})
}

func TestAdminPasswordResetUnlocks(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		app.createUser("maria", models.RoleEditor)
		app.lockOut("maria")
		const newPassword = "a fresh password for maria"
		resp := app.postForm(app.userPath("maria", "/password"), url.Values{"password": {newPassword}, "password_confirm": {newPassword}})
		wantStatus(t, resp, http.StatusSeeOther)
		app.login(app.newBrowser(), "maria", newPassword) // not 429
		if flash := app.followFlash(app.client, resp); !strings.Contains(flash, "A conta foi desbloqueada.") {
			t.Fatalf("flash %q", flash)
		}
		got := app.auditActionsFor("maria")
		if !slices.Contains(got, "user.password by admin") || !slices.Contains(got, "user.unlock by admin") {
			t.Fatalf("audit of maria: %v", got)
		}
	})
}
