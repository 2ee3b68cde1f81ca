package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
	"schooladmin/views"
)

// auditLister reads pages of the audit trail.
type auditLister interface {
	List(ctx context.Context, q models.AuditQuery) ([]models.AuditEvent, int64, error)
}

// AuditPages serves /admin/audit, the audit trail for administrators.
type AuditPages struct {
	store auditLister
	pages pageMaker
}

// Audit pages hold auditPerPage events; pages past maxAuditPage are
// treated as the last possible one (no overflowing offsets).
const (
	auditPerPage = 50
	maxAuditPage = 1_000_000
)

// List serves GET /admin/audit: newest first, filtered by actor, action,
// object type and object id (each an exact match).
func (h *AuditPages) List(c echo.Context) error {
	q := models.AuditQuery{
		Actor:      strings.TrimSpace(c.QueryParam("actor")),
		Action:     c.QueryParam("action"),
		ObjectType: c.QueryParam("type"),
		ObjectID:   strings.TrimSpace(c.QueryParam("object")),
		Page:       1,
		PerPage:    auditPerPage,
	}
	if n, err := strconv.Atoi(c.QueryParam("page")); err == nil && n > 1 {
		q.Page = min(n, maxAuditPage)
	}
	events, total, err := h.store.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	last := max(1, int((total+auditPerPage-1)/auditPerPage))
	l := views.AuditList{Events: events, Total: total, Query: q, LastPage: last}
	return render(c, http.StatusOK, views.AuditPage(h.pages.page(c, "Auditoria", "audit"), l))
}
