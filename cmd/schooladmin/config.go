package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/web"
)

// config is everything read from the environment, validated once.
type config struct {
	DatabaseURL       string
	ReplicaURLs       []string
	Addr              string
	SecretKey         string
	AdminUsername     string
	AdminPassword     string
	DBWait            time.Duration
	ShutdownGrace     time.Duration
	DrainDelay        time.Duration
	ReadHeaderTimeout time.Duration
	Pool              models.Pool
	Web               web.Config
	LogLevel          slog.Level
}

// loadConfig reads and checks the environment. The first bad value gives
// an error naming the variable and what it expects.
func loadConfig(getenv func(string) string) (config, error) {
	env := envReader{getenv: getenv}
	c := config{
		DatabaseURL:       env.str("DATABASE_URL", "sqlite:schooladmin.db"),
		ReplicaURLs:       env.list("DATABASE_REPLICA_URLS"),
		Addr:              env.str("ADDR", ":8080"),
		SecretKey:         getenv("SECRET_KEY"),
		AdminUsername:     env.str("ADMIN_USERNAME", "admin"),
		AdminPassword:     getenv("ADMIN_PASSWORD"),
		DBWait:            env.duration("DB_WAIT", 20*time.Second),
		ShutdownGrace:     env.duration("SHUTDOWN_GRACE", 10*time.Second),
		DrainDelay:        env.duration("SHUTDOWN_DRAIN_DELAY", 2*time.Second),
		ReadHeaderTimeout: env.duration("READ_HEADER_TIMEOUT", 5*time.Second),
		Pool: models.Pool{
			MaxOpen:     env.integer("DB_MAX_OPEN_CONNS", models.DefaultPool.MaxOpen, 1, 1000),
			MaxLifetime: env.duration("DB_CONN_MAX_LIFETIME", models.DefaultPool.MaxLifetime),
			MaxIdleTime: models.DefaultPool.MaxIdleTime,
		},
		Web: web.Config{
			MaxBodyBytes:   int64(env.integer("MAX_BODY_BYTES", int(web.DefaultConfig.MaxBodyBytes), 1024, 1<<30)),
			ImportMaxBytes: int64(env.integer("IMPORT_MAX_BYTES", int(web.DefaultConfig.ImportMaxBytes), 1024, 1<<30)),
			SecureCookies:  env.boolean("COOKIE_SECURE", false),
			Session: auth.Timeouts{
				Idle:     env.duration("SESSION_IDLE_TIMEOUT", web.DefaultConfig.Session.Idle),
				Absolute: env.duration("SESSION_MAX_AGE", web.DefaultConfig.Session.Absolute),
			},
			Throttle: auth.ThrottleLimits{
				PerAccount: env.integer("LOGIN_MAX_FAILURES_PER_ACCOUNT", auth.DefaultThrottle.PerAccount, 1, 1000),
				PerAddress: env.integer("LOGIN_MAX_FAILURES_PER_ADDRESS", auth.DefaultThrottle.PerAddress, 1, 100000),
				Window:     env.duration("LOGIN_THROTTLE_WINDOW", auth.DefaultThrottle.Window),
			},
			TrustedProxies: env.networks("TRUSTED_PROXIES"),
			HashWorkers:    env.integer("PASSWORD_HASH_WORKERS", 0, 0, 64),
			MetricsToken:   getenv("METRICS_TOKEN"),
			Version:        version,
			TrashRetention: env.days("TRASH_RETENTION", web.DefaultConfig.TrashRetention),
		},
	}
	if level := env.str("LOG_LEVEL", "info"); c.LogLevel.UnmarshalText([]byte(level)) != nil {
		env.fail("LOG_LEVEL", level, "debug, info, warn or error")
	}
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		env.fail("SECRET_KEY", "(hidden)", "at least 32 characters, or unset to generate one")
	}
	for _, u := range append([]string{c.DatabaseURL}, c.ReplicaURLs...) {
		if _, _, err := models.ParseDatabaseURL(u); err != nil {
			env.errs = append(env.errs, err)
		}
	}
	readIdentity(&env, &c.Web)
	return c, errors.Join(env.errs...)
}

// envReader reads typed values, keeping every error: each bad value is
// one line of the error loadConfig returns.
type envReader struct {
	getenv func(string) string
	errs   []error
}

func (e *envReader) fail(name, value, want string) {
	e.errs = append(e.errs, fmt.Errorf("%s=%q is invalid: want %s", name, value, want))
}

// problem records an error about name that is not about one typed value.
func (e *envReader) problem(name, format string, args ...any) {
	e.errs = append(e.errs, fmt.Errorf(name+": "+format, args...))
}

func (e *envReader) str(name, def string) string {
	if v := strings.TrimSpace(e.getenv(name)); v != "" {
		return v
	}
	return def
}

func (e *envReader) duration(name string, def time.Duration) time.Duration {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		e.fail(name, v, "a duration such as 20s or 5m")
		return def
	}
	return d
}

// days reads a positive duration given in days ("30d") or as a Go
// duration ("36h"): retention periods are thought of in days, which
// time.ParseDuration does not know.
func (e *envReader) days(name string, def time.Duration) time.Duration {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if n, ok := strings.CutSuffix(v, "d"); ok {
		var days int
		days, err = strconv.Atoi(n)
		d = time.Duration(days) * 24 * time.Hour
	}
	if err != nil || d <= 0 || d > 100*365*24*time.Hour {
		e.fail(name, v, "a positive number of days such as 30d, or a duration such as 36h")
		return def
	}
	return d
}

func (e *envReader) integer(name string, def, lo, hi int) int {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		e.fail(name, v, fmt.Sprintf("a whole number from %d to %d", lo, hi))
		return def
	}
	return n
}

// list reads a comma-separated list.
func (e *envReader) list(name string) []string {
	var out []string
	for part := range strings.SplitSeq(e.str(name, ""), ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// networks reads a comma-separated list of CIDR ranges or addresses.
func (e *envReader) networks(name string) []*net.IPNet {
	var nets []*net.IPNet
	for part := range strings.SplitSeq(e.str(name, ""), ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			if ip := net.ParseIP(part); ip != nil && ip.To4() != nil {
				part += "/32"
			} else {
				part += "/128"
			}
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			e.fail(name, part, "comma-separated addresses or CIDR ranges such as 10.0.0.0/8")
			return nil
		}
		nets = append(nets, n)
	}
	return nets
}

func (e *envReader) boolean(name string, def bool) bool {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.fail(name, v, "true or false")
		return def
	}
	return b
}
