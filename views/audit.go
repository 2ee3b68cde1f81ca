package views

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"

	"schooladmin/models"
)

// AuditActionOptions lists the known audit actions by label, for the filter.
func AuditActionOptions() []SelectOption { return sortedOptions(actionLabels) }

// AuditTypeOptions lists the audit object types by label, for the filter.
func AuditTypeOptions() []SelectOption { return sortedOptions(objectTypeLabels) }

func sortedOptions(labels map[string]string) []SelectOption {
	opts := make([]SelectOption, 0, len(labels))
	for v, l := range labels {
		opts = append(opts, SelectOption{Value: v, Label: l})
	}
	slices.SortFunc(opts, func(a, b SelectOption) int { return cmp.Compare(a.Label, b.Label) })
	return opts
}

// AuditList is the view model of the audit trail page.
type AuditList struct {
	Events   []models.AuditEvent
	Total    int64
	Query    models.AuditQuery // Page and PerPage are always set
	LastPage int
}

// Filtered reports whether any filter is active.
func (l AuditList) Filtered() bool {
	q := l.Query
	return q.Actor != "" || q.Action != "" || q.ObjectType != "" || q.ObjectID != ""
}

// PageURL is the address of page n with the same filters.
func (l AuditList) PageURL(n int) string {
	v := url.Values{}
	for k, val := range map[string]string{
		"actor": l.Query.Actor, "action": l.Query.Action, "type": l.Query.ObjectType, "object": l.Query.ObjectID,
	} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/admin/audit"
	}
	return "/admin/audit?" + v.Encode()
}

// Range describes the events shown, as in "51–100 de 230".
func (l AuditList) Range() string {
	total := strconv.FormatInt(l.Total, 10)
	if len(l.Events) == 0 {
		return "0 de " + total
	}
	first := (l.Query.Page-1)*l.Query.PerPage + 1
	return strconv.Itoa(first) + "–" + strconv.Itoa(first+len(l.Events)-1) + " de " + total
}

// AuditTime formats an event's time (UTC, to the second).
func AuditTime(ev models.AuditEvent) string { return FormatTimeSeconds(ev.At) }
