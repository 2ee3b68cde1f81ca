package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"schooladmin/models"
)

// An account made by the directory or the provider has no password here:
// its pages say where the person signs in, and setting a password is
// refused with a clear answer.
func TestExternalAccountsHaveNoPasswordHere(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		u, err := models.NewUserStore(app.db).SyncExternal(t.Context(), models.Actor{Username: "ana"}, models.ExternalUser{
			Source: models.SourceLDAP, Subject: "uid=ana,dc=x", Username: "ana", Roles: []string{models.RoleViewer}})
		if err != nil {
			t.Fatal(err)
		}
		edit := app.userPath("ana", "")
		_, doc := app.page(edit)
		if got := doc.Find(`[data-testid="external-account"]`).Text(); !strings.Contains(got, "diretório da escola") {
			t.Errorf("the edit page says %q of where ana signs in", got)
		}
		if doc.Find(`[data-testid="password-form"]`).Length() != 0 {
			t.Error("the edit page offers to reset a password that is not kept here")
		}
		resp := app.postForm(app.userPath("ana", "/password"), url.Values{"password": {"uma senha bem longa 1"}, "password_confirm": {"uma senha bem longa 1"}})
		wantStatus(t, resp, http.StatusConflict)
		if got, _ := models.NewUserStore(app.db).Get(t.Context(), u.ID); got.PasswordHash != "" {
			t.Error("a password was set")
		}
	})
}
