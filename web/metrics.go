package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"gorm.io/gorm"

	"schooladmin/models"
)

// Metrics holds the app's own Prometheus registry and business metrics.
// A registry per Server (not the global one) lets tests run several apps
// in one process.
type Metrics struct {
	registry    *prometheus.Registry
	records     map[models.Entity]recordMetrics
	logins      *prometheus.CounterVec
	tokenAuths  *prometheus.CounterVec
	auditEvents *prometheus.CounterVec
}

// latencyBuckets suit a web app whose answers take from under a
// millisecond (cached pages) to a few hundred (password hashing).
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// NewMetrics registers the Go, process, database pool and business metrics.
func NewMetrics(db *models.Database, version string) (*Metrics, error) {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		registry: reg,
		records: map[models.Entity]recordMetrics{
			models.EntityAluno: newRecordMetrics("students", "Students"),
			models.EntityTurma: newRecordMetrics("turmas", "Turmas"),
		},
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "schooladmin", Name: "logins_total",
			Help: "Login attempts by result: success, failure or locked (throttled).",
		}, []string{"result"}),
		tokenAuths: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "schooladmin", Name: "token_authentications_total",
			Help: "API requests authenticated by bearer token, by result: ok or rejected.",
		}, []string{"result"}),
		auditEvents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "schooladmin", Name: "audit_events_total",
			Help: "Audit trail entries written, by kind of object: student, login, user, role, token.",
		}, []string{"kind"}),
	}
	buildInfo := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: "schooladmin", Name: "build_info", Help: "Always 1; labels give the build.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version(), "database": db.Dialect},
	})
	buildInfo.Set(1)
	if err := m.countAuditEvents(db.DB); err != nil {
		return nil, err
	}
	collectors := []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.SQL(), "schooladmin"),
		buildInfo, m.logins, m.tokenAuths, m.auditEvents,
	}
	for _, r := range m.records {
		for _, action := range []string{"created", "updated", "deleted"} {
			r.changes.WithLabelValues(action) // series exist at 0 from the start
		}
		collectors = append(collectors, r.changes, r.total)
	}
	for _, result := range []string{"success", "failure", "locked"} {
		m.logins.WithLabelValues(result)
	}
	for _, result := range []string{"ok", "rejected"} {
		m.tokenAuths.WithLabelValues(result)
	}
	for _, kind := range []string{models.AuditAluno, models.AuditTurma, "login", "user", "role", "token"} {
		m.auditEvents.WithLabelValues(kind)
	}
	return m, registerAll(reg, collectors...)
}

// recordMetrics count one entity's changes and stored records.
type recordMetrics struct {
	changes *prometheus.CounterVec
	total   prometheus.Gauge
}

func newRecordMetrics(name, label string) recordMetrics {
	return recordMetrics{
		changes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "schooladmin", Name: name + "_changes_total",
			Help: label + " created, updated and deleted, by action.",
		}, []string{"action"}),
		total: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "schooladmin", Name: name,
			Help: "Number of " + strings.ToLower(label) + " stored, refreshed every minute (not counted per scrape).",
		}),
	}
}

func registerAll(reg prometheus.Registerer, cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// Middleware is echoprometheus with route patterns as labels; requests
// that match no route share the label "unmatched", and methods outside
// the standard set share "other", so random paths and invented methods
// never create new series.
func (m *Metrics) Middleware() echo.MiddlewareFunc {
	mw, err := echoprometheus.MiddlewareConfig{
		Subsystem:                 "schooladmin",
		Registerer:                m.registry,
		DoNotUseRequestPathFor404: true,
		StatusCodeResolver:        statusOf,
		LabelFuncs: map[string]echoprometheus.LabelValueFunc{
			"url":    routeLabel,
			"method": methodLabel,
			"host":   func(echo.Context, error) string { return "" }, // client-controlled: never a label
		},
		HistogramOptsFunc: func(o prometheus.HistogramOpts) prometheus.HistogramOpts {
			if o.Name == "request_duration_seconds" {
				o.Buckets = latencyBuckets
			}
			return o
		},
	}.ToMiddleware()
	if err != nil {
		panic(err) // only on duplicate registration: a programming error
	}
	return mw
}

func routeLabel(c echo.Context, _ error) string {
	switch p := c.Path(); p {
	case "", "/*":
		return "unmatched"
	default:
		return p
	}
}

// standardMethods are the methods of RFC 9110 and PATCH; any other is a
// client's invention.
var standardMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
	http.MethodConnect: true, http.MethodTrace: true,
}

func methodLabel(c echo.Context, _ error) string {
	if m := c.Request().Method; standardMethods[m] {
		return m
	}
	return "other"
}

// Handler serves the registry in Prometheus text format; with a token,
// only to scrapers sending Authorization: Bearer TOKEN.
func (m *Metrics) Handler(token string) echo.HandlerFunc {
	serve := echo.WrapHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	if token == "" {
		return serve
	}
	want := []byte("Bearer " + token)
	return func(c echo.Context) error {
		got := []byte(c.Request().Header.Get(echo.HeaderAuthorization))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			return echo.NewHTTPError(http.StatusUnauthorized, "Métricas exigem Authorization: Bearer METRICS_TOKEN.")
		}
		return serve(c)
	}
}

// TokenAuthenticated counts a bearer token accepted (ok) or rejected.
func (m *Metrics) TokenAuthenticated(ok bool) {
	result := "rejected"
	if ok {
		result = "ok"
	}
	m.tokenAuths.WithLabelValues(result).Inc()
}

// Login counts a login attempt by result: success, failure or locked.
func (m *Metrics) Login(result string) { m.logins.WithLabelValues(result).Inc() }

// countAuditEvents counts audit records as GORM writes them, one by one
// or in batches (an import). (A record in a transaction that later rolls
// back is counted too; those are rare failures, and the counter is for
// rates, not bookkeeping.)
func (m *Metrics) countAuditEvents(db *gorm.DB) error {
	const name = "schooladmin:audit_metric"
	count := func(tx *gorm.DB) {
		if tx.Error != nil {
			return
		}
		switch ev := tx.Statement.Dest.(type) {
		case *models.AuditEvent:
			m.auditEvents.WithLabelValues(ev.ObjectType).Inc()
		case *[]models.AuditEvent: // a batch of CreateInBatches
			for i := range *ev {
				m.auditEvents.WithLabelValues((*ev)[i].ObjectType).Inc()
			}
		}
	}
	if db.Callback().Create().Get(name) != nil { // a second server on the same database (tests)
		return db.Callback().Create().Replace(name, count)
	}
	return db.Callback().Create().After("gorm:create").Register(name, count)
}

// Changed counts a created, updated, deleted or restored record of entity.
func (m *Metrics) Changed(entity models.Entity, action string) {
	r := m.records[entity]
	r.changes.WithLabelValues(action).Inc()
	switch action {
	case "created":
		r.total.Inc()
	case "deleted":
		r.total.Dec()
	case "restored":
		r.total.Inc()
	}
}

// recordCounter counts an entity's stored records.
type recordCounter interface {
	Count(ctx context.Context) (int64, error)
}

// refreshLoop sets the record gauges from the database now and every
// interval; between refreshes Changed keeps them close.
func (m *Metrics) refreshLoop(ctx context.Context, stores map[models.Entity]recordCounter, interval time.Duration) {
	for {
		for entity, store := range stores {
			qctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			if total, err := store.Count(qctx); err == nil {
				m.records[entity].total.Set(float64(total))
			}
			cancel()
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
