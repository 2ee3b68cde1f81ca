package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The actions one request may apply to many students.
const (
	BulkDelete   = "delete"
	BulkSetTurma = "set_turma"
)

// MaxBulkIDs is how many students one bulk action may name: enough for
// a page of the list (500) twice, small enough for one transaction.
const MaxBulkIDs = 1000

// AlunoBulk is one action on many students, all or nothing.
type AlunoBulk struct {
	Action string  // BulkDelete or BulkSetTurma
	IDs    []int64 // the students, each once
	Turma  string  // BulkSetTurma's turma code
}

// Clean trims and normalises the turma as a student's own is. The action
// is taken as sent: callers check its permission before Bulk runs it.
func (b AlunoBulk) Clean() AlunoBulk {
	b.Turma = cleanText(b.Turma)
	return b
}

// Validate checks the action, the ids (1 to MaxBulkIDs, none twice, none
// below 1) and, to move students, the turma by a student's rules. It
// expects cleaned input and returns a *ValidationError.
func (b AlunoBulk) Validate() error {
	errs := fieldErrors{}
	switch b.Action {
	case BulkDelete:
	case BulkSetTurma:
		turma := b.Turma
		checkText(errs, "turma", "a turma", &turma, MaxTurma, true)
	case "":
		errs.add("action", `Informe a ação: "delete" ou "set_turma".`)
	default:
		errs.add("action", fmt.Sprintf(`Ação desconhecida %q: use "delete" ou "set_turma".`, b.Action))
	}
	switch {
	case len(b.IDs) == 0:
		errs.add("ids", "Selecione ao menos um aluno.")
	case len(b.IDs) > MaxBulkIDs:
		errs.add("ids", fmt.Sprintf("No máximo %d alunos por vez; foram %d.", MaxBulkIDs, len(b.IDs)))
	}
	if repeated := repeatedIDs(b.IDs); len(repeated) > 0 {
		errs.add("ids", "Aluno repetido na lista: "+listIDs(repeated)+".")
	}
	if unknown := slices.DeleteFunc(slices.Clone(b.IDs), func(id int64) bool { return id > 0 }); len(unknown) > 0 {
		errs.add("ids", missingMessage(unknown))
	}
	return errs.err()
}

// Bulk applies an action to every student it names, in one transaction,
// each through the same steps as a single edit or delete (version,
// audit entry, turma counts, search words; a new turma code creates the
// turma). An id that names no student fails the whole action with a
// *ValidationError naming it. It returns how many students changed (a
// student already in the turma does not).
func (s *AlunoStore) Bulk(ctx context.Context, actor Actor, b AlunoBulk) (int, error) {
	b = b.Clean()
	if err := b.Validate(); err != nil {
		return 0, err
	}
	ids := slices.Sorted(slices.Values(b.IDs)) // one lock order for every caller
	var changed int
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		changed = 0
		if err := checkAlunosExist(tx, ids); err != nil {
			return err
		}
		for _, id := range ids {
			ok, err := bulkStep(tx, actor, b, id)
			if err != nil {
				return err
			}
			if ok {
				changed++
			}
		}
		return nil
	})
	if err != nil {
		return 0, about(EntityAluno, "ra", fmt.Errorf("bulk %s of %d students: %w", b.Action, len(ids), err))
	}
	s.counts.clear()
	return changed, nil
}

// bulkStep applies b's action to student id and reports whether it
// changed. A student gone since the ids were checked is named like one
// that never was.
func bulkStep(tx *gorm.DB, actor Actor, b AlunoBulk, id int64) (bool, error) {
	var err error
	changed := true
	if b.Action == BulkDelete {
		err = deleteAluno(tx, actor, id, nil)
	} else {
		_, changed, err = updateAluno(tx, actor, id, nil, AlunoInput{Turma: &b.Turma})
	}
	if errors.Is(err, ErrNotFound) {
		return false, &ValidationError{Fields: map[string]string{"ids": missingMessage([]int64{id})}}
	}
	return changed, err
}

// GetMany returns the students ids names, sorted by name, for a page
// that shows what a bulk action will change; ids that name no student
// give a *ValidationError naming them.
func (s *AlunoStore) GetMany(ctx context.Context, ids []int64) ([]Aluno, error) {
	alunos := []Aluno{}
	err := s.db.WithContext(ctx).Where("id IN ?", ids).Order("nome_key, id").Find(&alunos).Error
	if err != nil {
		return nil, fmt.Errorf("get students: %w", dbError(err))
	}
	return alunos, missingIDs(ids, alunos)
}

// checkAlunosExist gives a *ValidationError naming the ids no student has.
func checkAlunosExist(tx *gorm.DB, ids []int64) error {
	var found []Aluno
	if err := tx.Model(&Aluno{}).Select("id").Where("id IN ?", ids).Find(&found).Error; err != nil {
		return dbError(err)
	}
	return missingIDs(ids, found)
}

func missingIDs(ids []int64, found []Aluno) error {
	have := make(map[int64]bool, len(found))
	for _, a := range found {
		have[a.ID] = true
	}
	missing := slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return have[id] })
	if len(missing) == 0 {
		return nil
	}
	return &ValidationError{Fields: map[string]string{"ids": missingMessage(missing)}}
}

func missingMessage(ids []int64) string {
	if len(ids) == 1 {
		return "Aluno não encontrado: " + listIDs(ids) + "."
	}
	return "Alunos não encontrados: " + listIDs(ids) + "."
}

// repeatedIDs lists each id that appears more than once, once.
func repeatedIDs(ids []int64) []int64 {
	seen := make(map[int64]int, len(ids))
	var repeated []int64
	for _, id := range ids {
		if seen[id]++; seen[id] == 2 {
			repeated = append(repeated, id)
		}
	}
	return repeated
}

// listIDs writes ids for a message: the first ten, then how many more.
func listIDs(ids []int64) string {
	const shown = 10
	parts := make([]string, 0, shown+1)
	for _, id := range ids[:min(len(ids), shown)] {
		parts = append(parts, strconv.FormatInt(id, 10))
	}
	if len(ids) > shown {
		parts = append(parts, fmt.Sprintf("e mais %d", len(ids)-shown))
	}
	return strings.Join(parts, ", ")
}
