package web

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

// accountUserStore is what the account page needs to know of users.
type accountUserStore interface {
	Get(ctx context.Context, id int64) (models.User, error)
	SetPassword(ctx context.Context, actor models.Actor, id int64, hash string, revokeTokens bool) error
}

// tokenManager keeps a user's own API tokens.
type tokenManager interface {
	Create(ctx context.Context, actor models.Actor, userID int64, name, scope string, expires *time.Time) (string, models.APIToken, error)
	ListForUser(ctx context.Context, userID int64) ([]models.APIToken, error)
	Revoke(ctx context.Context, actor models.Actor, userID, id int64) error
}

// passwordChecker verifies a logged-in user's current password, throttled.
type passwordChecker interface {
	Reverify(ctx context.Context, u models.User, password, ip string) error
}

// Account serves /account: every logged-in user sees their account,
// changes their password and manages their own API tokens.
type Account struct {
	users    accountUserStore
	tokens   tokenManager
	hasher   passwordHasher
	checker  passwordChecker
	sessions sessionStarter
	pages    pageMaker
}

// maxTokenDays bounds the validity typed for a new token (ten years).
const maxTokenDays = 3650

// sessionUser returns the caller's id. The account is managed from a
// browser session only: an API token cannot mint more tokens (which would
// outlive its own revocation) or change the password.
func sessionUser(c echo.Context) (int64, error) {
	p := auth.CurrentUser(c)
	if p == nil {
		return 0, auth.ErrUnauthenticated
	}
	if p.ViaToken {
		return 0, echo.NewHTTPError(http.StatusForbidden, "A conta só pode ser gerenciada pelo navegador, com login e senha.")
	}
	return p.User.ID, nil
}

// Show serves GET /account; a token created just before is shown this
// once (CreateToken stashed it in the session). A HEAD leaves it there.
func (h *Account) Show(c echo.Context) error {
	v := views.AccountView{RevokeTokens: true}
	if c.Request().Method == http.MethodGet {
		v.NewToken, _ = auth.TakeNewToken(c)
	}
	return h.render(c, http.StatusOK, v)
}

// render loads the caller's user and tokens into v and renders the page.
func (h *Account) render(c echo.Context, status int, v views.AccountView) error {
	id, err := sessionUser(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if v.User, err = h.users.Get(ctx, id); err != nil {
		return err
	}
	v.User.PasswordHash = ""
	if v.Tokens, err = h.tokens.ListForUser(ctx, id); err != nil {
		return err
	}
	v.Now = time.Now()
	v.CanAdminScope = auth.CurrentUser(c).Can(models.PermManageUsers)
	return render(c, status, views.AccountPage(h.pages.page(c, "Minha conta", "account"), v))
}

// ChangePassword serves POST /account/password. The current password is
// required; the change ends every session of the user, and this browser
// gets a fresh one so the person stays logged in here. With the box
// revoke_tokens ticked (as it is at first), the user's API tokens stop too.
func (h *Account) ChangePassword(c echo.Context) error {
	id, err := sessionUser(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := h.users.Get(ctx, id)
	if err != nil {
		return err
	}
	if u.Source != models.SourceLocal {
		return errNoLocalPassword(u)
	}
	revoke := c.Request().PostFormValue("revoke_tokens") != ""
	err = h.checker.Reverify(ctx, u, c.Request().PostFormValue("current_password"), c.RealIP())
	var locked *auth.LockedError
	errs := map[string]string{}
	switch {
	case errors.Is(err, auth.ErrBusy):
		return echo.NewHTTPError(http.StatusServiceUnavailable, "Servidor ocupado; tente de novo em instantes.")
	case errors.As(err, &locked):
		minutes := int(math.Ceil(locked.RetryAfter.Minutes()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(locked.RetryAfter.Seconds()))))
		errs["current_password"] = "Muitas tentativas erradas. Tente de novo em " + plural(minutes, "minuto", "minutos") + "."
		return h.render(c, http.StatusTooManyRequests, views.AccountView{PasswordErrors: errs, RevokeTokens: revoke})
	case errors.Is(err, auth.ErrBadCredentials):
		errs["current_password"] = "Senha atual incorreta."
	case err != nil:
		return err
	}
	password := readNewPassword(c, u.Username, errs)
	if len(errs) > 0 {
		return h.render(c, http.StatusUnprocessableEntity, views.AccountView{PasswordErrors: errs, RevokeTokens: revoke})
	}
	hash, err := hashPassword(ctx, h.hasher, password)
	if err != nil {
		return err
	}
	if err := h.users.SetPassword(ctx, auth.Actor(c), id, hash, revoke); err != nil {
		return err
	}
	if err := h.sessions.StartSession(c, id); err != nil {
		return err
	}
	msg := "Senha trocada. Suas sessões em outros navegadores foram encerradas."
	if revoke {
		msg = "Senha trocada. Suas sessões em outros navegadores foram encerradas e seus tokens de API revogados."
	}
	return redirectWithFlash(c, "/account", "success", msg)
}

// CreateToken serves POST /account/tokens, then redirects (303) to
// /account, so reloading the page cannot make a second token. The token
// travels in the encrypted session, not the URL, and is shown once: only
// its hash is stored.
func (h *Account) CreateToken(c echo.Context) error {
	id, err := sessionUser(c)
	if err != nil {
		return err
	}
	if err := parseForm(c); err != nil {
		return err
	}
	r := c.Request()
	v := views.AccountView{TokenName: r.PostFormValue("name"), TokenDays: strings.TrimSpace(r.PostFormValue("expires_days")),
		TokenScope: r.PostFormValue("scope"), RevokeTokens: true}
	var expires *time.Time
	if v.TokenDays != "" {
		days, err := strconv.Atoi(v.TokenDays)
		if err != nil || days < 1 || days > maxTokenDays {
			v.TokenErrors = map[string]string{"expires": "Informe de 1 a 3650 dias, ou deixe em branco para um token sem validade."}
			return h.render(c, http.StatusUnprocessableEntity, v)
		}
		t := time.Now().Add(time.Duration(days) * 24 * time.Hour)
		expires = &t
	}
	plain, _, err := h.tokens.Create(r.Context(), auth.Actor(c), id, v.TokenName, v.TokenScope, expires)
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		v.TokenErrors = verr.Fields
		return h.render(c, http.StatusUnprocessableEntity, v)
	case errors.Is(err, models.ErrAdminScope):
		v.TokenErrors = map[string]string{"scope": "Só quem administra usuários pode criar um token de escopo admin."}
		return h.render(c, http.StatusUnprocessableEntity, v)
	case err != nil:
		return err
	}
	if err := auth.StashNewToken(c, plain); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account")
}

// RevokeToken serves POST /account/tokens/:id/revoke, for the caller's
// own tokens only.
func (h *Account) RevokeToken(c echo.Context) error {
	userID, err := sessionUser(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "Token não encontrado.")
	if err != nil {
		return err
	}
	err = h.tokens.Revoke(c.Request().Context(), auth.Actor(c), userID, id)
	if errors.Is(err, models.ErrNotFound) {
		return redirectWithFlash(c, "/account", "error", "Token não encontrado ou já revogado.")
	}
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/account", "success", "Token revogado: ele não funciona mais.")
}

// errNoLocalPassword refuses to set a password on an account that signs
// in with a provider or the directory: it would never be used.
func errNoLocalPassword(u models.User) error {
	return echo.NewHTTPError(http.StatusConflict, "A conta "+u.Username+" entra com "+views.SourceLabel(u.Source)+
		": a senha é verificada lá, não no schooladmin.")
}
