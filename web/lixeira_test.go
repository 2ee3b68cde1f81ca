package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"schooladmin/models"
	"schooladmin/models/modelstest"
	"schooladmin/web"
)

// trashEntry is an entry of GET /alunos/trash.
type trashEntry struct {
	student
	DeletedAt string `json:"deleted_at"`
	DeletedBy string `json:"deleted_by"`
	PurgeAt   string `json:"purge_at"`
}

func alunoPath(id int64, suffix string) string {
	return "/alunos/" + strconv.FormatInt(id, 10) + suffix
}

func TestTrashRoundTripThroughTheAPI(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana Souza", "1A", "R1")
		wantStatus(t, app.api(http.MethodDelete, alunoPath(a.ID, ""), ""), http.StatusNoContent)
		wantStatus(t, app.api(http.MethodGet, alunoPath(a.ID, ""), ""), http.StatusNotFound)

		resp := app.api(http.MethodGet, "/alunos/trash", "")
		wantStatus(t, resp, http.StatusOK)
		if resp.Header.Get("X-Total-Count") != "1" || !strings.Contains(resp.Header.Get("Link"), `rel="first"`) {
			t.Fatalf("headers %v", resp.Header)
		}
		list := decode[[]trashEntry](t, resp)
		if len(list) != 1 || list[0].ID != a.ID || list[0].RA != "R1" || list[0].DeletedBy != "admin" {
			t.Fatalf("trash %+v", list)
		}
		deleted, err1 := time.Parse(time.RFC3339, list[0].DeletedAt)
		purge, err2 := time.Parse(time.RFC3339, list[0].PurgeAt)
		if err1 != nil || err2 != nil || purge.Sub(deleted) != web.DefaultConfig.TrashRetention {
			t.Fatalf("deleted_at %q, purge_at %q: want the retention apart", list[0].DeletedAt, list[0].PurgeAt)
		}

		resp = app.api(http.MethodPost, alunoPath(a.ID, "/restore"), "")
		wantStatus(t, resp, http.StatusOK)
		body := decode[struct {
			Message string
			Aluno   student
		}](t, resp)
		if body.Aluno != a || body.Message == "" || resp.Header.Get("Location") != alunoPath(a.ID, "") {
			t.Fatalf("restored %+v (Location %q), want %+v", body, resp.Header.Get("Location"), a)
		}
		wantStatus(t, app.api(http.MethodGet, alunoPath(a.ID, ""), ""), http.StatusOK)
		if found := decode[[]student](t, app.api(http.MethodGet, "/alunos?q=souza", "")); len(found) != 1 {
			t.Fatalf("search after restore: %+v", found)
		}
		wantStatus(t, app.api(http.MethodPost, alunoPath(a.ID, "/restore"), ""), http.StatusNotFound)
	})
}

func TestRestoreOfATakenRAIsAConflictNamingTheHolder(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		wantStatus(t, app.api(http.MethodDelete, alunoPath(a.ID, ""), ""), http.StatusNoContent)
		b := app.createAluno("Bia Lima", "1B", "r1") // a deleted student's RA is free again
		resp := app.api(http.MethodPost, alunoPath(a.ID, "/restore"), "")
		wantStatus(t, resp, http.StatusConflict)
		msg := decode[errorBody](t, resp).Error
		if !strings.Contains(msg, "Bia Lima") || !strings.Contains(msg, "R1") || !strings.Contains(msg, strconv.FormatInt(b.ID, 10)) {
			t.Fatalf("message %q does not name the student who has the RA", msg)
		}
	})
}

func TestTrashListPages(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	for _, ra := range []string{"R1", "R2", "R3"} {
		a := app.createAluno("Aluno "+ra, "1A", ra)
		wantStatus(t, app.api(http.MethodDelete, alunoPath(a.ID, ""), ""), http.StatusNoContent)
	}
	resp := app.api(http.MethodGet, "/alunos/trash?per_page=2&sort=ra", "")
	wantStatus(t, resp, http.StatusOK)
	if list := decode[[]trashEntry](t, resp); len(list) != 2 || list[0].RA != "R1" || resp.Header.Get("X-Total-Count") != "3" ||
		!strings.Contains(resp.Header.Get("Link"), `rel="next"`) {
		t.Fatalf("page 1: %+v %v", list, resp.Header)
	}
	wantStatus(t, app.api(http.MethodGet, "/alunos/trash?sort=idade", "", deliberatelyInvalid, "an unknown sort"), http.StatusUnprocessableEntity)
	if list := decode[[]trashEntry](t, app.api(http.MethodGet, "/alunos/trash?q=r2", "")); len(list) != 1 || list[0].RA != "R2" {
		t.Fatalf("q=r2: %+v", list)
	}
}

