package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// StudentStore reads and writes students. Lists and counts may come from
// a read replica; everything else from the primary.
type StudentStore struct {
	db     *gorm.DB
	reads  *gorm.DB
	counts *countCache
}

// NewStudentStore returns a store on db.
func NewStudentStore(db *Database) *StudentStore {
	return &StudentStore{db: db.DB, reads: db.Reads, counts: db.counts}
}

// Get returns the student with id, or ErrNotFound.
func (s *StudentStore) Get(ctx context.Context, id int64) (Aluno, error) {
	return getAluno(s.db.WithContext(ctx), id)
}

// lockAluno reads student id inside a transaction and locks the row until
// it ends, so the version compared is the latest committed one, not the
// transaction's snapshot (SQLite locks the whole database anyway).
func lockAluno(tx *gorm.DB, id int64) (Aluno, error) {
	return getAluno(tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}), id)
}

func getAluno(db *gorm.DB, id int64) (Aluno, error) {
	var a Aluno
	if err := db.First(&a, id).Error; err != nil {
		return Aluno{}, fmt.Errorf("get student %d: %w", id, dbError(err))
	}
	return a, nil
}

// Create validates a complete input and stores a new student. A taken RA
// gives ErrDuplicate, decided by the unique index so that concurrent
// inserts cannot both succeed.
//
// With idem, the answer is stored under the idempotency key in the same
// transaction.
func (s *StudentStore) Create(ctx context.Context, actor Actor, in AlunoInput, idem ...Idempotent) (Aluno, error) {
	in = in.Clean()
	if err := in.Validate(true); err != nil {
		return Aluno{}, err
	}
	var a Aluno
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		a = Aluno{Version: 1}
		in.apply(&a)
		a.setKeys()
		if err := adoptTurma(tx, &a); err != nil {
			return err
		}
		if err := tx.Create(&a).Error; err != nil {
			return dbError(err)
		}
		if err := indexWords(tx, a.ID, a.Nome, false); err != nil {
			return err
		}
		if err := recordAudit(tx, actor, "student.create", AuditStudent, a.ID, a.Nome, diffAluno(Aluno{}, a)); err != nil {
			return err
		}
		for _, id := range idem {
			answer, err := id.Answer(a)
			if err != nil {
				return err
			}
			if err := finishIdempotency(tx, id.UserID, id.Key, answer); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Aluno{}, fmt.Errorf("create student: %w", err)
	}
	s.counts.clear()
	return a, nil
}

// adoptTurma writes a's turma as the other students of that turma have
// it, so that 1a joins 1A (turmas are told apart by their sort keys:
// case and accents ignored) instead of appearing as a second turma. The
// first student's spelling wins, as in Turmas.
func adoptTurma(tx *gorm.DB, a *Aluno) error {
	var spelling []string
	err := tx.Model(&Aluno{}).Where("turma_key = ? AND id <> ?", a.TurmaKey, a.ID).Order("id").Limit(1).Pluck("turma", &spelling).Error
	if err != nil {
		return dbError(err)
	}
	if len(spelling) == 1 {
		a.Turma = spelling[0]
	}
	return nil
}

// diffAluno lists the fields people see that differ between a and b.
func diffAluno(a, b Aluno) map[string]FieldChange {
	changes := map[string]FieldChange{}
	for _, f := range []struct{ name, old, new string }{
		{"nome", a.Nome, b.Nome}, {"turma", a.Turma, b.Turma}, {"ra", a.RA, b.RA},
	} {
		if f.old != f.new {
			changes[f.name] = FieldChange{Old: f.old, New: f.new}
		}
	}
	return changes
}

// Update changes the given fields of student id if its stored version is
// still version. A stale version gives ErrConflict together with the
// current record, so the caller can show what changed.
func (s *StudentStore) Update(ctx context.Context, actor Actor, id, version int64, in AlunoInput, complete bool) (Aluno, error) {
	in = in.Clean()
	if err := in.Validate(complete); err != nil {
		return Aluno{}, err
	}
	var result Aluno
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		cur, err := lockAluno(tx, id)
		if err != nil {
			return err
		}
		result = cur
		if cur.Version != version {
			return ErrConflict
		}
		next := cur
		in.apply(&next)
		if next.Nome != cur.Nome || next.Turma != cur.Turma {
			next.setKeys()
		}
		if next.Turma != cur.Turma {
			if err := adoptTurma(tx, &next); err != nil {
				return err
			}
		}
		if next == cur {
			return nil // nothing changed: keep the version
		}
		next.Version = cur.Version + 1
		next.UpdatedAt = now()
		res := tx.Model(&Aluno{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"nome": next.Nome, "turma": next.Turma, "ra": next.RA,
			"nome_key": next.NomeKey, "turma_key": next.TurmaKey,
			"version": next.Version, "updated_at": next.UpdatedAt,
		})
		if res.Error != nil {
			return dbError(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		if next.Nome != cur.Nome {
			if err := indexWords(tx, id, next.Nome, true); err != nil {
				return err
			}
		}
		result = next
		return recordAudit(tx, actor, "student.update", AuditStudent, id, next.Nome, diffAluno(cur, next))
	})
	if err != nil {
		return result, fmt.Errorf("update student %d: %w", id, err)
	}
	s.counts.clear() // a new turma or name moves the student between filtered totals
	return result, nil
}

// Delete removes student id. With a version, the student is removed only
// if it is still at that version (else ErrConflict).
func (s *StudentStore) Delete(ctx context.Context, actor Actor, id int64, version *int64) error {
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		cur, err := lockAluno(tx, id)
		if err != nil {
			return err
		}
		if version != nil && cur.Version != *version {
			return ErrConflict
		}
		res := tx.Where("id = ? AND version = ?", id, cur.Version).Delete(&Aluno{})
		if res.Error != nil {
			return dbError(res.Error)
		}
		if res.RowsAffected != 1 {
			return ErrConflict
		}
		if err := tx.Where("aluno_id = ?", id).Delete(&AlunoPalavra{}).Error; err != nil {
			return dbError(err)
		}
		return recordAudit(tx, actor, "student.delete", AuditStudent, id, cur.Nome, diffAluno(cur, Aluno{}))
	})
	if err != nil {
		return fmt.Errorf("delete student %d: %w", id, err)
	}
	s.counts.clear()
	return nil
}

// Count returns how many students are stored.
func (s *StudentStore) Count(ctx context.Context) (int64, error) {
	return s.count("", s.reads.WithContext(ctx).Model(&Aluno{}))
}
