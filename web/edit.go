package web

import (
	"errors"
	"net/http"
	"net/url"

	"schooladmin/models"
)

// formErrors is what a form shows for an error the person can fix:
// invalid fields (422) or a unique field already taken (409), each message
// beside its field; ok is false for anything else.
func formErrors(err error) (status int, fields map[string]string, ok bool) {
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		return http.StatusUnprocessableEntity, verr.Fields, true
	case errors.Is(err, models.ErrDuplicate):
		return http.StatusConflict, explain(err).fields, true
	}
	return 0, nil, false
}

// maxMergeAttempts bounds how often a stale edit is merged again when the
// record keeps changing while it is being saved.
const maxMergeAttempts = 3

// readOrig reads the values an edit form was opened with (orig_FIELD) for
// the fields of mine; nil when the form did not carry them all. A field
// whose keep_FIELD is "current" (the person chose the stored value in a
// conflict) takes its original value in mine, which leaves the stored
// value as it is.
func readOrig(form url.Values, mine map[string]string) map[string]string {
	orig := map[string]string{}
	for name := range mine {
		if !form.Has("orig_" + name) {
			return nil
		}
		orig[name] = form.Get("orig_" + name)
		if form.Get("keep_"+name) == "current" {
			mine[name] = orig[name]
		}
	}
	return orig
}

// mergedEdit saves a complete edit of any entity made from a version
// through the entity's versioned update. When the record has moved on, the
// edit is merged with the stored record (models.MergeFields) and saved at
// the stored version through the same update, so a change made meanwhile
// is never overwritten. It returns, with the conflict error and the stored
// record, the merged values and the fields both sides changed, when they
// did (or the record kept changing).
type mergedEdit[T any] struct {
	// save is the versioned update of the values.
	save func(version int64, values map[string]string) (T, error)
	// stored gives a stored record's version and values.
	stored func(T) (int64, map[string]string)
	// clean puts values in the form the store keeps them (trimmed, ...).
	clean func(map[string]string) map[string]string
}

func (m mergedEdit[T]) run(version int64, orig, mine map[string]string) (T, map[string]string, []string, error) {
	values := mine
	for attempt := 1; ; attempt++ {
		cur, err := m.save(version, values)
		if !errors.Is(err, models.ErrConflict) {
			return cur, nil, nil, err
		}
		stored, theirs := m.stored(cur)
		merged, conflicts := models.MergeFields(m.clean(orig), m.clean(mine), theirs)
		if len(conflicts) > 0 || attempt == maxMergeAttempts {
			return cur, merged, conflicts, err
		}
		version, values = stored, merged
	}
}
