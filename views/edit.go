package views

import (
	"maps"
	"slices"
)

// EditState is what every edit form carries so that a save coming after
// someone else's change is merged, not written over it: the version and
// the values it was opened with (sent back in hidden orig_FIELD inputs),
// and, when it came back after such a save, the fields both people changed.
type EditState struct {
	Version int64
	// Orig holds the values the form was opened with, by field; nil when
	// a post did not carry them.
	Orig map[string]string
	// Stale is set when someone else changed the record while the form
	// was open; Conflicts then maps each field that both changed, to
	// different values, to its stored value.
	Stale     bool
	Conflicts map[string]string
}

// staleState is the edit state of a form that came back after a stale
// save: the stored version and values become its starting point, and the
// fields both sides changed carry their stored values.
func staleState(version int64, stored map[string]string, conflicts []string) EditState {
	e := EditState{Version: version, Orig: stored, Stale: true, Conflicts: map[string]string{}}
	for _, field := range conflicts {
		e.Conflicts[field] = stored[field]
	}
	return e
}

// origFields lists the hidden orig_FIELD inputs, in a stable order.
func (e EditState) origFields() []hiddenField {
	var out []hiddenField
	for _, k := range slices.Sorted(maps.Keys(e.Orig)) {
		out = append(out, hiddenField{"orig_" + k, e.Orig[k]})
	}
	return out
}
