package main

import (
	"context"
	"fmt"

	"schooladmin/bench/internal/dataset"
)

// queryCacheSize is what the benchmark gives MariaDB's query cache when it
// is off: the app's credentials statement is the only one that asks for it
// (SELECT SQL_CACHE, query_cache_type=DEMAND), one small entry per token
// or session, so a few MiB are plenty.
const queryCacheSize = 16 << 20

// queryCache is the server's query cache setting before the run.
type queryCache struct {
	Type string
	Size int64
}

// enableQueryCache turns on MariaDB's query cache in DEMAND mode, as
// docs/operations.md recommends for the app, and returns how to put the
// server back. DEMAND caches only statements that ask for it, so other
// databases on the server are not affected.
func enableQueryCache(ctx context.Context, dbURL string) (restore func(), note string, err error) {
	db, err := dataset.Open(dbURL, 1)
	if err != nil {
		return nil, "", err
	}
	defer db.Close()
	var before queryCache
	if err := db.QueryRowContext(ctx, "SELECT @@global.query_cache_type, @@global.query_cache_size").Scan(&before.Type, &before.Size); err != nil {
		return nil, "", err
	}
	if before.Type != "OFF" && before.Size > 0 {
		return func() {}, fmt.Sprintf("MariaDB's query cache was already on (%s, %d MiB).", before.Type, before.Size>>20), nil
	}
	if _, err := db.ExecContext(ctx, "SET GLOBAL query_cache_size = ?, query_cache_type = DEMAND", int64(queryCacheSize)); err != nil {
		return nil, "", fmt.Errorf("turn on the query cache (needs SUPER or run with --query-cache=false): %w", err)
	}
	restore = func() {
		db, err := dataset.Open(dbURL, 1)
		if err != nil {
			logf("could not restore the query cache: %v", err)
			return
		}
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), "SET GLOBAL query_cache_type = "+before.Type+", query_cache_size = ?", before.Size); err != nil {
			logf("could not restore the query cache: %v", err)
		}
	}
	return restore, fmt.Sprintf("MariaDB's query cache was %s (%d MiB); the run set query_cache_type=DEMAND, query_cache_size=%d MiB (as docs/operations.md recommends) and restored it at the end.", before.Type, before.Size>>20, queryCacheSize>>20), nil
}
