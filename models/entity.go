package models

import (
	"errors"
	"fmt"
)

// Entity names a kind of record. Errors carry it, so one error handler
// words "Turma não encontrada." as well as "Aluno não encontrado.", and
// the audit trail and metrics name their objects with it.
type Entity string

// The entities schooladmin stores.
const (
	EntityAluno Entity = "aluno"
	EntityTurma Entity = "turma"
	EntityUser  Entity = "user"
	EntityRole  Entity = "role"
	EntityToken Entity = "token"
)

// RecordError is one of the sentinel errors (ErrNotFound, ErrDuplicate,
// ErrConflict, ErrNotEmpty) about a record of an entity. errors.Is sees
// the sentinel; errors.As gives the entity and the details a message
// needs.
type RecordError struct {
	Entity Entity
	Err    error
	// Field is the unique field of an ErrDuplicate ("ra", "codigo").
	Field string
	// Name and Count describe an ErrNotEmpty: the record and how many
	// others still depend on it.
	Name  string
	Count int64
}

func (e *RecordError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s %s: %v", e.Entity, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Entity, e.Err)
}

// Unwrap gives the sentinel.
func (e *RecordError) Unwrap() error { return e.Err }

// ErrNotEmpty means a record cannot be deleted while others depend on it
// (a turma that still has students).
var ErrNotEmpty = errors.New("record still in use")

// about attaches entity (and the unique field, for duplicates) to the
// package's sentinel errors in err; any other error passes unchanged. An
// error that already names its entity keeps it.
func about(entity Entity, field string, err error) error {
	var re *RecordError
	if err == nil || errors.As(err, &re) {
		return err
	}
	for _, sentinel := range []error{ErrNotFound, ErrDuplicate, ErrConflict} {
		if errors.Is(err, sentinel) {
			re := &RecordError{Entity: entity, Err: sentinel}
			if sentinel == ErrDuplicate {
				re.Field = field
			}
			return re
		}
	}
	return err
}
