package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
	"schooladmin/views"
)

// auditLister reads pages of the audit trail.
type auditLister interface {
	List(ctx context.Context, q models.ListQuery) ([]models.AuditEvent, int64, error)
}

// AuditPages serves /admin/audit, the audit trail for administrators.
type AuditPages struct {
	store auditLister
	pages pageMaker
}

// List serves GET /admin/audit: newest first, filtered by actor, action,
// object type and object id (each an exact match), in pages.
func (h *AuditPages) List(c echo.Context) error {
	q, err := models.ParseListQuery(models.AuditList, c.QueryParams())
	if err != nil {
		return invalidAddress(c, h.pages, "audit", err)
	}
	events, total, err := h.store.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	l := views.AuditList{Events: events, Total: total, Query: q, LastPage: q.LastPage(total)}
	return render(c, http.StatusOK, views.AuditPage(h.pages.page(c, "Auditoria", "audit"), l))
}
