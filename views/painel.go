package views

import (
	"fmt"
	"time"

	"schooladmin/models"
)

// painelText is every phrase of the home page, in one place for the
// message catalog that comes with the English screens.
var painelText = struct {
	Title, Updated, Alunos, Turmas, AddedWeek, ChangedWeek       string
	PerTurma, PerTurmaDesc, PerTurmaNone, PerTurmaAdd, Largest   string
	PerTurmaTable, Turma                                         string
	PerWeek, PerWeekDesc, PerWeekTable, Week, WeekRange          string
	Added, Changed                                               string
	Latest, LatestNone, LatestBy, AllAudit                       string
	Integrity, IntegrityOK, IntegrityBad, IntegrityHint, Checked string
}{
	Title:         "Painel",
	Updated:       "Números de %s.",
	Alunos:        "Alunos",
	Turmas:        "Turmas",
	AddedWeek:     "Adicionados nesta semana",
	ChangedWeek:   "Alterações nesta semana",
	PerTurma:      "Alunos por turma",
	PerTurmaDesc:  "Barras horizontais, uma por turma, do tamanho do número de alunos; a maior é %s, com %s. Os números estão na tabela ao lado.",
	PerTurmaNone:  "Nenhuma turma cadastrada ainda.",
	PerTurmaAdd:   "Cadastrar uma turma",
	Largest:       "As %d turmas com mais alunos, de %s turmas.",
	PerTurmaTable: "Alunos por turma, em números",
	Turma:         "Turma",
	PerWeek:       "Alunos adicionados e alterados por semana",
	PerWeekDesc:   "Colunas das últimas %d semanas, de segunda a domingo: alunos adicionados e alterações em alunos. Na semana mais movimentada, %s: %s adicionados e %s alterações. Os números estão na tabela ao lado.",
	PerWeekTable:  "Alunos adicionados e alterados por semana, em números",
	Week:          "Semana",
	WeekRange:     "%s a %s",
	Added:         "Adicionados",
	Changed:       "Alterações",
	Latest:        "Últimas alterações",
	LatestNone:    "Nenhuma alteração registrada ainda.",
	LatestBy:      "por %s em %s",
	AllAudit:      "Ver toda a auditoria",
	Integrity:     "Integridade dos dados",
	IntegrityOK:   "Tudo em ordem na última verificação.",
	IntegrityBad:  "A última verificação encontrou %s problema(s).",
	IntegrityHint: "Rode schooladmin check para ver cada um; schooladmin check --repair refaz o que é derivado.",
	Checked:       "Verificado em %s.",
}

// PainelWeeks is how many weeks the home page's weekly chart covers.
const PainelWeeks = 12

// Painel is the view model of the home page.
type Painel struct {
	Now    time.Time
	Turmas models.TurmaCounts
	Weeks  []models.WeekActivity // oldest first; the last is this week
	Latest []models.AuditEvent   // newest first
	// Integrity is the last integrity check; nil leaves its section out
	// (no check has reported yet).
	Integrity *IntegrityStatus
}

// IntegrityStatus is the outcome of the last run of schooladmin check.
type IntegrityStatus struct {
	CheckedAt time.Time
	Problems  int64 // broken invariants found; 0 when all hold
}

// WeekBounds are the starts of the last weeks (Monday, midnight, school
// time), oldest first, and the end of the current one: weeks+1 instants.
func WeekBounds(now time.Time, weeks int) []time.Time {
	local := now.In(schoolTime)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, schoolTime)
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	bounds := make([]time.Time, weeks+1)
	for i := range bounds {
		bounds[i] = monday.AddDate(0, 0, 7*(i-weeks+1))
	}
	return bounds
}

// Updated says when the numbers were read.
func (v Painel) Updated() string { return fmt.Sprintf(painelText.Updated, FormatTime(v.Now)) }

// ThisWeek is the current week's activity.
func (v Painel) ThisWeek() models.WeekActivity {
	if len(v.Weeks) == 0 {
		return models.WeekActivity{}
	}
	return v.Weeks[len(v.Weeks)-1]
}

// TurmaChart is the bar chart of students per turma.
func (v Painel) TurmaChart() BarChart {
	c := BarChart{ID: "chart-turmas", Title: painelText.PerTurma}
	var largest models.TurmaCount
	for _, t := range v.Turmas.Turmas {
		c.Bars = append(c.Bars, Bar{Label: t.Codigo, Value: t.Alunos})
		if t.Alunos > largest.Alunos {
			largest = t
		}
	}
	if largest.Codigo == "" && len(v.Turmas.Turmas) > 0 {
		largest = v.Turmas.Turmas[0]
	}
	c.Desc = fmt.Sprintf(painelText.PerTurmaDesc, largest.Codigo, plural(largest.Alunos, "aluno", "alunos"))
	return c
}

// LargestNote says that the chart shows only the largest turmas ("" when
// it shows them all).
func (v Painel) LargestNote() string {
	if !v.Turmas.Partial() {
		return ""
	}
	return fmt.Sprintf(painelText.Largest, len(v.Turmas.Turmas), FormatCount(v.Turmas.Total))
}

// WeekChart is the column chart of students added and changed per week.
func (v Painel) WeekChart() ColumnChart {
	c := ColumnChart{ID: "chart-weeks", Title: painelText.PerWeek, Series: []string{painelText.Added, painelText.Changed}}
	busiest := models.WeekActivity{}
	for _, w := range v.Weeks {
		c.Groups = append(c.Groups, ColumnGroup{Label: WeekLabel(w), Values: []int64{w.Added, w.Changed}})
		if w.Added+w.Changed > busiest.Added+busiest.Changed || busiest.Start.IsZero() {
			busiest = w
		}
	}
	c.Desc = fmt.Sprintf(painelText.PerWeekDesc, len(v.Weeks), WeekRange(busiest),
		FormatCount(busiest.Added), FormatCount(busiest.Changed))
	return c
}

// WeekLabel names a week by its Monday, day and month.
func WeekLabel(w models.WeekActivity) string { return w.Start.In(schoolTime).Format("02/01") }

// WeekRange names a week by its first and last day.
func WeekRange(w models.WeekActivity) string {
	start := w.Start.In(schoolTime)
	return fmt.Sprintf(painelText.WeekRange, start.Format("02/01"), start.AddDate(0, 0, 6).Format("02/01"))
}

// ChangeURL is the page of the record an audit event changed, when the
// user may open it and it was not deleted; "" otherwise.
func ChangeURL(p PageData, ev models.AuditEvent) string {
	switch {
	case ev.Action == ev.ObjectType+".delete":
		return ""
	case ev.ObjectType == models.AuditAluno && p.Can(models.PermShowAlunos):
		return "/alunos/" + ev.ObjectID
	case ev.ObjectType == models.AuditTurma && p.Can(models.PermShowTurmas):
		return "/turmas/" + ev.ObjectID
	}
	return ""
}

// ChangeBy says who made a change and when.
func ChangeBy(ev models.AuditEvent) string {
	return fmt.Sprintf(painelText.LatestBy, ActorLabel(ev.Actor), FormatTime(ev.At))
}

// Line says what the last integrity check found.
func (s IntegrityStatus) Line() string {
	if s.Problems == 0 {
		return painelText.IntegrityOK
	}
	return fmt.Sprintf(painelText.IntegrityBad, FormatCount(s.Problems))
}

// CheckedLine says when the last integrity check ran.
func (s IntegrityStatus) CheckedLine() string {
	return fmt.Sprintf(painelText.Checked, FormatTime(s.CheckedAt))
}

// plural writes n and the noun, singular for one.
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return FormatCount(n) + " " + many
}
