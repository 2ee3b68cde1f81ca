package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// AuditTurma is the audit trail's object type of turmas.
const AuditTurma = "turma"

var turmaKind = recordKind{entity: EntityTurma, auditType: AuditTurma}

func (t *Turma) recordID() int64                   { return t.ID }
func (t *Turma) recordVersion() int64              { return t.Version }
func (t *Turma) stamp(version int64, at time.Time) { t.Version, t.UpdatedAt = version, at }
func (t *Turma) auditName() string                 { return t.Codigo }

// TurmaList is what the turmas list accepts.
var TurmaList = &ListSpec{
	Sorts: map[string]string{
		"id": "id", "codigo": "codigo_key", "ano_letivo": "ano_letivo", "turno": "turno",
		"alunos": "alunos", "created_at": "created_at", "updated_at": "updated_at",
	},
	DefaultSort: "codigo",
	Filters:     map[string]Filter{"ano_letivo": {Column: "ano_letivo"}, "turno": {Column: "turno"}},
}

// TurmaStore reads and writes turmas.
type TurmaStore struct {
	db     *gorm.DB
	reads  *gorm.DB
	counts *countCache
}

// NewTurmaStore returns a store on db.
func NewTurmaStore(db *Database) *TurmaStore {
	return &TurmaStore{db: db.DB, reads: db.Reads, counts: db.counts}
}

// Get returns the turma with id, or a not-found error.
func (s *TurmaStore) Get(ctx context.Context, id int64) (Turma, error) {
	return getRecord[Turma](s.db.WithContext(ctx), turmaKind, id)
}

// List returns one page of turmas and how many match in all. q matches
// the beginning of the code ignoring case and accents (on the key), or
// as typed ignoring letter case (the key compares digits by value, so "1"
// does not begin the key of "10A").
func (s *TurmaStore) List(ctx context.Context, q ListQuery) ([]Turma, int64, error) {
	db := q.filterExact(s.reads.WithContext(ctx).Model(&Turma{}))
	if q.Q != "" {
		db = db.Where("(codigo_key LIKE ? OR LOWER(codigo) LIKE ? ESCAPE '!')", SortKey(q.Q)+"%", escapeLike(strings.ToLower(q.Q))+"%")
	}
	var total int64
	if err := db.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count turmas: %w", dbError(err))
	}
	turmas := []Turma{}
	if total <= int64(q.Offset()) {
		return turmas, total, nil
	}
	if err := db.Order(q.order()).Limit(q.PerPage).Offset(q.Offset()).Find(&turmas).Error; err != nil {
		return nil, 0, fmt.Errorf("list turmas: %w", dbError(err))
	}
	return turmas, total, nil
}

// Create validates a complete input and stores a new turma; a code taken
// (ignoring case) is a duplicate. With idem, the answer is stored under
// the idempotency key in the same transaction.
func (s *TurmaStore) Create(ctx context.Context, actor Actor, in TurmaInput, idem ...Idempotent[Turma]) (Turma, error) {
	in = in.Clean()
	if err := in.Validate(true); err != nil {
		return Turma{}, err
	}
	t := Turma{Version: 1}
	in.apply(&t)
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		if err := createRecord(tx, actor, turmaKind, &t); err != nil {
			return about(EntityTurma, "codigo", err)
		}
		return finishAll(tx, t, idem)
	})
	if err != nil {
		return Turma{}, fmt.Errorf("create turma: %w", err)
	}
	return t, nil
}

// Update changes the given fields of turma id if its stored version is
// still version. A new code moves its students with it, each audited, in
// the same transaction. A stale version gives a conflict together with
// the current turma.
func (s *TurmaStore) Update(ctx context.Context, actor Actor, id, version int64, in TurmaInput, complete bool) (Turma, error) {
	in = in.Clean()
	if err := in.Validate(complete); err != nil {
		return Turma{}, err
	}
	var result Turma
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		cur, err := lockRecord[Turma](tx, turmaKind, id, &version)
		result = cur
		if err != nil {
			return err
		}
		next := cur
		in.apply(&next)
		if next == cur {
			return nil // nothing changed: keep the version
		}
		columns := map[string]any{"codigo": next.Codigo, "codigo_key": next.CodigoKey, "ano_letivo": next.AnoLetivo, "turno": next.Turno}
		if err := updateRecord(tx, actor, turmaKind, &cur, &next, columns); err != nil {
			return about(EntityTurma, "codigo", err)
		}
		if next.Codigo != cur.Codigo {
			if err := moveAlunos(tx, actor, cur.Codigo, next.Codigo); err != nil {
				return err
			}
		}
		result = next
		return nil
	})
	if err != nil {
		return result, fmt.Errorf("update turma %d: %w", id, err)
	}
	s.counts.clear() // students moved between filtered totals
	return result, nil
}

