package models

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Turma limits and choices.
const (
	MaxCodigo = MaxTurma
	// MinAnoLetivo and MaxAnoLetivo bound a school year: wide enough for
	// old records and planning, narrow enough to catch a typo.
	MinAnoLetivo = 1900
	MaxAnoLetivo = 2200
)

// Turnos are the shifts a turma may have; "" is none given.
var Turnos = []string{"manhã", "tarde", "noite", "integral"}

// Turma is a class. Its Codigo is what a student's Turma names; the
// codes are unique ignoring letter case (CodigoKey). Alunos is kept in
// step with the students in the same transactions that move them, so
// lists and charts never count a million rows.
type Turma struct {
	ID     int64  `gorm:"primaryKey" json:"id"`
	Codigo string `gorm:"size:20;not null" json:"codigo"`
	// CodigoKey is the code folded for comparison and sorting (see
	// SortKey): unique, so "5a" and "5A" are one turma on every database.
	CodigoKey string    `gorm:"size:480;not null;uniqueIndex" json:"-"`
	AnoLetivo int       `gorm:"not null" json:"ano_letivo"`
	Turno     string    `gorm:"size:10;not null;default:''" json:"turno"`
	Alunos    int64     `gorm:"not null;default:0" json:"alunos"`
	Version   int64     `gorm:"not null;default:1" json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TableName names the table.
func (Turma) TableName() string { return "turmas" }

// TurmaInput is what a person or an API client sends to create or change
// a turma. A nil field was not sent.
type TurmaInput struct {
	Codigo    *string
	AnoLetivo *int
	Turno     *string
}

// Clean trims the text fields, puts them in NFC and the shift in lower case.
func (in TurmaInput) Clean() TurmaInput {
	out := in
	if in.Codigo != nil {
		s := cleanText(*in.Codigo)
		out.Codigo = &s
	}
	if in.Turno != nil {
		s := strings.ToLower(cleanText(*in.Turno))
		out.Turno = &s
	}
	return out
}

// Validate checks the given fields; with complete set, codigo and
// ano_letivo are required (turno may be empty). It expects cleaned input.
func (in TurmaInput) Validate(complete bool) error {
	errs := fieldErrors{}
	checkText(errs, "codigo", "o código", in.Codigo, MaxCodigo, complete)
	switch {
	case in.AnoLetivo == nil && complete:
		errs.add("ano_letivo", "Informe o ano letivo.")
	case in.AnoLetivo != nil && (*in.AnoLetivo < MinAnoLetivo || *in.AnoLetivo > MaxAnoLetivo):
		errs.add("ano_letivo", "O ano letivo deve ser um ano entre "+strconv.Itoa(MinAnoLetivo)+" e "+strconv.Itoa(MaxAnoLetivo)+".")
	}
	if in.Turno != nil && *in.Turno != "" && !slices.Contains(Turnos, *in.Turno) {
		errs.add("turno", "O turno deve ser manhã, tarde, noite ou integral (ou vazio).")
	}
	return errs.err()
}

// Values are the turma's editable fields as text, by field name, as an
// edit form holds them.
func (t Turma) Values() map[string]string {
	return map[string]string{"codigo": t.Codigo, "ano_letivo": strconv.Itoa(t.AnoLetivo), "turno": t.Turno}
}

// Values are the given fields as text, by field name (cleaned, when in is).
func (in TurmaInput) Values() map[string]string {
	out := map[string]string{}
	if in.Codigo != nil {
		out["codigo"] = *in.Codigo
	}
	if in.AnoLetivo != nil {
		out["ano_letivo"] = strconv.Itoa(*in.AnoLetivo)
	}
	if in.Turno != nil {
		out["turno"] = *in.Turno
	}
	return out
}

// TurmaInputFrom is the input holding the fields of values that it has; a
// year that is not a whole number is a validation error on ano_letivo.
func TurmaInputFrom(values map[string]string) (TurmaInput, error) {
	var in TurmaInput
	if v, ok := values["codigo"]; ok {
		in.Codigo = &v
	}
	if v, ok := values["turno"]; ok {
		in.Turno = &v
	}
	if v, ok := values["ano_letivo"]; ok && strings.TrimSpace(v) != "" {
		year, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return in, &ValidationError{Fields: map[string]string{"ano_letivo": "O ano letivo deve ser um número, como 2026."}}
		}
		in.AnoLetivo = &year
	}
	return in, nil
}

// apply copies the given fields onto t, keeping its key in step.
func (in TurmaInput) apply(t *Turma) {
	if in.Codigo != nil {
		t.Codigo = *in.Codigo
		t.CodigoKey = SortKey(t.Codigo)
	}
	if in.AnoLetivo != nil {
		t.AnoLetivo = *in.AnoLetivo
	}
	if in.Turno != nil {
		t.Turno = *in.Turno
	}
}

// auditFields are the fields people see, as the audit trail records them.
func (t *Turma) auditFields() []fieldValue {
	year := ""
	if t.AnoLetivo != 0 {
		year = strconv.Itoa(t.AnoLetivo)
	}
	return []fieldValue{{"codigo", t.Codigo}, {"ano_letivo", year}, {"turno", t.Turno}}
}
