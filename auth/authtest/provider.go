// Package authtest runs real identity servers for tests: an OpenID
// provider (zitadel/oidc's certified OP) in the test process, and a
// private OpenLDAP slapd on its own port and directory.
package authtest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Person is someone the provider knows, with the groups it puts in the
// "groups" claim of their ID token.
type Person struct {
	Username      string // also the preferred_username claim
	Password      string
	Email         string
	EmailVerified bool
	Groups        []string
}

// Provider is a running OpenID provider: discovery, authorization with
// PKCE, a login page (username and password), token and userinfo
// endpoints, keys. Its one client is ClientID with ClientSecret.
type Provider struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	store        *opStorage
}

// StartProvider starts a provider on a loopback port for the test, with a
// client whose only redirect address is redirectURL, and people.
func StartProvider(t testing.TB, redirectURL string, people ...Person) *Provider {
	t.Helper()
	users := userStore{}
	groups := map[string][]string{}
	for _, p := range people {
		id := "id-" + p.Username
		users[id] = &storage.User{ID: id, Username: p.Username, Password: p.Password, FirstName: p.Username,
			LastName: "Teste", Email: p.Email, EmailVerified: p.EmailVerified}
		groups[id] = p.Groups
	}
	p := &Provider{ClientID: "schooladmin", ClientSecret: "segredo-do-cliente"}
	client := storage.WebClient(p.ClientID, p.ClientSecret, redirectURL)
	store := &opStorage{
		Storage: storage.NewStorageWithClients(users, map[string]*storage.Client{p.ClientID: client}),
		groups:  groups,
	}
	p.store = store
	srv := httptest.NewUnstartedServer(nil)
	p.Issuer = "http://" + srv.Listener.Addr().String()
	// exampleop makes its logger the process's default, and logs every
	// request: a discarding one keeps test output readable.
	srv.Config.Handler = exampleop.SetupServer(p.Issuer, store, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	srv.Start()
	t.Cleanup(srv.Close)
	return p
}

// SignIn plays the browser at the provider: it follows authURL to the
// login page, submits username and password, and returns the address the
// provider then sends the browser back to (the client's redirect URL
// with code and state), without visiting it.
func (p *Provider) SignIn(t testing.TB, authURL, username, password string) *url.URL {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	next, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if !strings.HasPrefix(next.String(), p.Issuer) {
			return next
		}
		var resp *http.Response
		if next.Path == "/login/username" {
			form := url.Values{"id": {next.Query().Get("authRequestID")}, "username": {username}, "password": {password}}
			resp, err = client.PostForm(p.Issuer+"/login/username", form)
		} else {
			resp, err = client.Get(next.String())
		}
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, err := resp.Location()
		if err != nil {
			t.Fatalf("the provider answered %s %s with %d and no redirect (wrong password?)", resp.Request.Method, resp.Request.URL, resp.StatusCode)
		}
		next = loc
	}
	t.Fatal("the provider redirected more than 10 times")
	return nil
}

// SetGroups changes the groups of the person named username.
func (p *Provider) SetGroups(username string, groups ...string) {
	p.store.set(func(s *opStorage) { s.groups["id-"+username] = groups })
}

// IssueExpiredIDTokens makes the provider issue ID tokens that expired
// before they were issued (on), or valid ones again (off).
func (p *Provider) IssueExpiredIDTokens(on bool) { p.store.set(func(s *opStorage) { s.expired = on }) }

// SignWithForeignKey makes the provider sign tokens with a key it does not
// publish, under the published key's id (on), or with its own again (off).
func (p *Provider) SignWithForeignKey(t testing.TB, on bool) {
	t.Helper()
	var foreign op.SigningKey
	if on {
		real, err := p.store.Storage.SigningKey(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		foreign = signingKey{id: real.ID(), key: key}
	}
	p.store.set(func(s *opStorage) { s.foreign = foreign })
}

// opStorage is the example storage with what tests need besides: a
// groups claim, expired ID tokens and a foreign signing key on demand.
type opStorage struct {
	*storage.Storage
	groups  map[string][]string // user id → groups
	mu      sync.Mutex
	expired bool
	foreign op.SigningKey
}

func (s *opStorage) set(change func(*opStorage)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change(s)
}

// SetUserinfoFromRequest adds the groups claim to ID tokens.
func (s *opStorage) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, info, req, scopes); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.groups[req.GetSubject()]; g != nil {
		info.AppendClaims("groups", g)
	}
	return nil
}

// SigningKey is the foreign key when one is set.
func (s *opStorage) SigningKey(ctx context.Context) (op.SigningKey, error) {
	s.mu.Lock()
	foreign := s.foreign
	s.mu.Unlock()
	if foreign != nil {
		return foreign, nil
	}
	return s.Storage.SigningKey(ctx)
}

// GetClientByClientID gives the client expired ID tokens when asked.
func (s *opStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil || !s.expired {
		return c, err
	}
	return expiredClient{c}, nil
}

// expiredClient's ID tokens expire a minute before they are issued.
type expiredClient struct{ op.Client }

func (expiredClient) IDTokenLifetime() time.Duration { return -time.Minute }

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

// userStore is the provider's people, by id.
type userStore map[string]*storage.User

func (u userStore) GetUserByID(id string) *storage.User { return u[id] }
func (u userStore) ExampleClientID() string             { return "service" }
func (u userStore) GetUserByUsername(name string) *storage.User {
	for _, p := range u {
		if p.Username == name {
			return p
		}
	}
	return nil
}