func TestTrashScreenRestores(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana d'Ávila", "1A", "R1")
		resp := app.postForm(alunoPath(a.ID, "/delete"), url.Values{"version": {strconv.FormatInt(a.Version, 10)}})
		wantStatus(t, resp, http.StatusSeeOther)

		resp, doc := app.page("/alunos/trash")
		wantStatus(t, resp, http.StatusOK)
		rows := doc.Find(`[data-testid="trash-row"]`)
		if rows.Length() != 1 || !strings.Contains(rows.Text(), "Ana d'Ávila") ||
			strings.TrimSpace(rows.Find(`[data-testid="deleted-by"]`).Text()) != "admin" {
			t.Fatalf("trash screen rows: %q", rows.Text())
		}
		if doc.Find(`nav a[href="/alunos/trash"]`).Length() != 1 {
			t.Fatal("the menu has no Lixeira entry")
		}
		action, _ := rows.Find(`form[data-testid="restore"]`).Attr("action")
		if action != alunoPath(a.ID, "/restore") {
			t.Fatalf("restore form posts to %q", action)
		}
		resp = app.postForm(action, url.Values{})
		if flash := app.followFlash(app.client, resp); !strings.Contains(flash, "restaurado") {
			t.Fatalf("flash %q", flash)
		}
		if loc := resp.Header.Get("Location"); loc != alunoPath(a.ID, "") {
			t.Fatalf("restore leads to %q", loc)
		}
		_, doc = app.page(alunoPath(a.ID, ""))
		var actions []string
		doc.Find(`[data-testid="history"] [data-action]`).Each(func(_ int, s *goquery.Selection) {
			actions = append(actions, s.AttrOr("data-action", ""))
		})
		if !slices.Contains(actions, "student.restore") || !slices.Contains(actions, "student.delete") {
			t.Fatalf("history on the student's page: %v", actions)
		}
		_, doc = app.page("/alunos/trash")
		if doc.Find(`[data-testid="empty-state"]`).Length() != 1 {
			t.Fatal("the trash is not empty after the restore")
		}
	})
}

func TestTrashRestoreConflictOnTheScreen(t *testing.T) {
	app := newTestApp(t, modelstest.SQLite(t))
	a := app.createAluno("Ana", "1A", "R1")
	wantStatus(t, app.api(http.MethodDelete, alunoPath(a.ID, ""), ""), http.StatusNoContent)
	app.createAluno("Bia", "1B", "R1")
	resp := app.postForm(alunoPath(a.ID, "/restore"), url.Values{})
	if flash := app.followFlash(app.client, resp); !strings.Contains(flash, "Bia") {
		t.Fatalf("flash %q does not name the student who has the RA", flash)
	}
	if loc := resp.Header.Get("Location"); loc != "/alunos/trash" {
		t.Fatalf("a refused restore leads to %q", loc)
	}
}

func TestServerPurgesTheTrashAfterRetention(t *testing.T) {
	forEachApp(t, func(t *testing.T, app *testApp) {
		a := app.createAluno("Ana", "1A", "R1")
		wantStatus(t, app.api(http.MethodDelete, alunoPath(a.ID, ""), ""), http.StatusNoContent)
		ctx := t.Context()
		if n, err := app.server.PurgeTrash(ctx, time.Now()); err != nil || n != 0 {
			t.Fatalf("purge now: %d %v, want nothing purged", n, err)
		}
		if n, err := app.server.PurgeTrash(ctx, time.Now().Add(web.DefaultConfig.TrashRetention+time.Minute)); err != nil || n != 1 {
			t.Fatalf("purge after the retention: %d %v, want 1", n, err)
		}
		if list := decode[[]trashEntry](t, app.api(http.MethodGet, "/alunos/trash", "")); len(list) != 0 {
			t.Fatalf("trash after the purge: %+v", list)
		}
		events, err := models.NewAuditStore(app.db).History(ctx, models.AuditAluno, a.ID)
		if err != nil || len(events) == 0 || events[0].Action != models.AuditPurge {
			t.Fatalf("history after the purge: %+v %v", events, err)
		}
	})
}
