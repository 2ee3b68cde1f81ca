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
	Query    models.ListQuery
	LastPage int
}

// Filtered reports whether any filter is active.
func (l AuditList) Filtered() bool { return len(l.Query.Filters) > 0 }

// URL is the trail's address with its filters, changed by edit.
func (l AuditList) URL(edit func(v url.Values)) string {
	v := url.Values{}
	for k, val := range l.Query.Filters {
		v.Set(k, val)
	}
	if l.Query.Page > 1 {
		v.Set("page", strconv.Itoa(l.Query.Page))
	}
	if edit != nil {
		edit(v)
	}
	if len(v) == 0 {
		return "/admin/audit"
	}
	return "/admin/audit?" + v.Encode()
}

// Pager is the trail's pager: newer events come first.
func (l AuditList) Pager() Pager {
	return Pager{Page: l.Query.Page, PerPage: l.Query.PerPage, LastPage: l.LastPage, Rows: len(l.Events), Total: l.Total,
		URL: l.URL, Prev: "Mais recentes", Next: "Mais antigos"}
}

// AuditTime formats an event's time (UTC, to the second).
func AuditTime(ev models.AuditEvent) string { return FormatTimeSeconds(ev.At) }