// Delete removes turma id, at version when given. A turma that still has
// students is not deleted: the error says how many it has.
func (s *TurmaStore) Delete(ctx context.Context, actor Actor, id int64, version *int64) error {
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		cur, err := lockRecord[Turma](tx, turmaKind, id, version)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Aluno{}).Where("turma_key = ?", cur.CodigoKey).Count(&n).Error; err != nil {
			return dbError(err)
		}
		if n > 0 {
			return &RecordError{Entity: EntityTurma, Err: ErrNotEmpty, Name: cur.Codigo, Count: n}
		}
		return deleteRecord(tx, actor, turmaKind, &cur)
	})
	if err != nil {
		return fmt.Errorf("delete turma %d: %w", id, err)
	}
	return nil
}

// Codigos returns every turma's code, in Portuguese order, for the
// students list's filter and forms.
func (s *TurmaStore) Codigos(ctx context.Context) ([]string, error) {
	if codigos, ok := s.counts.getTurmas(); ok {
		return codigos, nil
	}
	codigos := []string{}
	err := s.reads.WithContext(ctx).Model(&Turma{}).Order("codigo_key, id").Pluck("codigo", &codigos).Error
	if err != nil {
		return nil, fmt.Errorf("list turma codes: %w", dbError(err))
	}
	s.counts.putTurmas(codigos)
	return codigos, nil
}

// joinTurma makes a student's turma code name a stored turma, in the
// student's transaction: the stored spelling of a code that differs only
// in letter case, or a new turma (this school year) for a new code. The
// turma's row stays locked until the transaction ends, so a rename cannot
// move its students past this one; its kept count grows by one.
func joinTurma(tx *gorm.DB, actor Actor, codigo string) (string, error) {
	stored, err := lockTurma(tx, actor, codigo)
	if err != nil {
		return "", err
	}
	return stored, addToTurma(tx, stored, 1)
}

// lockTurma is joinTurma without the count: the stored code that differs
// from codigo at most in letter case and accents, or a new turma's, its
// row locked until the transaction ends.
func lockTurma(tx *gorm.DB, actor Actor, codigo string) (string, error) {
	var t Turma
	err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).
		Where("codigo_key = ?", SortKey(codigo)).Take(&t).Error
	switch dbError(err) {
	case nil:
	case ErrNotFound:
		t = Turma{Codigo: codigo, CodigoKey: SortKey(codigo), AnoLetivo: now().Year(), Version: 1}
		if err := createRecord(tx, actor, turmaKind, &t); err != nil {
			return "", about(EntityTurma, "codigo", err)
		}
	default:
		return "", fmt.Errorf("find turma %q: %w", codigo, dbError(err))
	}
	return t.Codigo, nil
}

// leaveTurma keeps turma codigo's count as a student leaves it.
func leaveTurma(tx *gorm.DB, codigo string) error { return addToTurma(tx, codigo, -1) }

func addToTurma(tx *gorm.DB, codigo string, delta int) error {
	err := tx.Model(&Turma{}).Where("codigo_key = ?", SortKey(codigo)).
		UpdateColumn("alunos", gorm.Expr("alunos + ?", delta)).Error
	return dbError(err)
}

// moveAlunos moves every student of turma from (in any spelling) to
// turma to, each with a new version and an audit entry, as if each had
// been edited; those already spelling to stay as they are.
func moveAlunos(tx *gorm.DB, actor Actor, from, to string) error {
	var moving []Aluno
	if err := tx.Where("turma_key = ? AND turma <> ?", SortKey(from), to).Order("id").Find(&moving).Error; err != nil {
		return dbError(err)
	}
	key := SortKey(to)
	for i := range moving {
		cur := moving[i]
		next := cur
		next.Turma, next.TurmaKey = to, key
		if err := updateRecord(tx, actor, alunoKind, &cur, &next, map[string]any{"turma": to, "turma_key": key}); err != nil {
			return err
		}
	}
	return nil
}

// Count returns how many turmas are stored.
func (s *TurmaStore) Count(ctx context.Context) (int64, error) {
	var n int64
	if err := s.reads.WithContext(ctx).Model(&Turma{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count turmas: %w", dbError(err))
	}
	return n, nil
}
