package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// AlunoStore reads and writes students. Lists and counts may come from
// a read replica; everything else from the primary.
type AlunoStore struct {
	db     *gorm.DB
	reads  *gorm.DB
	counts *countCache
}

// NewAlunoStore returns a store on db.
func NewAlunoStore(db *Database) *AlunoStore {
	return &AlunoStore{db: db.DB, reads: db.Reads, counts: db.counts}
}

// Get returns the student with id, or a not-found error.
func (s *AlunoStore) Get(ctx context.Context, id int64) (Aluno, error) {
	return getRecord[Aluno](s.db.WithContext(ctx), alunoKind, id)
}

// Create validates a complete input and stores a new student. A taken RA
// gives ErrDuplicate, decided by the unique index so that concurrent
// inserts cannot both succeed. The turma is the stored one whose code
// differs at most in letter case and accents, or a new one.
//
// With idem, the answer is stored under the idempotency key in the same
// transaction.
func (s *AlunoStore) Create(ctx context.Context, actor Actor, in AlunoInput, idem ...Idempotent[Aluno]) (Aluno, error) {
	in = in.Clean()
	if err := in.Validate(true); err != nil {
		return Aluno{}, err
	}
	var a Aluno
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		a = Aluno{Version: 1}
		in.apply(&a)
		var err error
		if a.Turma, err = joinTurma(tx, actor, a.Turma); err != nil {
			return err
		}
		a.setKeys()
		if err := createRecord(tx, actor, alunoKind, &a); err != nil {
			return err
		}
		if err := indexWords(tx, a.ID, a.Nome, false); err != nil {
			return err
		}
		return finishAll(tx, a, idem)
	})
	if err != nil {
		return Aluno{}, about(EntityAluno, "ra", fmt.Errorf("create student: %w", err))
	}
	s.counts.clear()
	return a, nil
}

// Update changes the given fields of student id if its stored version is
// still version. A stale version gives ErrConflict together with the
// current record, so the caller can show what changed.
func (s *AlunoStore) Update(ctx context.Context, actor Actor, id, version int64, in AlunoInput, complete bool) (Aluno, error) {
	in = in.Clean()
	if err := in.Validate(complete); err != nil {
		return Aluno{}, err
	}
	var result Aluno
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		var err error
		result, _, err = updateAluno(tx, actor, id, &version, in)
		return err
	})
	if err != nil {
		return result, about(EntityAluno, "ra", fmt.Errorf("update student %d: %w", id, err))
	}
	s.counts.clear() // a new turma or name moves the student between filtered totals
	return result, nil
}

// updateAluno changes the given fields of student id inside tx, at
// version when one is given, and returns the student as it is now and
// whether anything changed (on an error, the student as it was). The
// student's turma count, search words, version and audit entry follow.
func updateAluno(tx *gorm.DB, actor Actor, id int64, version *int64, in AlunoInput) (Aluno, bool, error) {
	cur, err := lockRecord[Aluno](tx, alunoKind, id, version)
	if err != nil {
		return cur, false, err
	}
	next := cur
	in.apply(&next)
	if next.Turma, err = moveToTurma(tx, actor, cur, next.Turma); err != nil {
		return cur, false, err
	}
	next.setKeys()
	if next == cur {
		return cur, false, nil // nothing changed: keep the version
	}
	columns := map[string]any{"nome": next.Nome, "turma": next.Turma, "ra": next.RA, "nome_key": next.NomeKey, "turma_key": next.TurmaKey}
	if err := updateRecord(tx, actor, alunoKind, &cur, &next, columns); err != nil {
		return cur, false, err
	}
	if next.Nome != cur.Nome {
		if err := indexWords(tx, id, next.Nome, true); err != nil {
			return cur, false, err
		}
	}
	return next, true, nil
}

// moveToTurma is the turma a student of cur asked to be in ends up in:
// cur's own when the code names it (in any letter case), else the stored
// or new turma it names, whose count it joins as it leaves cur's.
func moveToTurma(tx *gorm.DB, actor Actor, cur Aluno, codigo string) (string, error) {
	if SortKey(codigo) == SortKey(cur.Turma) {
		return cur.Turma, nil
	}
	if err := leaveTurma(tx, cur.Turma); err != nil {
		return "", err
	}
	return joinTurma(tx, actor, codigo)
}

// Delete moves student id to the trash (see trashAluno). With a version,
// the student is removed only if it is still at that version (else
// ErrConflict).
func (s *AlunoStore) Delete(ctx context.Context, actor Actor, id int64, version *int64) error {
	err := transaction(ctx, s.db, func(tx *gorm.DB) error { return deleteAluno(tx, actor, id, version) })
	if err != nil {
		return about(EntityAluno, "", fmt.Errorf("delete student %d: %w", id, err))
	}
	s.counts.clear()
	return nil
}

// deleteAluno moves student id to the trash inside tx, at version when
// one is given (see trashAluno: its audit entry, search words and turma
// count follow).
func deleteAluno(tx *gorm.DB, actor Actor, id int64, version *int64) error {
	cur, err := lockRecord[Aluno](tx, alunoKind, id, version)
	if err != nil {
		return err
	}
	return trashAluno(tx, actor, cur)
}

// Count returns how many students are stored.
func (s *AlunoStore) Count(ctx context.Context) (int64, error) {
	return s.count("", s.reads.WithContext(ctx).Model(&Aluno{}))
}
