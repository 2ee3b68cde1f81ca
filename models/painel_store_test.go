package models_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// setAlunos sets turma codigo's kept count as the student writes keep it.
func setAlunos(t *testing.T, db *models.Database, codigo string, n int64) {
	t.Helper()
	if err := db.Model(&models.Turma{}).Where("codigo = ?", codigo).Update("alunos", n).Error; err != nil {
		t.Fatal(err)
	}
}

func TestPainelTurmaCountsFromTheKeptColumn(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewPainelStore(db)
		got, err := s.TurmaCounts(ctx, 3)
		if err != nil || len(got.Turmas) != 0 || got.Total != 0 || got.Alunos != 0 {
			t.Fatalf("no turmas: got %+v, %v; want nothing", got, err)
		}

		turmas := models.NewTurmaStore(db)
		for codigo, n := range map[string]int64{"5B": 30, "Álvaro": 2, "1A": 12} {
			mustCreateTurma(t, turmas, codigo)
			setAlunos(t, db, codigo, n)
		}
		got, err = s.TurmaCounts(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		want := []models.TurmaCount{{Codigo: "1A", Alunos: 12}, {Codigo: "5B", Alunos: 30}, {Codigo: "Álvaro", Alunos: 2}}
		if !slices.EqualFunc(got.Turmas, want, sameTurma) || got.Total != 3 || got.Alunos != 44 {
			t.Errorf("within the limit: got %+v, want every turma in code order, 3 turmas, 44 students", got)
		}

		mustCreateTurma(t, turmas, "9C")
		setAlunos(t, db, "9C", 12)
		got, err = s.TurmaCounts(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		want = []models.TurmaCount{{Codigo: "5B", Alunos: 30}, {Codigo: "1A", Alunos: 12}, {Codigo: "9C", Alunos: 12}}
		if !slices.EqualFunc(got.Turmas, want, sameTurma) || got.Total != 4 || got.Alunos != 56 {
			t.Errorf("over the limit: got %+v, want the 3 largest (ties in code order), 4 turmas, 56 students", got)
		}
	})
}

func sameTurma(a, b models.TurmaCount) bool { return a.Codigo == b.Codigo && a.Alunos == b.Alunos }

// auditAt writes an audit event at a given time, as the stores would have.
func auditAt(t *testing.T, db *models.Database, action string, at time.Time) {
	t.Helper()
	typ, _, _ := strings.Cut(action, ".")
	ev := models.AuditEvent{At: at.UTC(), Actor: "tester", Action: action, ObjectType: typ, ObjectID: "1"}
	if err := db.Create(&ev).Error; err != nil {
		t.Fatal(err)
	}
}

func TestPainelWeeklyActivityCountsAuditEventsPerWeek(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewPainelStore(db)
		start := time.Date(2026, 9, 7, 3, 0, 0, 0, time.UTC) // a Monday, midnight in Brasília
		bounds := make([]time.Time, 4)
		for i := range bounds {
			bounds[i] = start.AddDate(0, 0, 7*i)
		}
		got, err := s.WeeklyActivity(ctx, bounds)
		if err != nil {
			t.Fatal(err)
		}
		if want := make([]models.WeekActivity, 3); !slices.EqualFunc(got, want, sameCounts) {
			t.Fatalf("no events: got %+v, want three empty weeks", got)
		}

		for _, ev := range []struct {
			action string
			at     time.Time
		}{
			{"student.create", start.Add(-time.Millisecond)},              // before the first week
			{"student.create", start},                                     // first week, its first instant
			{"student.create", start.AddDate(0, 0, 7).Add(-time.Second)},  // first week, its last second
			{"student.update", start.AddDate(0, 0, 8)},                    // second week
			{"student.update", start.AddDate(0, 0, 9)},                    // second week
			{"student.delete", start.AddDate(0, 0, 9)},                    // not counted
			{"turma.create", start.AddDate(0, 0, 9)},                      // not counted
			{"login.success", start.AddDate(0, 0, 9)},                     // not counted
			{"student.create", start.AddDate(0, 0, 20)},                   // third week
			{"student.update", start.AddDate(0, 0, 21)},                   // after the last week
			{"student.update", start.AddDate(0, 0, 21).Add(-time.Second)}, // third week
		} {
			auditAt(t, db, ev.action, ev.at)
		}
		got, err = models.NewPainelStore(db).WeeklyActivity(ctx, bounds) // s keeps these ended weeks' zeros
		if err != nil {
			t.Fatal(err)
		}
		want := []models.WeekActivity{
			{Start: bounds[0], Added: 2}, {Start: bounds[1], Changed: 2}, {Start: bounds[2], Added: 1, Changed: 1},
		}
		if !slices.EqualFunc(got, want, sameCounts) {
			t.Errorf("got %s, want %s", weeks(got), weeks(want))
		}
	})
}

