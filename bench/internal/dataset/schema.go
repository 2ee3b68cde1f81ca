package dataset

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Schema says how the app's schema keeps the search words of a name,
// which has changed over time: a busca column of alunos (" joao da silva",
// searched with LIKE '% w%'), or a table aluno_palavras of one row per
// distinct word (searched with palavra LIKE 'w%'). The loader fills
// whichever exists; the ceiling server queries the same way the app does.
type Schema struct {
	Busca bool // alunos.busca exists
	Words bool // aluno_palavras exists
	// Keys: alunos.nome_key and turma_key exist, the sort keys of nome and
	// turma (models.SortKey) that lists sort by.
	Keys bool
}

// DetectSchema reads the current database's schema.
func DetectSchema(ctx context.Context, db *sql.DB) (Schema, error) {
	var s Schema
	q := `SELECT
		(SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'alunos' AND column_name = 'busca'),
		(SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'aluno_palavras'),
		(SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'alunos' AND column_name = 'nome_key')`
	if IsSQLite(db) {
		q = `SELECT
		(SELECT COUNT(*) FROM pragma_table_info('alunos') WHERE name = 'busca'),
		(SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'aluno_palavras'),
		(SELECT COUNT(*) FROM pragma_table_info('alunos') WHERE name = 'nome_key')`
	}
	if err := db.QueryRowContext(ctx, q).Scan(&s.Busca, &s.Words, &s.Keys); err != nil {
		return s, fmt.Errorf("read schema: %w", err)
	}
	if !s.Busca && !s.Words {
		return s, fmt.Errorf("alunos has neither a busca column nor an aluno_palavras table: migrate first, or teach bench/internal/dataset the new search schema")
	}
	return s, nil
}

// IsSQLite reports whether db is an embedded SQLite database (by its
// driver, glebarez/go-sqlite's), whose statements differ here and there.
func IsSQLite(db *sql.DB) bool { return strings.Contains(fmt.Sprintf("%T", db.Driver()), "sqlite") }

func (s Schema) String() string {
	search := "busca column"
	switch {
	case s.Busca && s.Words:
		search = "busca column and aluno_palavras"
	case s.Words:
		search = "aluno_palavras word index"
	}
	if s.Keys {
		return search + ", sort keys"
	}
	return search
}
