package main

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"strings"
	"time"

	"schooladmin/bench/internal/dataset"
	"schooladmin/models"
)

// patch changes the fields sent if If-Match names the stored version:
// read, update guarded by the version, audit, in one transaction, as the
// app does.
func (s *server) patch(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	version, err := strconv.ParseInt(strings.Trim(r.Header.Get("If-Match"), `"`), 10, 64)
	if err != nil {
		writeError(w, http.StatusPreconditionRequired, "If-Match required")
		return
	}
	in, ok := readInput(w, r)
	if !ok {
		return
	}
	var next student
	err = s.inTx(r.Context(), func(tx *sql.Tx) error {
		var cur student
		if err := cur.scan(tx.QueryRowContext(r.Context(), "SELECT "+studentColumns+" FROM alunos WHERE id = ?", id)); err != nil {
			return err
		}
		if cur.Version != version {
			return errConflict
		}
		next = cur
		if !in.apply(&next) {
			return errConflict
		}
		next.Version, next.UpdatedAt = cur.Version+1, now()
		if err := s.update(r.Context(), tx, next, cur, version); err != nil {
			return err
		}
		return audit(r, tx, "student.update", next, cur)
	})
	if writeDBError(w, err) {
		return
	}
	w.Header().Set("ETag", `"`+strconv.FormatInt(next.Version, 10)+`"`)
	writeJSON(w, http.StatusOK, next)
}

// update writes st guarded by version; a changed name gets new search
// data, as in the app.
func (s *server) update(ctx context.Context, tx *sql.Tx, st, cur student, version int64) error {
	sets, args := "nome = ?, turma = ?, ra = ?, version = ?, updated_at = ?", []any{st.Nome, st.Turma, st.RA, st.Version, st.UpdatedAt}
	if s.schema.Busca {
		sets, args = sets+", busca = ?", append(args, dataset.SearchKey(st.Nome))
	}
	if s.schema.Keys {
		sets, args = sets+", nome_key = ?, turma_key = ?", append(args, models.SortKey(st.Nome), models.SortKey(st.Turma))
	}
	res, err := tx.ExecContext(ctx, "UPDATE alunos SET "+sets+" WHERE id = ? AND version = ?", append(args, st.ID, version)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errConflict
	}
	if !s.schema.Words || st.Nome == cur.Nome {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM aluno_palavras WHERE aluno_id = ?", st.ID); err != nil {
		return err
	}
	return s.insertWords(ctx, tx, st)
}

// withToken lets the request through when its bearer token is valid and
// its user may list students, checked in one query.
func (s *server) withToken(next http.HandlerFunc) http.HandlerFunc {
	const check = `SELECT u.username FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.active
		AND EXISTS (SELECT 1 FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id
		            WHERE ur.user_id = u.id AND rp.permission = ?)`
	return func(w http.ResponseWriter, r *http.Request) {
		plain, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			writeError(w, http.StatusUnauthorized, "token required")
			return
		}
		var username string
		err := s.db.QueryRowContext(r.Context(), check, models.HashSecret(strings.TrimSpace(plain)), time.Now().UTC(), models.PermListAlunos).Scan(&username)
		if err != nil {
			writeError(w, http.StatusUnauthorized, "bad token")
			return
		}
		next(w, r)
	}
}
