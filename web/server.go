// Package web is the HTTP side of schooladmin: the Echo router, middleware
// order, handlers for the HTML screens and the JSON API, rendering and the
// single error handler.
package web

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
)

// Config holds the HTTP settings that cmd reads from the environment.
type Config struct {
	MaxBodyBytes  int64         // request body limit
	SecureCookies bool          // mark cookies Secure (served over HTTPS)
	SessionMaxAge time.Duration // lifetime of the session cookie
	Version       string        // build version, for /metrics
}

// DefaultConfig is what the app uses when nothing is configured.
var DefaultConfig = Config{MaxBodyBytes: 1 << 20, SessionMaxAge: 12 * time.Hour, Version: "dev"}

// Server is the application's HTTP handler with what it needs to run.
type Server struct {
	Echo     *echo.Echo
	db       *models.Database
	log      *slog.Logger
	cfg      Config
	metrics  *Metrics
	assets   assets
	draining atomic.Bool
}

// New builds the router on db; secret signs and encrypts the session cookie.
func New(cfg Config, db *models.Database, secret []byte, log *slog.Logger) (*Server, error) {
	metrics, err := NewMetrics(db, cfg.Version)
	if err != nil {
		return nil, err
	}
	s := &Server{Echo: echo.New(), db: db, log: log, cfg: cfg, metrics: metrics, assets: newAssets()}
	s.Echo.HideBanner = true
	s.Echo.HidePort = true
	s.Echo.HTTPErrorHandler = s.handleError
	// Without a proxy in front, the client address is the connection's;
	// X-Forwarded-For is trusted only once trusted proxies are configured.
	s.Echo.IPExtractor = echo.ExtractIPDirect()
	s.routes(secret)
	return s, nil
}

// Drain makes /readyz answer 503 so load balancers stop sending traffic
// before the server shuts down.
func (s *Server) Drain() { s.draining.Store(true) }

// StartBackground starts the server's periodic work (the cached student
// count for /metrics) until ctx ends.
func (s *Server) StartBackground(ctx context.Context) {
	go s.metrics.refreshLoop(ctx, models.NewStudentStore(s.db), time.Minute)
}
