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
// statements as Workers.
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
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	batches := make(chan int)
	var wg sync.WaitGroup
	for range o.Workers {
		wg.Go(func() {
			for start := range batches {
				n := min(o.Batch, o.First+o.Count-start)
				if err := insertBatch(ctx, db, schema, o.Seed, start, n, maxID.Int64+1+int64(start-o.First)); err != nil {
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
	if err := context.Cause(ctx); err != nil {
		return err
	}
	_, err = db.ExecContext(context.WithoutCancel(ctx), "ANALYZE TABLE alunos")
	if err == nil && schema.Words {
		_, err = db.ExecContext(context.WithoutCancel(ctx), "ANALYZE TABLE aluno_palavras")
	}
	return err
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
