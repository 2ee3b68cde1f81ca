package models

import "time"

var alunoKind = recordKind{entity: EntityAluno, auditType: AuditAluno}

func (a *Aluno) recordID() int64                   { return a.ID }
func (a *Aluno) recordVersion() int64              { return a.Version }
func (a *Aluno) stamp(version int64, at time.Time) { a.Version, a.UpdatedAt = version, at }
func (a *Aluno) auditName() string                 { return a.Nome }

func (a *Aluno) auditFields() []fieldValue {
	return []fieldValue{{"nome", a.Nome}, {"turma", a.Turma}, {"ra", a.RA}}
}
