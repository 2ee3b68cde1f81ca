package models

import (
	"fmt"
	"time"
)

// AlunoExcluido is a deleted student in the trash (the Lixeira): its row
// as it was when deleted, and who deleted it and when. While it is here
// the student is gone for every list, count, search and RA check (its RA
// is free again); restoring puts the row back with its id and version,
// and its audit history, which stays in the audit trail, follows it.
type AlunoExcluido struct {
	ID        int64     `gorm:"primaryKey;autoIncrement:false" json:"id"`
	Nome      string    `gorm:"size:120;not null" json:"nome"`
	Turma     string    `gorm:"size:20;not null" json:"turma"`
	RA        string    `gorm:"column:ra;size:20;not null;index" json:"ra"` // not unique: a taken RA may be deleted again
	Version   int64     `gorm:"not null" json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	NomeKey   string    `gorm:"size:480;not null;default:'';index" json:"-"`
	TurmaKey  string    `gorm:"size:480;not null;default:''" json:"-"`
	// DeletedAt and DeletedBy say when and by whom (a username) the
	// student was deleted; the purge goes by DeletedAt. A plain time,
	// not GORM's soft-delete type: the row is the deletion.
	DeletedAt time.Time `gorm:"not null;index" json:"deleted_at"`
	DeletedBy string    `gorm:"size:64;not null;default:''" json:"deleted_by"`
}

// TableName names the table.
func (AlunoExcluido) TableName() string { return "alunos_excluidos" }

// excluido is a's row in the trash, deleted by actor at at.
func excluido(a Aluno, actor Actor, at time.Time) AlunoExcluido {
	return AlunoExcluido{
		ID: a.ID, Nome: a.Nome, Turma: a.Turma, RA: a.RA, Version: a.Version,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, NomeKey: a.NomeKey, TurmaKey: a.TurmaKey,
		DeletedAt: at, DeletedBy: actor.Username,
	}
}

// aluno is the student the trash row keeps.
func (e AlunoExcluido) aluno() Aluno {
	return Aluno{
		ID: e.ID, Nome: e.Nome, Turma: e.Turma, RA: e.RA, Version: e.Version,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, NomeKey: e.NomeKey, TurmaKey: e.TurmaKey,
	}
}

// TrashList is what the trash's list accepts: q matches the beginning of
// the name (ignoring case and accents) or of the RA; newest deletion first.
var TrashList = &ListSpec{
	Sorts: map[string]string{
		"id": "id", "nome": "nome_key", "turma": "turma_key", "ra": "ra", "deleted_at": "deleted_at",
	},
	DefaultSort: "-deleted_at",
	Filters:     map[string]Filter{"turma": {Column: "turma_key", ByKey: true}, "deleted_by": {Column: "deleted_by"}},
}

// RATakenError refuses to restore a student whose RA another student took
// while it was in the trash; Holder is that student, so the message can
// name it. errors.Is sees ErrDuplicate.
type RATakenError struct {
	RA     string
	Holder Aluno
}

func (e *RATakenError) Error() string {
	return fmt.Sprintf("ra %s is taken by student %d", e.RA, e.Holder.ID)
}

// Unwrap gives ErrDuplicate.
func (e *RATakenError) Unwrap() error { return ErrDuplicate }