func sameCounts(a, b models.WeekActivity) bool { return a.Added == b.Added && a.Changed == b.Changed }

func weeks(ws []models.WeekActivity) string {
	var s string
	for _, w := range ws {
		s += fmt.Sprintf("[%s +%d ~%d] ", w.Start.Format("02/01"), w.Added, w.Changed)
	}
	return s
}

func TestPainelLatestChangesOfStudentsAndTurmas(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewPainelStore(db)
		if got, err := s.LatestChanges(ctx, 3); err != nil || len(got) != 0 {
			t.Fatalf("fresh database: got %d events, %v; want none", len(got), err)
		}
		students := models.NewAlunoStore(db)
		mustCreateTurma(t, models.NewTurmaStore(db), "5B")
		a, err := students.Create(ctx, tester, models.AlunoInput{Nome: ptr("Ana"), Turma: ptr("5B"), RA: ptr("1")})
		if err != nil {
			t.Fatal(err)
		}
		if err := models.NewAuditStore(db).Record(ctx, tester, "login.success", models.AuditLogin, "", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := students.Update(ctx, tester, a.ID, a.Version, models.AlunoInput{Nome: ptr("Ana Lima")}, false); err != nil {
			t.Fatal(err)
		}
		got, err := s.LatestChanges(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, ev := range got {
			actions = append(actions, ev.Action)
		}
		if want := []string{"student.update", "student.create"}; !slices.Equal(actions, want) {
			t.Errorf("latest 2: %q, want %q (no logins)", actions, want)
		}
		got, _ = s.LatestChanges(ctx, 5)
		if len(got) != 3 || got[2].Action != "turma.create" {
			t.Errorf("latest 5: %d events, want the student's two and the turma's creation", len(got))
		}
	})
}

// The weekly numbers count inside an index of (action, at): without it
// every audit row of twelve weeks would be read.
func TestAuditEventsIndexedByActionAndTime(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		if !db.Migrator().HasIndex(&models.AuditEvent{}, "idx_audit_action_at") {
			t.Error("audit_events has no index idx_audit_action_at")
		}
	})
}

// A week that has ended cannot gain audit events (they are stamped with
// the time of the change), so its numbers are read once; the current
// week is counted again after a student is written (or when the list
// totals' countTTL has passed, for another replica's writes).
func TestPainelWeeklyActivityReadsAnEndedWeekOnce(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewPainelStore(db)
		now := time.Now()
		bounds := []time.Time{now.AddDate(0, 0, -21), now.AddDate(0, 0, -14), now.AddDate(0, 0, -7), now.AddDate(0, 0, 7)}
		auditAt(t, db, "student.create", bounds[0].Add(time.Hour))
		auditAt(t, db, "student.update", now.Add(-time.Minute))
		want := []models.WeekActivity{{Added: 1}, {}, {Changed: 1}}
		if got, err := s.WeeklyActivity(ctx, bounds); err != nil || !slices.EqualFunc(got, want, sameCounts) {
			t.Fatalf("got %s, %v; want %s", weeks(got), err, weeks(want))
		}

		auditAt(t, db, "student.create", bounds[0].Add(2*time.Hour)) // only a restored copy could do this
		if _, err := models.NewAlunoStore(db).Create(ctx, tester, models.AlunoInput{Nome: ptr("Ana"), Turma: ptr("5B"), RA: ptr("1")}); err != nil {
			t.Fatal(err)
		}
		want = []models.WeekActivity{{Added: 1}, {}, {Added: 1, Changed: 1}}
		if got, err := s.WeeklyActivity(ctx, bounds); err != nil || !slices.EqualFunc(got, want, sameCounts) {
			t.Errorf("again: got %s, %v; want %s (the ended week as read before, this week anew)", weeks(got), err, weeks(want))
		}
		want = []models.WeekActivity{{Added: 2}, {}, {Added: 1, Changed: 1}}
		if got, err := models.NewPainelStore(db).WeeklyActivity(ctx, bounds); err != nil || !slices.EqualFunc(got, want, sameCounts) {
			t.Errorf("a new store: got %s, %v; want %s", weeks(got), err, weeks(want))
		}
	})
}
