// Command ceiling is the benchmark's reference server: plain net/http and
// database/sql (go-sql-driver/mysql, interpolateParams=true, pool 8 open
// and 8 idle) answering the same requests as the app with the same queries
// and the same JSON, and nothing else: no router, no middleware, no
// metrics, no sessions. What it reaches on a machine is the ceiling the
// app is compared with.
//
//	ceiling -addr 127.0.0.1:8091 -url mysql://root@127.0.0.1:3306/DB
//
// Routes:
//
//	GET   /alunos       page, per_page, sort, turma, q; X-Total-Count and Link,
//	                    totals cached for -count-ttl (2 s, as the app does)
//	GET   /exact/alunos the same, counting on every request
//	GET   /alunos/{id}  one student with its ETag
//	POST  /alunos       insert and its audit record in one transaction
//	PATCH /alunos/{id}  If-Match required; update and audit in one transaction
//	POST  /plain/alunos the insert alone, without audit or transaction
//	GET   /authed/...   any GET route above, after checking the bearer token
//	                    and the permission in one query
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"schooladmin/bench/internal/dataset"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8091", "listen address")
	url := flag.String("url", "", "DATABASE_URL (mysql://USER:PASS@HOST:PORT/DB)")
	pool := flag.Int("pool", 8, "open (and idle) database connections")
	ttl := flag.Duration("count-ttl", 2*time.Second, "how long a list total is reused (the app's count cache); 0 counts every request")
	flag.Parse()
	if err := run(*addr, *url, *pool, *ttl); err != nil {
		fmt.Fprintln(os.Stderr, "ceiling:", err)
		os.Exit(1)
	}
}

func run(addr, url string, pool int, ttl time.Duration) error {
	if url == "" {
		return errors.New("-url is required")
	}
	db, err := dataset.Open(url, pool)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := db.PingContext(ctx); err != nil {
		return err
	}
	schema, err := dataset.DetectSchema(ctx, db)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr: addr, Handler: routes(&server{db: db, schema: schema, counts: newCounts(ttl)}),
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- srv.ListenAndServe() }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// server holds the one thing every handler needs.
type server struct {
	db     *sql.DB
	schema dataset.Schema
	counts *counts
}

func routes(s *server) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /alunos", s.list)
	mux.HandleFunc("GET /alunos/{id}", s.show)
	mux.HandleFunc("POST /alunos", s.create)
	mux.HandleFunc("PATCH /alunos/{id}", s.patch)
	mux.HandleFunc("POST /plain/alunos", s.createPlain)
	mux.HandleFunc("GET /exact/alunos", s.listExact)
	mux.HandleFunc("GET /authed/alunos", s.withToken(s.list))
	mux.HandleFunc("GET /authed/alunos/{id}", s.withToken(s.show))
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := s.db.PingContext(r.Context()); err != nil {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
		}
	})
	return mux
}
