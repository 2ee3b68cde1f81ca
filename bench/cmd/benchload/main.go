// Command benchload fills a MariaDB database with generated students for
// the benchmark, with batched multi-row INSERTs.
//
//	go run ./bench/cmd/benchload -url mysql://root@127.0.0.1:3306/DB -count 100000
//
// The database must already have the app's schema (schooladmin migrate).
// Students are appended after the largest id; -first continues a data set
// (RAs follow the student number, so they stay unique).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"schooladmin/bench/internal/dataset"
)

func main() {
	url := flag.String("url", "", "DATABASE_URL of the database to fill (mysql://USER:PASS@HOST:PORT/DB)")
	count := flag.Int("count", 10000, "students to insert")
	first := flag.Int("first", 0, "number of the first student (to grow an existing data set)")
	seed := flag.Uint64("seed", 1, "random seed of names and classes")
	batch := flag.Int("batch", 1000, "rows per INSERT")
	workers := flag.Int("workers", 2, "INSERTs in flight at once")
	flag.Parse()
	if err := run(*url, dataset.Options{Seed: *seed, First: *first, Count: *count, Batch: *batch, Workers: *workers}); err != nil {
		fmt.Fprintln(os.Stderr, "benchload:", err)
		os.Exit(1)
	}
}

func run(url string, o dataset.Options) error {
	if url == "" {
		return fmt.Errorf("-url is required")
	}
	db, err := dataset.Open(url, o.Workers)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := dataset.Insert(context.Background(), db, o); err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Printf("inserted %d students in %s (%.0f rows/s)\n", o.Count, elapsed.Round(time.Millisecond), float64(o.Count)/elapsed.Seconds())
	return nil
}
