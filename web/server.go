// Package web is the HTTP side of schooladmin: the Echo router, middleware
// order, handlers for the HTML screens and the JSON API, rendering and the
// single error handler.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
)

// Config holds the HTTP settings that cmd reads from the environment.
type Config struct {
	MaxBodyBytes   int64         // request body limit
	ImportMaxBytes int64         // largest file an import takes (its own body limit)
	SecureCookies  bool          // cookies only over HTTPS, and HSTS
	Session        auth.Timeouts // idle and absolute session timeouts
	Throttle       auth.ThrottleLimits
	TrustedProxies []*net.IPNet // proxies whose X-Forwarded-For is believed
	HashWorkers    int          // password hashes at once (0: one per CPU)
	MetricsToken   string       // when set, /metrics needs Authorization: Bearer METRICS_TOKEN
	Version        string       // build version, for /metrics
	// OIDC, when set, offers single sign-on with an OpenID Connect provider.
	OIDC *auth.OIDCConfig
	// Directory, when set, checks the passwords of directory users (LDAP,
	// Active Directory).
	Directory *auth.DirectoryConfig
	// DisableLocalLogin refuses the passwords kept in schooladmin
	// (LOCAL_LOGIN=false); the command line still manages users.
	DisableLocalLogin bool
	// TrashRetention is how long a deleted student stays in the trash
	// before the server purges it.
	TrashRetention time.Duration
}

// DefaultConfig is what the app uses when nothing is configured.
var DefaultConfig = Config{
	MaxBodyBytes:   1 << 20,
	ImportMaxBytes: 20 << 20,
	Session:        auth.Timeouts{Idle: 30 * time.Minute, Absolute: 12 * time.Hour},
	Throttle:       auth.DefaultThrottle,
	Version:        "dev",
	TrashRetention: 30 * 24 * time.Hour,
}

// Server is the application's HTTP handler with what it needs to run.
type Server struct {
	Echo     *echo.Echo
	db       *models.Database
	log      *slog.Logger
	cfg      Config
	metrics  *Metrics
	assets   assets
	auth     *auth.Authenticator
	login    *auth.Login
	hasher   *auth.Hasher
	oidc     *auth.OIDC // nil without single sign-on
	routes   routeTable
	apiDocs  *APIDocs
	session  []echo.MiddlewareFunc // the cookie session and who the caller is
	draining atomic.Bool
}

// New builds the router on db; secret signs and encrypts the session cookie.
func New(cfg Config, db *models.Database, secret []byte, log *slog.Logger) (*Server, error) {
	metrics, err := NewMetrics(db, cfg.Version)
	if err != nil {
		return nil, err
	}
	files := newAssets()
	apiDocs, err := newAPIDocs(files)
	if err != nil {
		return nil, err
	}
	users := models.NewUserStore(db)
	hasher := auth.NewHasher(cfg.HashWorkers)
	s := &Server{
		Echo: echo.New(), db: db, log: log, cfg: cfg, metrics: metrics, assets: files, hasher: hasher, apiDocs: apiDocs,
		auth: &auth.Authenticator{
			Sessions: models.NewSessionStore(db), Tokens: models.NewTokenStore(db),
			Timeouts: cfg.Session, OnToken: metrics.TokenAuthenticated,
		},
		login: &auth.Login{Users: users, Failures: models.NewLoginFailureStore(db), Hasher: hasher, Limits: cfg.Throttle,
			LocalDisabled: cfg.DisableLocalLogin},
	}
	if cfg.Directory != nil {
		if s.login.Directory, err = auth.NewDirectory(*cfg.Directory); err != nil {
			return nil, fmt.Errorf("LDAP_URL, LDAP_USER_FILTER: %w", err)
		}
	}
	if cfg.OIDC != nil {
		s.oidc = auth.NewOIDC(*cfg.OIDC)
	}
	s.Echo.HideBanner = true
	s.Echo.HidePort = true
	s.Echo.HTTPErrorHandler = s.handleError
	s.Echo.IPExtractor = ipExtractor(cfg.TrustedProxies)
	s.buildRoutes(secret)
	return s, nil
}

// ipExtractor finds the client address. Without trusted proxies it is the
// connection's peer: X-Forwarded-For is ignored, so rotating it cannot
// dodge login throttling. With them, X-Forwarded-For is read from the
// right, skipping only the trusted hops.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// Hasher is the server's password hasher, shared with the CLI's needs.
func (s *Server) Hasher() *auth.Hasher { return s.hasher }

// Drain makes /readyz answer 503 so load balancers stop sending traffic
// before the server shuts down.
func (s *Server) Drain() { s.draining.Store(true) }

// StartBackground starts the server's periodic work until ctx ends: the
// cached student count for /metrics, pruning of expired sessions and
// idempotency keys, and purging the trash.
func (s *Server) StartBackground(ctx context.Context) {
	go s.metrics.refreshLoop(ctx, map[models.Entity]recordCounter{
		models.EntityAluno: models.NewAlunoStore(s.db), models.EntityTurma: models.NewTurmaStore(s.db),
	}, time.Minute)
	go s.auth.PruneLoop(ctx, 10*time.Minute)
	go every(ctx, time.Hour, func() {
		_ = models.NewIdempotencyStore(s.db).Prune(ctx, time.Now().Add(-24*time.Hour))
	})
	go every(ctx, time.Hour, func() {
		if _, err := s.PurgeTrash(ctx, time.Now()); err != nil && ctx.Err() == nil {
			s.log.Warn("purge trash", "err", err)
		}
	})
}

// PurgeTrash removes for good the students deleted more than
// TrashRetention before now, each audited as done by the system, and
// logs how many. The background loop calls it every hour with the
// current time; tests call it with a later one.
func (s *Server) PurgeTrash(ctx context.Context, now time.Time) (int, error) {
	n, err := models.NewAlunoStore(s.db).PurgeTrash(ctx, models.SystemActor, now.Add(-s.cfg.TrashRetention))
	if n > 0 {
		s.log.Info("purged the trash", "students", n, "retention", s.cfg.TrashRetention)
	}
	return n, err
}

// every runs fn now and then every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, fn func()) {
	for {
		fn()
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
