package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"schooladmin/bench/internal/dataset"
	"schooladmin/models"
)

// input is a request body: the fields sent, nil when absent.
type input struct {
	Nome    *string `json:"nome"`
	Turma   *string `json:"turma"`
	RA      *string `json:"ra"`
	Version *int64  `json:"version"`
}

// apply copies the given fields onto st, trimmed, RA in upper case.
func (in input) apply(st *student) bool {
	for _, f := range []struct {
		from *string
		to   *string
	}{{in.Nome, &st.Nome}, {in.Turma, &st.Turma}, {in.RA, &st.RA}} {
		if f.from != nil {
			if *f.to = strings.TrimSpace(*f.from); *f.to == "" {
				return false
			}
		}
	}
	st.RA = strings.ToUpper(st.RA)
	return true
}

func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

func readInput(w http.ResponseWriter, r *http.Request) (input, bool) {
	var in input
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "malformed JSON")
		return in, false
	}
	return in, true
}

// create inserts the student and its audit record in one transaction, as
// the app does: the reference for POST /alunos.
func (s *server) create(w http.ResponseWriter, r *http.Request) {
	s.insert(w, r, true)
}

// createPlain is the insert alone, for comparison.
func (s *server) createPlain(w http.ResponseWriter, r *http.Request) {
	s.insert(w, r, false)
}

func (s *server) insert(w http.ResponseWriter, r *http.Request, audited bool) {
	in, ok := readInput(w, r)
	st := student{Version: 1}
	if !ok || !in.apply(&st) || in.Nome == nil || in.Turma == nil || in.RA == nil {
		writeError(w, http.StatusUnprocessableEntity, "nome, turma and ra are required")
		return
	}
	st.CreatedAt = now()
	st.UpdatedAt = st.CreatedAt
	var err error
	if audited {
		err = s.inTx(r.Context(), func(tx *sql.Tx) error {
			if err := s.insertStudent(r.Context(), tx, &st); err != nil {
				return err
			}
			return audit(r, tx, "student.create", st, student{})
		})
	} else {
		err = s.insertStudent(r.Context(), s.db, &st)
	}
	if writeDBError(w, err) {
		return
	}
	s.counts.clear()
	w.Header().Set("Location", "/alunos/"+strconv.FormatInt(st.ID, 10))
	writeJSON(w, http.StatusCreated, map[string]any{"message": "Aluno adicionado com sucesso!", "aluno": st})
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// insertStudent inserts the row and, with a word index, its words.
func (s *server) insertStudent(ctx context.Context, db execer, st *student) error {
	cols, vals, args := "nome, turma, ra, version, created_at, updated_at", "?,?,?,?,?,?",
		[]any{st.Nome, st.Turma, st.RA, st.Version, st.CreatedAt, st.UpdatedAt}
	if s.schema.Busca {
		cols, vals, args = cols+", busca", vals+",?", append(args, dataset.SearchKey(st.Nome))
	}
	if s.schema.Keys {
		cols, vals, args = cols+", nome_key, turma_key", vals+",?,?", append(args, models.SortKey(st.Nome), models.SortKey(st.Turma))
	}
	res, err := db.ExecContext(ctx, "INSERT INTO alunos ("+cols+") VALUES ("+vals+")", args...)
	if err != nil {
		return err
	}
	if st.ID, err = res.LastInsertId(); err != nil || !s.schema.Words {
		return err
	}
	return s.insertWords(ctx, db, *st)
}

// insertWords adds the word rows of st's name in one statement.
func (s *server) insertWords(ctx context.Context, db execer, st student) error {
	words := dataset.DistinctWords(st.Nome)
	if len(words) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(words))
	for _, w := range words {
		args = append(args, st.ID, w)
	}
	_, err := db.ExecContext(ctx, "INSERT INTO aluno_palavras (aluno_id, palavra) VALUES (?,?)"+strings.Repeat(",(?,?)", len(words)-1), args...)
	return err
}

// audit appends the change to audit_events in tx, with the same columns
// and JSON the app writes.
func audit(r *http.Request, tx *sql.Tx, action string, next, prev student) error {
	changes := map[string]models.FieldChange{}
	for _, f := range [][3]string{{"nome", prev.Nome, next.Nome}, {"turma", prev.Turma, next.Turma}, {"ra", prev.RA, next.RA}} {
		if f[1] != f[2] {
			changes[f[0]] = models.FieldChange{Old: f[1], New: f[2]}
		}
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return err
	}
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	_, err = tx.ExecContext(r.Context(), "INSERT INTO audit_events (at, actor, action, object_type, object_id, summary, changes, ip) VALUES (?,?,?,?,?,?,?,?)",
		now(), "admin", action, models.AuditAluno, strconv.FormatInt(next.ID, 10), next.Nome, string(b), ip)
	return err
}

func (s *server) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

var (
	errConflict = errors.New("stale version")
	errNotFound = errors.New("not found")
)

// writeDBError answers for err and reports whether there was one.
func writeDBError(w http.ResponseWriter, err error) bool {
	var my *mysql.MySQLError
	switch {
	case err == nil:
		return false
	case errors.As(err, &my) && my.Number == 1062:
		writeError(w, http.StatusConflict, "duplicate ra")
	case errors.Is(err, errConflict):
		writeError(w, http.StatusConflict, "stale version")
	case errors.Is(err, errNotFound), errors.Is(err, sql.ErrNoRows):
		writeError(w, http.StatusNotFound, "not found")
	default:
		writeError(w, http.StatusInternalServerError, err.Error())
	}
	return true
}
