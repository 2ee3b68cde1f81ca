package models

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Field limits, counted in Unicode characters.
const (
	MaxNome  = 120
	MaxTurma = 20
	MaxRA    = 20
)

// Aluno is a student. Version grows by one on every change and guards
// against lost updates (optimistic locking).
type Aluno struct {
	ID    int64  `gorm:"primaryKey;index:idx_alunos_nome_key,priority:2;index:idx_alunos_turma_key,priority:2" json:"id"`
	Nome  string `gorm:"size:120;not null" json:"nome"`
	Turma string `gorm:"size:20;not null" json:"turma"`
	// RA is the student's registration number, stored in upper case.
	RA        string    `gorm:"column:ra;size:20;not null;uniqueIndex" json:"ra"`
	Version   int64     `gorm:"not null;default:1" json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// NomeKey and TurmaKey are SortKey of Nome and Turma, which lists sort
	// by (and turmas are told apart by); written with them, never shown.
	NomeKey  string `gorm:"size:480;not null;default:'';index:idx_alunos_nome_key,priority:1" json:"-"`
	TurmaKey string `gorm:"size:480;not null;default:'';index:idx_alunos_turma_key,priority:1" json:"-"`
}

// TableName keeps the table name the original application used.
func (Aluno) TableName() string { return "alunos" }

// AlunoInput is what a person or an API client sends to create or change a
// student. A nil field was not sent (PATCH changes only what is given).
type AlunoInput struct {
	Nome  *string
	Turma *string
	RA    *string
}

// Clean trims every given field, normalises it to NFC and upper-cases the RA.
func (in AlunoInput) Clean() AlunoInput {
	clean := func(p *string, upper bool) *string {
		if p == nil {
			return nil
		}
		s := cleanText(*p)
		if upper {
			s = strings.ToUpper(s)
		}
		return &s
	}
	return AlunoInput{Nome: clean(in.Nome, false), Turma: clean(in.Turma, false), RA: clean(in.RA, true)}
}

// Validate checks the given fields; with complete set, every field is
// required. It expects cleaned input and returns a *ValidationError.
func (in AlunoInput) Validate(complete bool) error {
	errs := fieldErrors{}
	checkText(errs, "nome", "o nome", in.Nome, MaxNome, complete)
	checkText(errs, "turma", "a turma", in.Turma, MaxTurma, complete)
	checkText(errs, "ra", "o RA", in.RA, MaxRA, complete)
	if in.RA != nil && errs["ra"] == "" && !validRA(*in.RA) {
		errs.add("ra", "O RA só pode ter letras sem acento, números, ponto (.) ou hífen (-).")
	}
	return errs.err()
}

func checkText(errs fieldErrors, field, label string, v *string, limit int, required bool) {
	switch {
	case v == nil && required, v != nil && *v == "":
		errs.add(field, "Informe "+label+".")
	case v == nil:
	case !printable(*v):
		errs.add(field, capitalize(label)+" contém caracteres inválidos.")
	case utf8.RuneCountInString(*v) > limit:
		errs.add(field, capitalize(label)+" pode ter no máximo "+strconv.Itoa(limit)+" caracteres.")
	}
}

func validRA(s string) bool {
	for _, r := range s {
		ok := r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-'
		if !ok {
			return false
		}
	}
	return true
}

// setKeys derives the sort keys from the name and the turma.
func (a *Aluno) setKeys() {
	a.NomeKey, a.TurmaKey = SortKey(a.Nome), SortKey(a.Turma)
}

// Values are the student's editable fields as text, by field name, as an
// edit form holds them.
func (a Aluno) Values() map[string]string {
	return map[string]string{"nome": a.Nome, "turma": a.Turma, "ra": a.RA}
}

// Values are the given fields as text, by field name (cleaned, when in is).
func (in AlunoInput) Values() map[string]string {
	out := map[string]string{}
	for name, p := range map[string]*string{"nome": in.Nome, "turma": in.Turma, "ra": in.RA} {
		if p != nil {
			out[name] = *p
		}
	}
	return out
}

// AlunoInputFrom is the input holding the fields of values that it has.
func AlunoInputFrom(values map[string]string) AlunoInput {
	field := func(name string) *string {
		if v, ok := values[name]; ok {
			return &v
		}
		return nil
	}
	return AlunoInput{Nome: field("nome"), Turma: field("turma"), RA: field("ra")}
}

// apply copies the given fields onto a.
func (in AlunoInput) apply(a *Aluno) {
	if in.Nome != nil {
		a.Nome = *in.Nome
	}
	if in.Turma != nil {
		a.Turma = *in.Turma
	}
	if in.RA != nil {
		a.RA = *in.RA
	}
}

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
