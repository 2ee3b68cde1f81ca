package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"schooladmin/bench/internal/dataset"
	"schooladmin/models"
)

// student is the STUDENT object of the API, as the app encodes it.
type student struct {
	ID        int64     `json:"id"`
	Nome      string    `json:"nome"`
	Turma     string    `json:"turma"`
	RA        string    `json:"ra"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

const studentColumns = "id, nome, turma, ra, version, created_at, updated_at"

func (st *student) scan(row interface{ Scan(...any) error }) error {
	return row.Scan(&st.ID, &st.Nome, &st.Turma, &st.RA, &st.Version, &st.CreatedAt, &st.UpdatedAt)
}

// sortColumns is the app's whitelist of sort keys.
var sortColumns = map[string]bool{"id": true, "nome": true, "turma": true, "ra": true, "created_at": true, "updated_at": true}

// listQuery is one page of the list, read from the URL as the app does.
type listQuery struct {
	where         string
	args          []any
	order         string
	page, perPage int
}

// parseList reads the list query; with keys (the schema's sort keys),
// nome and turma sort by their keys, as the app does.
func parseList(v url.Values, keys bool) (listQuery, bool) {
	q := listQuery{page: 1, perPage: models.DefaultPerPage, order: "id ASC"}
	var ok1, ok2 bool
	q.page, ok1 = intParam(v.Get("page"), 1, 1, 1<<30)
	q.perPage, ok2 = intParam(v.Get("per_page"), models.DefaultPerPage, 1, models.MaxPerPage)
	if sort := v.Get("sort"); sort != "" {
		col, desc := strings.TrimPrefix(sort, "-"), strings.HasPrefix(sort, "-")
		if !sortColumns[col] {
			return q, false
		}
		dir := " ASC"
		if desc {
			dir = " DESC"
		}
		if keys && (col == "nome" || col == "turma") {
			col += "_key"
		}
		q.order = col + dir
		if col != "id" {
			q.order += ", id" + dir
		}
	}
	return q, ok1 && ok2
}

// raPrefix is a q that may begin an RA: letters, digits, . and -.
var raPrefix = regexp.MustCompile(`^[A-Za-z0-9.-]{1,20}$`)

// filter is the WHERE clause of the app's list for turma and q: name
// words, or the beginning of an RA.
func (s *server) filter(ctx context.Context, v url.Values, q *listQuery) error {
	var conds []string
	if turma := strings.TrimSpace(v.Get("turma")); turma != "" {
		if s.schema.Keys { // turmas are told apart by their sort keys, as in the app
			conds, q.args = append(conds, "turma_key = ?"), append(q.args, models.SortKey(turma))
		} else {
			conds, q.args = append(conds, "turma = ?"), append(q.args, turma)
		}
	}
	text := strings.TrimSpace(v.Get("q"))
	words := dataset.SearchWords(text)
	if len(words) > 0 {
		byName := make([]string, len(words))
		for i, w := range words {
			if s.schema.Words {
				byName[i], q.args = "id IN (SELECT aluno_id FROM aluno_palavras WHERE palavra LIKE ?)", append(q.args, w+"%")
			} else {
				byName[i], q.args = "busca LIKE ?", append(q.args, "% "+w+"%")
			}
		}
		cond := strings.Join(byName, " AND ")
		if raPrefix.MatchString(text) {
			// q also finds the RAs it begins: looked up first, as the app
			// counts them first, so a search that begins none keeps the
			// name search's plan. RAs hold no LIKE wildcards.
			like := strings.ToUpper(text) + "%"
			var one int
			err := s.db.QueryRowContext(ctx, "SELECT 1 FROM alunos WHERE ra LIKE ? LIMIT 1", like).Scan(&one)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if one == 1 {
				cond, q.args = cond+" OR ra LIKE ?", append(q.args, like)
			}
		}
		conds = append(conds, "("+cond+")")
	}
	if len(conds) > 0 {
		q.where = " WHERE " + strings.Join(conds, " AND ")
	}
	return nil
}

func intParam(raw string, def, lo, hi int) (int, bool) {
	if raw = strings.TrimSpace(raw); raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return def, false
	}
	return n, true
}

// list serves the students list with totals cached for -count-ttl.
func (s *server) list(w http.ResponseWriter, r *http.Request) { s.listWith(w, r, s.counts) }

// listExact counts the matching rows on every request.
func (s *server) listExact(w http.ResponseWriter, r *http.Request) { s.listWith(w, r, noCache) }

var noCache = newCounts(0)

func (s *server) listWith(w http.ResponseWriter, r *http.Request, cache *counts) {
	v := r.URL.Query()
	q, ok := parseList(v, s.schema.Keys)
	if !ok {
		writeError(w, http.StatusUnprocessableEntity, "invalid query")
		return
	}
	ctx := r.Context()
	if err := s.filter(ctx, v, &q); err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	total, err := s.count(r, cache, q)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	alunos := make([]student, 0, q.perPage)
	offset := (q.page - 1) * q.perPage
	if total > int64(offset) {
		if alunos, err = s.page(r, q, offset, alunos); err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
	}
	w.Header().Set("X-Total-Count", strconv.FormatInt(total, 10))
	w.Header().Set("Link", links(r.URL, q, total))
	writeJSON(w, http.StatusOK, alunos)
}

func (s *server) page(r *http.Request, q listQuery, offset int, alunos []student) ([]student, error) {
	args := append(q.args, q.perPage, offset)
	rows, err := s.db.QueryContext(r.Context(), "SELECT "+studentColumns+" FROM alunos"+q.where+" ORDER BY "+q.order+" LIMIT ? OFFSET ?", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var st student
		if err := st.scan(rows); err != nil {
			return nil, err
		}
		alunos = append(alunos, st)
	}
	return alunos, rows.Err()
}

func (s *server) count(r *http.Request, cache *counts, q listQuery) (int64, error) {
	key := q.where + fmt.Sprint(q.args...)
	if n, ok := cache.get(key); ok {
		return n, nil
	}
	var n int64
	if err := s.db.QueryRowContext(r.Context(), "SELECT COUNT(*) FROM alunos"+q.where, q.args...).Scan(&n); err != nil {
		return 0, err
	}
	cache.put(key, n)
	return n, nil
}

// links is the Link header the app sends: first, prev, next, last.
func links(u *url.URL, q listQuery, total int64) string {
	last := max(1, int((total+int64(q.perPage)-1)/int64(q.perPage)))
	link := func(page int, rel string) string {
		v := u.Query()
		v.Set("page", strconv.Itoa(page))
		return "<" + u.Path + "?" + v.Encode() + `>; rel="` + rel + `"`
	}
	out := []string{link(1, "first")}
	if q.page > 1 {
		out = append(out, link(min(q.page-1, last), "prev"))
	}
	if q.page < last {
		out = append(out, link(q.page+1, "next"))
	}
	return strings.Join(append(out, link(last, "last")), ", ")
}

func (s *server) show(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	var st student
	err = st.scan(s.db.QueryRowContext(r.Context(), "SELECT "+studentColumns+" FROM alunos WHERE id = ?", id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		writeError(w, http.StatusNotFound, "not found")
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
	default:
		w.Header().Set("ETag", `"`+strconv.FormatInt(st.Version, 10)+`"`)
		writeJSON(w, http.StatusOK, st)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
