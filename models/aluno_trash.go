package models

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Audit actions of the trash, besides AuditAluno+".delete".
const (
	AuditRestore = AuditAluno + ".restore"
	AuditPurge   = AuditAluno + ".purge"
)

// trashAluno deletes student cur (locked, at its version) into the trash,
// in the caller's transaction: its audited delete, its row kept in the
// trash, its search words dropped and its turma's count kept. Every
// delete of a student goes through here, one or many.
func trashAluno(tx *gorm.DB, actor Actor, cur Aluno) error {
	if err := deleteRecord(tx, actor, alunoKind, &cur); err != nil {
		return err
	}
	row := excluido(cur, actor, now())
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("keep student %d in the trash: %w", cur.ID, dbError(err))
	}
	if err := tx.Where("aluno_id = ?", cur.ID).Delete(&AlunoPalavra{}).Error; err != nil {
		return dbError(err)
	}
	return leaveTurma(tx, cur.Turma)
}

// Trash returns one page of the deleted students and how many match.
func (s *AlunoStore) Trash(ctx context.Context, q ListQuery) ([]AlunoExcluido, int64, error) {
	db := q.filterExact(s.db.WithContext(ctx).Model(&AlunoExcluido{}))
	if q.Q != "" {
		db = db.Where("(nome_key LIKE ? OR ra LIKE ? ESCAPE '!')", SortKey(q.Q)+"%", escapeLike(strings.ToUpper(q.Q))+"%")
	}
	var total int64
	if err := db.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count trash: %w", dbError(err))
	}
	rows := []AlunoExcluido{}
	if total <= int64(q.Offset()) {
		return rows, total, nil
	}
	if err := db.Order(q.order()).Limit(q.PerPage).Offset(q.Offset()).Find(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("list trash: %w", dbError(err))
	}
	return rows, total, nil
}

// Restore brings student id back from the trash with its id, version and
// times, joining its turma again (recreated if it was deleted meanwhile),
// and records the restore. A student no longer in the trash is not found;
// an RA another student took meanwhile gives a *RATakenError.
func (s *AlunoStore) Restore(ctx context.Context, actor Actor, id int64) (Aluno, error) {
	var a Aluno
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		var row AlunoExcluido
		err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Where("id = ?", id).Take(&row).Error
		if err != nil {
			return &RecordError{Entity: EntityAluno, Err: dbError(err)}
		}
		a = row.aluno()
		if err := raFree(tx, a.RA); err != nil {
			return err
		}
		if a.Turma, err = joinTurma(tx, actor, a.Turma); err != nil {
			return err
		}
		a.setKeys()
		if err := tx.Create(&a).Error; err != nil {
			return cmp.Or(raFree(tx, a.RA), dbError(err))
		}
		if err := indexWords(tx, a.ID, a.Nome, false); err != nil {
			return err
		}
		if err := tx.Delete(&row).Error; err != nil {
			return dbError(err)
		}
		return recordAudit(tx, actor, AuditRestore, AuditAluno, a.ID, a.Nome,
			diffFields((&Aluno{}).auditFields(), a.auditFields()))
	})
	if err != nil {
		return Aluno{}, fmt.Errorf("restore student %d: %w", id, err) // its errors name their entity already
	}
	s.counts.clear()
	return a, nil
}

// raFree checks that no stored student has ra, else names the one who has it.
func raFree(tx *gorm.DB, ra string) error {
	var holder Aluno
	err := tx.Where("ra = ?", ra).Take(&holder).Error
	switch dbError(err) {
	case ErrNotFound:
		return nil
	case nil:
		return &RATakenError{RA: ra, Holder: holder}
	}
	return dbError(err)
}

// purgeBatch is how many trash rows one purge transaction removes.
const purgeBatch = 500

// PurgeTrash removes for good the students deleted before deletedBefore,
// each audited, in batches, and returns how many. The server calls it
// with the time TRASH_RETENTION ago.
func (s *AlunoStore) PurgeTrash(ctx context.Context, actor Actor, deletedBefore time.Time) (int, error) {
	purged := 0
	for {
		var rows []AlunoExcluido
		err := s.db.WithContext(ctx).Select("id, nome").Where("deleted_at < ?", deletedBefore).
			Order("id").Limit(purgeBatch).Find(&rows).Error
		if err != nil || len(rows) == 0 {
			return purged, dbError(err)
		}
		n := 0
		err = transaction(ctx, s.db, func(tx *gorm.DB) error {
			n = 0
			for _, row := range rows {
				res := tx.Where("id = ? AND deleted_at < ?", row.ID, deletedBefore).Delete(&AlunoExcluido{})
				if res.Error != nil {
					return dbError(res.Error)
				}
				if res.RowsAffected == 0 {
					continue // restored meanwhile
				}
				if err := recordAudit(tx, actor, AuditPurge, AuditAluno, row.ID, row.Nome, nil); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return purged, fmt.Errorf("purge trash: %w", err)
		}
		purged += n
		if len(rows) < purgeBatch {
			return purged, nil
		}
	}
}
