package browser

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"schooladmin/models"
	"schooladmin/views"
)

// keepTurmas makes every turma the students name a stored turma with its
// count, as the student writes keep them (a later change wires those
// writes to the turmas; recounting here is right before and after it).
func keepTurmas(t *testing.T, db *models.Database) {
	t.Helper()
	var codigos []string
	if err := db.Model(&models.Aluno{}).Distinct().Pluck("turma", &codigos).Error; err != nil {
		t.Fatal(err)
	}
	createTurmas(t, db, codigos...)
	err := db.Exec("UPDATE turmas SET alunos = (SELECT COUNT(*) FROM alunos WHERE alunos.turma = turmas.codigo)").Error
	if err != nil {
		t.Fatal(err)
	}
}

// createTurmas stores the turmas that are not stored yet.
func createTurmas(t *testing.T, db *models.Database, codigos ...string) {
	t.Helper()
	year := time.Now().Year()
	for _, c := range codigos {
		_, err := models.NewTurmaStore(db).Create(context.Background(), models.Actor{Username: "e2e"}, models.TurmaInput{Codigo: &c, AnoLetivo: &year})
		if err != nil && !errors.Is(err, models.ErrDuplicate) {
			t.Fatalf("turma %s: %v", c, err)
		}
	}
}

// pastWeeks writes what the audit trail of a school's last term holds:
// students added and changed in each of the weeks before this one, so the
// weekly chart has a shape to show.
func pastWeeks(t *testing.T, db *models.Database) {
	t.Helper()
	added := []int{3, 5, 2, 8, 4, 0, 6, 9, 3, 5, 7}
	changed := []int{6, 2, 4, 5, 11, 1, 3, 7, 8, 2, 4}
	bounds := views.WeekBounds(time.Now(), views.PainelWeeks)
	var events []models.AuditEvent
	for i := range added {
		at := bounds[i].Add(10 * time.Hour).UTC()
		for range added[i] {
			events = append(events, models.AuditEvent{At: at, Actor: "secretaria", Action: "student.create", ObjectType: models.AuditAluno})
		}
		for range changed[i] {
			events = append(events, models.AuditEvent{At: at, Actor: "secretaria", Action: "student.update", ObjectType: models.AuditAluno})
		}
	}
	if err := db.Create(&events).Error; err != nil {
		t.Fatal(err)
	}
}

// emulateMedia makes the tab's pages render for media ("print", or ""
// for the screen) with prefers-color-scheme set to scheme ("light" or
// "dark"); both at once, since each call replaces the last.
func (p *tab) emulateMedia(media, scheme string) {
	p.t.Helper()
	params := emulation.SetEmulatedMediaParams{
		Media: media, Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}
	run(p, "emulate "+media+" "+scheme, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, params)
		return err
	}))
}

// eval runs a JavaScript expression in the page and returns its value.
func eval[T any](p *tab, what, js string) T {
	p.t.Helper()
	return run(p, what, chromedp.Evaluate[T](js))
}

// seeded are the records the screens show.
type seeded struct{ aluno, turma, user, role, builtIn string }

// seedScreens stores one of everything a screen shows: a turma with a
// student, another user, a custom role.
func seedScreens(t *testing.T, app *app) seeded {
	t.Helper()
	ctx, actor := context.Background(), models.Actor{Username: "e2e"}
	codigo, year := "5º B", 2026
	tu, err := models.NewTurmaStore(app.db).Create(ctx, actor, models.TurmaInput{Codigo: &codigo, AnoLetivo: &year})
	if err != nil {
		t.Fatal(err)
	}
	students := models.NewAlunoStore(app.db)
	var a models.Aluno
	for i, nome := range []string{"Zoë Conceição d'Ávila", "João Pedro Santos", "Lívia Castro & Filhos"} {
		in := models.AlunoInput{Nome: &nome, Turma: &codigo, RA: ptrTo("2024-00" + strconv.Itoa(i))}
		if a, err = students.Create(ctx, actor, in); err != nil {
			t.Fatal(err)
		}
	}
	keepTurmas(t, app.db)
	app.createUser(t, "secretaria", models.RoleEditor)
	roles := models.NewRoleStore(app.db)
	role, err := roles.Save(ctx, actor, 0, nil, models.RoleFields{Name: "Secretaria", Perms: []string{models.PermListAlunos}})
	if err != nil {
		t.Fatal(err)
	}
	all, err := roles.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var builtIn int64
	for _, r := range all {
		if r.Name == models.RoleAdmin {
			builtIn = r.ID
		}
	}
	users, _ := models.NewUserStore(app.db).GetByUsername(ctx, "secretaria")
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	return seeded{aluno: id(a.ID), turma: id(tu.ID), user: id(users.ID), role: id(role.ID), builtIn: id(builtIn)}
}

func ptrTo(s string) *string { return &s }
