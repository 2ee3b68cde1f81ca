package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/errgroup"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/views"
)

// painelReader reads the home page's numbers.
type painelReader interface {
	TurmaCounts(ctx context.Context, limit int) (models.TurmaCounts, error)
	WeeklyActivity(ctx context.Context, bounds []time.Time) ([]models.WeekActivity, error)
	LatestChanges(ctx context.Context, n int) ([]models.AuditEvent, error)
}

// integrityReader reports the last run of `schooladmin check`: when it
// ran and how many broken invariants it found; ok is false while no run
// has reported. The integrity work provides it (Home.integrity, set in
// routes.go); without one the home page leaves the section out.
type integrityReader interface {
	LastCheck(ctx context.Context) (at time.Time, problems int64, ok bool, err error)
}

// What the home page shows: at most painelTurmas bars (the largest turmas
// when there are more) and the painelLatest newest changes.
const (
	painelTurmas = 40
	painelLatest = 10
)

// Home serves GET /, the Painel for who may list students.
type Home struct {
	store     painelReader
	integrity integrityReader // nil until the integrity check reports
	pages     pageMaker
	now       func() time.Time
}

// Show serves GET /. API clients and who may not list students are
// redirected: API clients to /alunos, as before the Painel, people to the
// first screen of their menu (their account when it is empty).
func (h *Home) Show(c echo.Context) error {
	u := auth.CurrentUser(c)
	if !wantsHTML(c) || u == nil || u.ViaToken {
		return c.Redirect(http.StatusSeeOther, "/alunos")
	}
	if !u.Can(models.PermListAlunos) {
		return c.Redirect(http.StatusSeeOther, landing(u.Permissions))
	}
	v, err := h.read(c.Request().Context())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.PainelPage(h.pages.page(c, "Painel", "painel"), v))
}

// read gathers the home page's numbers. The reads are independent, so
// they run at once, each on its own connection: the page waits for the
// slowest, not for the sum.
func (h *Home) read(ctx context.Context) (views.Painel, error) {
	v := views.Painel{Now: h.now()}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		v.Turmas, err = h.store.TurmaCounts(ctx, painelTurmas)
		return err
	})
	g.Go(func() (err error) {
		v.Weeks, err = h.store.WeeklyActivity(ctx, views.WeekBounds(v.Now, views.PainelWeeks))
		return err
	})
	g.Go(func() (err error) {
		v.Latest, err = h.store.LatestChanges(ctx, painelLatest)
		return err
	})
	if h.integrity != nil {
		g.Go(func() error {
			at, problems, ok, err := h.integrity.LastCheck(ctx)
			if ok {
				v.Integrity = &views.IntegrityStatus{CheckedAt: at, Problems: problems}
			}
			return err
		})
	}
	return v, g.Wait()
}

// landing is the first screen of the menu of a user with perms, or their
// account when the menu is empty.
func landing(perms []string) string {
	if menu := (views.PageData{Perms: perms}).Menu(); len(menu) > 0 {
		return menu[0].URL
	}
	return "/account"
}
