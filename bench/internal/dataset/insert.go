package dataset

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"schooladmin/models"
)

// Options say which students to insert and how.
type Options struct {
	Seed    uint64 // the same seed gives the same names
	First   int    // number of the first student (RAs follow it)
	Count   int    // how many students
	Batch   int    // rows per INSERT statement
	Workers int    // statements in flight at once
}

// Insert adds students First .. First+Count-1 with batched multi-row
// INSERTs, ids following the table's largest, in as many parallel
// statements as Workers, then updates the tables' statistics.
func Insert(ctx context.Context, db *sql.DB, o Options) error {
	if o.Batch <= 0 {
		o.Batch = 1000
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	schema, err := DetectSchema(ctx, db)
	if err != nil {
		return err
	}
	var maxID sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT MAX(id) FROM alunos").Scan(&maxID); err != nil {
		return fmt.Errorf("read largest id: %w", err)
	}
	rebuild := func() error { return nil }
	if IsSQLite(db) {
		if rebuild, err = deferIndexes(ctx, db); err != nil {
			return err
		}
	}
	err = load(ctx, db, schema, o, maxID.Int64+1)
	if rerr := rebuild(); err == nil {
		err = rerr
	}
	if err != nil {
		return err
	}
	return analyze(context.WithoutCancel(ctx), db, schema)
}

// load inserts the students, ids from firstID on.
func load(ctx context.Context, db *sql.DB, schema Schema, o Options, firstID int64) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	batches := make(chan int)
	var wg sync.WaitGroup
	for range o.Workers {
		wg.Go(func() {
			for start := range batches {
				n := min(o.Batch, o.First+o.Count-start)
				if err := insertBatch(ctx, db, schema, o.Seed, start, n, firstID+int64(start-o.First)); err != nil {
					cancel(err)
				}
			}
		})
	}
	for start := o.First; start < o.First+o.Count && ctx.Err() == nil; start += o.Batch {
		batches <- start
	}
	close(batches)
	wg.Wait()
	return context.Cause(ctx)
}

// analyze updates the statistics the query planner reads.
func analyze(ctx context.Context, db *sql.DB, schema Schema) error {
	stmt := "ANALYZE TABLE "
	if IsSQLite(db) {
		stmt = "ANALYZE "
	}
	_, err := db.ExecContext(ctx, stmt+"alunos")
	if err == nil && schema.Words {
		_, err = db.ExecContext(ctx, stmt+"aluno_palavras")
	}
	return err
}

// deferIndexes drops the secondary indexes of the loaded tables of a
// SQLite database and returns what builds them again: one build over the
// finished table costs a fraction of keeping them up to date row by row,
// which made loading a million students take minutes with SQLite's one
// writer. A unique index that no longer holds fails its build.
func deferIndexes(ctx context.Context, db *sql.DB) (func() error, error) {
	rows, err := db.QueryContext(ctx, `SELECT name, sql FROM sqlite_master
		WHERE type = 'index' AND tbl_name IN ('alunos', 'aluno_palavras') AND sql IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("read indexes: %w", err)
	}
	var names, creates []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return nil, err
		}
		names, creates = append(names, name), append(creates, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := db.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", name, err)
		}
	}
	return func() error {
		for _, create := range creates {
			if _, err := db.ExecContext(context.WithoutCancel(ctx), create); err != nil {
				return fmt.Errorf("%s: %w", create, err)
			}
		}
		return nil
	}, nil
}

func insertBatch(ctx context.Context, db *sql.DB, schema Schema, seed uint64, first, n int, firstID int64) error {
	cols, row := "id, nome, turma, ra, version, created_at, updated_at", "(?,?,?,?,1,?,?"
	if schema.Busca {
		cols, row = cols+", busca", row+",?"
	}
	if schema.Keys {
		cols, row = cols+", nome_key, turma_key", row+",?,?"
	}
	row += ")"
	students := rowsInsert{sql: "INSERT INTO alunos (" + cols + ") VALUES ", row: row}
	words := rowsInsert{sql: "INSERT INTO aluno_palavras (aluno_id, palavra) VALUES ", row: "(?,?)"}
	for i := range n {
		s, id := Make(seed, first+i), firstID+int64(i)
		args := []any{id, s.Nome, s.Turma, s.RA, s.CreatedAt, s.CreatedAt}
		if schema.Busca {
			args = append(args, SearchKey(s.Nome))
		}
		if schema.Keys {
			args = append(args, models.SortKey(s.Nome), models.SortKey(s.Turma))
		}
		students.add(args...)
		for _, w := range DistinctWords(s.Nome) {
			words.add(id, w)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, students.String(), students.args...); err != nil {
		return fmt.Errorf("insert students %d-%d: %w", first, first+n-1, err)
	}
	if schema.Words {
		if _, err := tx.ExecContext(ctx, words.String(), words.args...); err != nil {
			return fmt.Errorf("insert words of students %d-%d: %w", first, first+n-1, err)
		}
	}
	return tx.Commit()
}

// rowsInsert builds one multi-row INSERT.
type rowsInsert struct {
	sql, row string
	sb       strings.Builder
	args     []any
}

func (r *rowsInsert) add(args ...any) {
	if len(r.args) > 0 {
		r.sb.WriteByte(',')
	}
	r.sb.WriteString(r.row)
	r.args = append(r.args, args...)
}

func (r *rowsInsert) String() string { return r.sql + r.sb.String() }
