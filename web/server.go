// Package web is the HTTP side of schooladmin: the Echo router, middleware
// order, handlers for the HTML screens and the JSON API, rendering and the
// single error handler.
package web

import (
	"context"
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
}

// DefaultConfig is what the app uses when nothing is configured.
var DefaultConfig = Config{
	MaxBodyBytes:   1 << 20,
	ImportMaxBytes: 20 << 20,
	Session:        auth.Timeouts{Idle: 30 * time.Minute, Absolute: 12 * time.Hour},
	Throttle:       auth.DefaultThrottle,
	Version:        "dev",
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
	routes   routeTable
	session  []echo.MiddlewareFunc // the cookie session and who the caller is
	draining atomic.Bool
}

// New builds the router on db; secret signs and encrypts the session cookie.
func New(cfg Config, db *models.Database, secret []byte, log *slog.Logger) (*Server, error) {
	metrics, err := NewMetrics(db, cfg.Version)
	if err != nil {
		return nil, err
	}
	users := models.NewUserStore(db)
	hasher := auth.NewHasher(cfg.HashWorkers)
	s := &Server{
		Echo: echo.New(), db: db, log: log, cfg: cfg, metrics: metrics, assets: newAssets(), hasher: hasher,
		auth: &auth.Authenticator{
			Sessions: models.NewSessionStore(db), Tokens: models.NewTokenStore(db),
			Timeouts: cfg.Session, OnToken: metrics.TokenAuthenticated,
		},
		login: &auth.Login{Users: users, Failures: models.NewLoginFailureStore(db), Hasher: hasher, Limits: cfg.Throttle},
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
// cached student count for /metrics and pruning of expired sessions.
func (s *Server) StartBackground(ctx context.Context) {
	go s.metrics.refreshLoop(ctx, map[models.Entity]recordCounter{
		models.EntityAluno: models.NewStudentStore(s.db), models.EntityTurma: models.NewTurmaStore(s.db),
	}, time.Minute)
	go s.auth.PruneLoop(ctx, 10*time.Minute)
	go every(ctx, time.Hour, func() {
		_ = models.NewIdempotencyStore(s.db).Prune(ctx, time.Now().Add(-24*time.Hour))
	})
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
