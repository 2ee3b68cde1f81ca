package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"schooladmin/models"
)

// exportCommand writes a complete copy of the database to FILE ("-":
// standard output), for a backup or a move to another database.
func exportCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: schooladmin export FILE (- for standard output)")
	}
	return withCLI(ctx, getenv, nil, stdout, stderr, mustExist, func(c *cli) error {
		start := time.Now()
		report := stdout
		var sum models.DumpSummary
		err := writeOutput(args[0], stdout, func(w io.Writer) (err error) {
			sum, err = c.db.Export(ctx, w)
			return err
		})
		if err != nil {
			return fmt.Errorf("export to %s: %w", args[0], err)
		}
		if args[0] == "-" {
			report = stderr // standard output holds the copy
		}
		fmt.Fprintf(report, "exported from %s to %s in %s\n", sum.Dialect, args[0], time.Since(start).Round(time.Millisecond))
		printTables(report, sum)
		return nil
	})
}

// writeOutput runs write into the named file, or standard output for
// "-". The file appears only once complete: it is written under another
// name and renamed, so a failed export never leaves a file that looks
// whole. It is readable by its owner only: it holds password hashes.
func writeOutput(name string, stdout io.Writer, write func(io.Writer) error) error {
	if name == "-" {
		return write(stdout)
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".partial-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // gone already after the rename
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// importCommand loads an export into an empty database, creating it (the
// SQLite file, or the schema of an empty MariaDB database) if needed, and
// then checks it.
func importCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: schooladmin import FILE (- for standard input)")
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	name := models.DescribeDatabaseURL(cfg.DatabaseURL)
	fmt.Fprintln(stderr, "database:", name)
	in, err := openInput(args[0], stdin) // before the database: a wrong name creates nothing
	if err != nil {
		return err
	}
	defer in.Close()
	// No first administrator: the users come from the file.
	db, err := connectDatabase(ctx, cfg, slog.New(slog.DiscardHandler), mayCreate)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	sum, err := db.Import(ctx, bufio.NewReaderSize(in, 1<<20))
	switch {
	case errors.Is(err, models.ErrDatabaseNotEmpty):
		return fmt.Errorf("import into %s: %w; import loads only into an empty database "+
			"(a new SQLite file, or a MariaDB database just made with CREATE DATABASE)", name, err)
	case errors.Is(err, models.ErrBadDump):
		return fmt.Errorf("import of %s: %w; nothing was imported", args[0], err)
	case err != nil:
		return fmt.Errorf("import of %s into %s: %w; nothing was imported", args[0], name, err)
	}
	fmt.Fprintf(stdout, "imported %s (exported from %s) into %s in %s\n", args[0], sum.Dialect, name, time.Since(start).Round(time.Millisecond))
	printTables(stdout, sum)
	if sum.TimesRounded > 0 {
		fmt.Fprintf(stdout, "note: %d times finer than a millisecond were kept to the millisecond (MariaDB's DATETIME(3))\n", sum.TimesRounded)
	}
	return checkImported(ctx, db, stdout)
}

// checkImported runs the integrity check (schooladmin check) on the
// database an import has just loaded. The check is built on the branch
// of issue 13 that owns it; once merged, the line below becomes its call,
// e.g. return runCheck(ctx, db, stdout).
func checkImported(ctx context.Context, db *models.Database, stdout io.Writer) error {
	return nil
}

// openInput opens the named file, or standard input for "-".
func openInput(name string, stdin io.Reader) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(stdin), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return f, nil
}

// printTables lists each table's rows and checksum.
func printTables(w io.Writer, sum models.DumpSummary) {
	for _, t := range sum.Tables {
		fmt.Fprintf(w, "  %s: %d rows, sha256 %s\n", t.Name, t.Rows, t.SHA256)
	}
}
