package models

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Actor is who does something, for the audit trail.
type Actor struct {
	Username string // "" when nobody is logged in (a failed login)
	IP       string
}

// Audit object types.
const (
	// AuditAluno is the object type of students: "student", as the
	// trail has recorded them since the first version.
	AuditAluno = "student"
	AuditLogin = "login"
	AuditUser  = "user"
	AuditRole  = "role"
	AuditToken = "token"
)

// FieldChange is a field's value before and after a change.
type FieldChange struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// recordAudit appends an event; callers pass their transaction so that the
// change and its record are written together or not at all.
func recordAudit(db *gorm.DB, actor Actor, action, objectType string, objectID any, summary string, changes map[string]FieldChange) error {
	ev, err := newAuditEvent(actor, action, objectType, objectID, summary, changes)
	if err != nil {
		return err
	}
	if err := db.Create(&ev).Error; err != nil {
		return fmt.Errorf("audit %s: %w", action, dbError(err))
	}
	return nil
}

// newAuditEvent is the event recordAudit appends, for callers that
// append many at once.
func newAuditEvent(actor Actor, action, objectType string, objectID any, summary string, changes map[string]FieldChange) (AuditEvent, error) {
	ev := AuditEvent{
		At: now(), Actor: actor.Username, IP: actor.IP, Action: action,
		ObjectType: objectType, ObjectID: fmt.Sprint(objectID), Summary: truncate(summary, 255),
	}
	if len(changes) > 0 {
		b, err := json.Marshal(changes)
		if err != nil {
			return ev, err
		}
		ev.Changes = string(b)
	}
	return ev, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// ChangeList decodes the event's field changes.
func (e AuditEvent) ChangeList() map[string]FieldChange {
	var m map[string]FieldChange
	if e.Changes != "" {
		_ = json.Unmarshal([]byte(e.Changes), &m)
	}
	return m
}

// AuditStore reads the audit trail and records events that stand alone
// (logins, token use).
type AuditStore struct{ db *gorm.DB }

// NewAuditStore returns a store on db.
func NewAuditStore(db *Database) *AuditStore { return &AuditStore{db: db.DB} }

// Record appends one event.
func (s *AuditStore) Record(ctx context.Context, actor Actor, action, objectType string, objectID any, summary string) error {
	return recordAudit(s.db.WithContext(ctx), actor, action, objectType, objectID, summary, nil)
}

// AuditList is what the audit trail's list accepts: exact filters on who,
// what and which object, newest first.
var AuditList = &ListSpec{
	Sorts:       map[string]string{"id": "id"},
	DefaultSort: "-id",
	Filters: map[string]Filter{
		"actor": {Column: "actor"}, "action": {Column: "action"}, "type": {Column: "object_type"}, "object": {Column: "object_id"},
	},
}

// List returns a page of events and the total that match.
func (s *AuditStore) List(ctx context.Context, q ListQuery) ([]AuditEvent, int64, error) {
	db := q.filterExact(s.db.WithContext(ctx).Model(&AuditEvent{}))
	var total int64
	if err := db.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", dbError(err))
	}
	events := []AuditEvent{}
	if total <= int64(q.Offset()) {
		return events, total, nil
	}
	if err := db.Order(q.order()).Limit(q.PerPage).Offset(q.Offset()).Find(&events).Error; err != nil {
		return nil, 0, fmt.Errorf("list audit: %w", dbError(err))
	}
	return events, total, nil
}

// History returns the events of one record (an object type such as
// AuditAluno and its id), newest first.
func (s *AuditStore) History(ctx context.Context, objectType string, id int64) ([]AuditEvent, error) {
	q := NewListQuery(AuditList, 200, map[string]string{"type": objectType, "object": strconv.FormatInt(id, 10)})
	events, _, err := s.List(ctx, q)
	return events, err
}

// loginMethodPrefix starts the summary of a login event that names how
// the person signed in.
const loginMethodPrefix = "method: "

// LoginSummary is the summary of a login event: the sign-in method
// ("senha", "oidc", "ldap") and, for a refusal, the reason.
func LoginSummary(method, reason string) string {
	if reason == "" {
		return loginMethodPrefix + method
	}
	return loginMethodPrefix + method + "; " + reason
}

// ParseLoginSummary reads what LoginSummary wrote.
func ParseLoginSummary(summary string) (method, reason string, ok bool) {
	rest, ok := strings.CutPrefix(summary, loginMethodPrefix)
	if !ok {
		return "", "", false
	}
	method, reason, _ = strings.Cut(rest, "; ")
	return method, reason, true
}
