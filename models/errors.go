// Package models owns the data: GORM structs, validation rules, the stores
// that read and write them, sentinel errors and the schema migration.
package models

import (
	"errors"
	"maps"
	"slices"
	"strings"
)

// Sentinel errors returned by the stores. Handlers map them with errors.Is.
var (
	// ErrNotFound means the record does not exist (or no longer does).
	ErrNotFound = errors.New("record not found")
	// ErrDuplicate means a unique key (a student's RA) is already taken.
	ErrDuplicate = errors.New("duplicate key")
	// ErrConflict means the caller's version is stale: someone else changed the record.
	ErrConflict = errors.New("version conflict")
	// ErrUnavailable means the database could not be reached.
	ErrUnavailable = errors.New("database unavailable")
)

// ValidationError lists the invalid fields of an input, field name → message
// in Portuguese, ready to show beside a form input or in a JSON body.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	keys := slices.Sorted(maps.Keys(e.Fields))
	return "invalid fields: " + strings.Join(keys, ", ")
}

// fieldErrors collects messages while validating; it becomes a
// *ValidationError only when something was wrong.
type fieldErrors map[string]string

func (f fieldErrors) add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return &ValidationError{Fields: f}
}
