package auth

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"schooladmin/models"
)

// OIDCConfig is a school's OpenID Connect provider (Google Workspace,
// Microsoft Entra ID, Keycloak, ...) and what its answers may let in.
type OIDCConfig struct {
	Issuer       string // discovered at Issuer/.well-known/openid-configuration
	ClientID     string
	ClientSecret string
	RedirectURL  string   // https://HOST/auth/oidc/callback
	Scopes       []string // openid is always asked for
	// AllowedDomains, when set, lets in only e-mail addresses of these
	// domains (lower case), which the provider must not call unverified.
	AllowedDomains []string
	RolesClaim     string  // the claim holding groups or roles; a.b reads a nested one
	RoleMap        RoleMap // claim value → role
	DefaultRole    string  // role of a person no value maps; "" for none
	// HTTPClient talks to the provider; nil for one with a 10 s timeout.
	HTTPClient *http.Client
}

// OIDC signs people in with the authorization code flow, PKCE, state and
// nonce, the last three kept in the browser's (encrypted) session cookie.
type OIDC struct {
	cfg      OIDCConfig
	mu       sync.Mutex
	provider *oidc.Provider // discovered at first use, so a provider down at start-up delays nothing
}

// NewOIDC returns a client of the provider cfg names.
func NewOIDC(cfg OIDCConfig) *OIDC {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if !containsFold(cfg.Scopes, oidc.ScopeOpenID) {
		cfg.Scopes = append([]string{oidc.ScopeOpenID}, cfg.Scopes...)
	}
	return &OIDC{cfg: cfg}
}

// ProviderName names the provider on the login button: Google and
// Microsoft by their issuers, any other as "login único".
func (o *OIDC) ProviderName() string {
	u, _ := url.Parse(o.cfg.Issuer)
	switch host := strings.ToLower(u.Hostname()); {
	case host == "accounts.google.com":
		return "Google"
	case strings.HasSuffix(host, "microsoftonline.com"):
		return "Microsoft"
	}
	return "login único (SSO)"
}

// pendingMaxAge bounds the time between leaving for the provider and
// coming back.
const pendingMaxAge = 10 * time.Minute

// pendingKey holds, in the session, the sign-in that left for the provider.
const pendingKey = "oidc_pending"

// pending is a sign-in on its way through the provider: what must come
// back (state), what the ID token must carry (nonce), the PKCE verifier,
// and where to go afterwards.
type pending struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"next"`
	At       int64  `json:"at"` // Unix seconds
}

// Begin starts a sign-in: it binds fresh state, nonce and PKCE verifier
// to this browser's session and returns the provider's address to
// redirect to. next is where to go after (already checked to be local).
func (o *OIDC) Begin(c echo.Context, next string) (string, error) {
	conf, _, err := o.client(c.Request().Context())
	if err != nil {
		return "", err
	}
	p := pending{State: randomString(), Nonce: randomString(), Verifier: oauth2.GenerateVerifier(), Next: next, At: time.Now().Unix()}
	b, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	s := currentSession(c)
	s.Values[pendingKey] = string(b)
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return "", err
	}
	return conf.AuthCodeURL(p.State, oidc.Nonce(p.Nonce), oauth2.S256ChallengeOption(p.Verifier)), nil
}

// client returns the OAuth 2 configuration and provider, discovering the
// provider the first time.
func (o *OIDC) client(ctx context.Context) (*oauth2.Config, *oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider == nil {
		p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.cfg.HTTPClient), o.cfg.Issuer)
		if err != nil {
			return nil, nil, providerDown(fmt.Errorf("discover %s: %w", o.cfg.Issuer, err))
		}
		o.provider = p
	}
	return &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, Endpoint: o.provider.Endpoint(),
		RedirectURL: o.cfg.RedirectURL, Scopes: o.cfg.Scopes}, o.provider, nil
}

// takePending returns and forgets the session's pending sign-in: a state
// is good for one return only.
func takePending(c echo.Context) (pending, bool) {
	s := currentSession(c)
	raw, _ := s.Values[pendingKey].(string)
	if raw == "" {
		return pending{}, false
	}
	delete(s.Values, pendingKey)
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return pending{}, false
	}
	var p pending
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return pending{}, false
	}
	return p, true
}

// Finish completes a sign-in at the provider's return: the state must be
// the one this browser left with, the code is exchanged (with the PKCE
// verifier) for an ID token, which must be signed by the provider, meant
// for this client, unexpired and carry the nonce. It returns the person
// (roles mapped, domain checked) and where to go next, or a
// *RefusedError saying why not.
func (o *OIDC) Finish(c echo.Context) (models.ExternalUser, string, error) {
	q := c.QueryParams()
	p, ok := takePending(c)
	if !ok || subtle.ConstantTimeCompare([]byte(p.State), []byte(q.Get("state"))) != 1 ||
		time.Since(time.Unix(p.At, 0)) > pendingMaxAge {
		return models.ExternalUser{}, "", errBadState
	}
	if code := q.Get("error"); code != "" {
		return models.ExternalUser{}, "", providerRefused(code)
	}
	ctx := oidc.ClientContext(c.Request().Context(), o.cfg.HTTPClient)
	conf, provider, err := o.client(ctx)
	if err != nil {
		return models.ExternalUser{}, "", err
	}
	token, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(p.Verifier))
	var rerr *oauth2.RetrieveError
	switch {
	case errors.As(err, &rerr):
		return models.ExternalUser{}, "", errBadCode
	case err != nil:
		return models.ExternalUser{}, "", providerDown(fmt.Errorf("exchange the code: %w", err))
	}
	claims, err := o.verify(ctx, provider, token, p.Nonce)
	if err != nil {
		return models.ExternalUser{}, "", err
	}
	eu, err := o.person(claims)
	return eu, p.Next, err
}

// verify checks the ID token and returns its claims, completed from the
// userinfo endpoint when the token lacks the name, e-mail or roles claim
// (providers put only the subject in it when an access token comes too).
func (o *OIDC) verify(ctx context.Context, provider *oidc.Provider, token *oauth2.Token, nonce string) (claimSet, error) {
	raw, _ := token.Extra("id_token").(string)
	if raw == "" {
		return nil, badToken("sem token de identidade")
	}
	idt, err := provider.Verifier(&oidc.Config{ClientID: o.cfg.ClientID}).Verify(ctx, raw)
	var expired *oidc.TokenExpiredError
	switch {
	case errors.As(err, &expired):
		return nil, badToken("token de identidade expirado")
	case err != nil:
		return nil, badToken("token de identidade inválido: " + truncate(err.Error(), 120))
	case subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1:
		return nil, badToken("nonce do token não confere")
	}
	claims := claimSet{}
	if err := idt.Claims(&claims); err != nil {
		return nil, badToken("claims ilegíveis")
	}
	if !o.needUserinfo(claims) || provider.UserInfoEndpoint() == "" {
		return claims, nil
	}
	info, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(token))
	if err != nil {
		return nil, providerDown(fmt.Errorf("userinfo: %w", err))
	}
	extra := claimSet{}
	if err := info.Claims(&extra); err != nil || info.Subject != idt.Subject {
		return nil, badToken("userinfo de outra pessoa")
	}
	for k, v := range extra {
		if _, ok := claims[k]; !ok {
			claims[k] = v
		}
	}
	return claims, nil
}

func (o *OIDC) needUserinfo(claims claimSet) bool {
	_, hasRoles := claims.lookup(o.cfg.RolesClaim)
	return claims.str("email") == "" || claims.str("preferred_username") == "" || len(o.cfg.RoleMap) > 0 && !hasRoles
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
