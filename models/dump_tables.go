package models

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"gorm.io/gorm"
	gormschema "gorm.io/gorm/schema"
)

// The tables an export copies, in the order an import loads them (a
// table after those its rows point at, so foreign keys hold at every
// step). A table's columns come from its GORM model, so a new field is
// copied without anyone remembering to add it; a new table must be added
// here or to notDumped (TestEveryTableIsDumpedOrExcluded).
var dumped = []dumpSource{
	{model: &Role{}},
	{model: &RolePermission{}},
	{model: &User{}},
	{model: &User{}, join: "Roles"}, // user_roles
	{model: &APIToken{}},
	{model: &Turma{}},
	{model: &Aluno{}, loaded: loadWordsOf},
	{model: &AlunoExcluido{}},
	{model: &AuditEvent{}},
	{model: &Setting{}},
}

// notDumped are the tables an export leaves out: the search words are
// derived from the names and rebuilt as students are loaded; sessions,
// login failures, idempotency keys and uploads waiting for an import's
// confirmation are short-lived state that means nothing on another server.
var notDumped = []any{&AlunoPalavra{}, &UserSession{}, &LoginFailure{}, &IdempotencyKey{}, &ImportUpload{}, &ImportUploadPart{}}

// dumpSource names a table: a model's own, or the join table of its
// many-to-many field join.
type dumpSource struct {
	model any
	join  string
	// loaded, when set, runs after each batch of the table's rows is
	// inserted, in the import's transaction: what is derived from them.
	loaded afterBatch
}

// afterBatch derives what a batch of rows (of the named columns) implies,
// in the import's transaction.
type afterBatch func(ins *rowInserter, columns []string, rows [][]any) error

// dumpTable is one table as the export file holds it.
type dumpTable struct {
	name    string
	columns []dumpColumn
	// key are the primary key's columns: rows are written in their
	// order, compared byte by byte on every database, so two copies of
	// the same data have the same checksum.
	key    []string
	loaded afterBatch
}

// dumpColumn is a column and the kind of value it holds.
type dumpColumn struct {
	name string
	kind valueKind
}

// column returns the index of the named column, or -1.
func (t *dumpTable) column(name string) int {
	for i, c := range t.columns {
		if c.name == name {
			return i
		}
	}
	return -1
}

// dumpTables describes the dumped tables from their GORM models.
func dumpTables(db *gorm.DB) ([]*dumpTable, error) {
	tables := make([]*dumpTable, 0, len(dumped))
	for _, src := range dumped {
		sch, err := parseModel(db, src.model)
		if err != nil {
			return nil, err
		}
		if src.join != "" {
			rel, ok := sch.Relationships.Relations[src.join]
			if !ok || rel.JoinTable == nil {
				return nil, fmt.Errorf("export: %s has no join table %s", sch.Name, src.join)
			}
			sch = rel.JoinTable
		}
		t, err := describeTable(sch)
		if err != nil {
			return nil, err
		}
		t.loaded = src.loaded
		tables = append(tables, t)
	}
	return tables, nil
}

func parseModel(db *gorm.DB, model any) (*gormschema.Schema, error) {
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(model); err != nil {
		return nil, fmt.Errorf("export: read the model %T: %w", model, err)
	}
	return stmt.Schema, nil
}

var timeType = reflect.TypeOf(time.Time{})

// describeTable lists a schema's stored columns with their kinds.
func describeTable(sch *gormschema.Schema) (*dumpTable, error) {
	t := &dumpTable{name: sch.Table}
	for _, f := range sch.Fields {
		if f.DBName == "" {
			continue // a relation, not a column
		}
		kind, err := kindOf(f.FieldType)
		if err != nil {
			return nil, fmt.Errorf("export: %s.%s: %w", sch.Table, f.DBName, err)
		}
		t.columns = append(t.columns, dumpColumn{name: f.DBName, kind: kind})
	}
	for _, f := range sch.PrimaryFields {
		t.key = append(t.key, f.DBName)
	}
	if len(t.key) == 0 {
		return nil, fmt.Errorf("export: %s has no primary key", sch.Table)
	}
	return t, nil
}

// kindOf is the kind of value a Go field type stores.
func kindOf(typ reflect.Type) (valueKind, error) {
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	switch {
	case typ == timeType:
		return kindTime, nil
	case typ.Kind() >= reflect.Int && typ.Kind() <= reflect.Int64:
		return kindInt, nil
	case typ.Kind() == reflect.String:
		return kindString, nil
	case typ.Kind() == reflect.Bool:
		return kindBool, nil
	}
	return 0, fmt.Errorf("no export encoding for %s", typ)
}

// quoteName quotes a table or column name; SQLite accepts MariaDB's
// backquotes.
func quoteName(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

// selectAll is the query that reads every row of t in key order, the
// same order on every database: text keys compare as bytes (MariaDB's
// collation would fold case and accents).
func (t *dumpTable) selectAll(dialect string) string {
	cols := make([]string, len(t.columns))
	for i, c := range t.columns {
		cols[i] = quoteName(c.name)
	}
	order := make([]string, len(t.key))
	for i, k := range t.key {
		order[i] = quoteName(k)
		if dialect == "mysql" && t.columns[t.column(k)].kind == kindString {
			order[i] += " COLLATE utf8mb4_bin"
		}
	}
	return "SELECT " + strings.Join(cols, ", ") + " FROM " + quoteName(t.name) + " ORDER BY " + strings.Join(order, ", ")
}
