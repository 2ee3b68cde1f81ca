package models

import (
	"fmt"
	"maps"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// planImport decides, batch by batch, what each row does: it reads the
// stored students of the batch's RAs and the turmas the rows name, and
// counts. With w, inside the import's transaction, it locks what it reads
// and writes each batch; without, it only reads (a dry run).
func planImport(db *gorm.DB, w *importWriter, items []importItem, res *ImportResult) error {
	turmas := turmaCodes{db: db, w: w, stored: map[string]string{}}
	for start := 0; start < len(items); start += insertBatch {
		batch := items[start:min(start+insertBatch, len(items))]
		stored, err := storedByRA(db, w != nil, batch)
		if err != nil {
			return err
		}
		for _, it := range batch {
			cur, exists := stored[it.a.RA]
			next, err := turmas.apply(cur, exists, it.a)
			if err != nil {
				return err
			}
			action := res.count(cur, next, exists)
			if len(res.Sample) < ImportSampleRows {
				res.Sample = append(res.Sample, sampleOf(it.line, action, cur, next))
			}
			if w != nil {
				w.add(action, cur, next)
			}
		}
		if w != nil {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	res.NewTurmas = turmas.added
	return nil
}

// storedByRA reads the stored students of the batch's RAs, locking their
// rows when lock is set.
func storedByRA(db *gorm.DB, lock bool, batch []importItem) (map[string]Aluno, error) {
	ras := make([]string, len(batch))
	for i, it := range batch {
		ras[i] = it.a.RA
	}
	if lock {
		db = db.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	var found []Aluno
	if err := db.Where("ra IN ?", ras).Find(&found).Error; err != nil {
		return nil, fmt.Errorf("read students by RA: %w", dbError(err))
	}
	stored := make(map[string]Aluno, len(found))
	for _, a := range found {
		stored[a.RA] = a
	}
	return stored, nil
}

// count counts a row's action.
func (r *ImportResult) count(cur, next Aluno, exists bool) ImportAction {
	switch {
	case !exists:
		r.Created++
		return ImportCreated
	case next == cur:
		r.Unchanged++
		return ImportUnchanged
	}
	r.Updated++
	return ImportUpdated
}

func sampleOf(line int, action ImportAction, cur, next Aluno) ImportSample {
	s := ImportSample{Line: line, Action: action, Aluno: next}
	if action == ImportUpdated {
		s.Changes = diffFields(cur.auditFields(), next.auditFields())
	}
	return s
}

// turmaCodes resolves the turma codes of an import as joinTurma does: a
// student's own turma when the code names it in any letter case, else
// the stored code, else a new turma (created, with w; only noted in a
// dry run). Each code is looked up once.
type turmaCodes struct {
	db     *gorm.DB
	w      *importWriter
	stored map[string]string // SortKey → stored (or new) code
	added  []string
}

// apply is row as it will be stored: over cur when it exists, with its
// turma resolved and its sort keys set.
func (t *turmaCodes) apply(cur Aluno, exists bool, row Aluno) (Aluno, error) {
	next := Aluno{Version: 1}
	if exists {
		next = cur
	}
	next.Nome, next.RA = row.Nome, row.RA
	if !exists || SortKey(row.Turma) != SortKey(cur.Turma) {
		codigo, err := t.resolve(row.Turma)
		if err != nil {
			return next, err
		}
		next.Turma = codigo
	}
	next.setKeys()
	return next, nil
}

func (t *turmaCodes) resolve(codigo string) (string, error) {
	key := SortKey(codigo)
	if stored, ok := t.stored[key]; ok {
		return stored, nil
	}
	stored, err := t.lookup(codigo)
	if err != nil {
		return "", err
	}
	t.stored[key] = stored
	return stored, nil
}

// lookup finds (with w: locks, or creates) the turma of codigo.
func (t *turmaCodes) lookup(codigo string) (string, error) {
	if t.w != nil {
		var n int64
		if err := t.db.Model(&Turma{}).Where("codigo_key = ?", SortKey(codigo)).Count(&n).Error; err != nil {
			return "", dbError(err)
		}
		if n == 0 {
			t.added = append(t.added, codigo)
		}
		return lockTurma(t.db, t.w.actor, codigo)
	}
	var found []string
	if err := t.db.Model(&Turma{}).Where("codigo_key = ?", SortKey(codigo)).Limit(1).Pluck("codigo", &found).Error; err != nil {
		return "", fmt.Errorf("find turma %q: %w", codigo, dbError(err))
	}
	if len(found) == 0 {
		t.added = append(t.added, codigo)
		return codigo, nil
	}
	return found[0], nil
}

// importWriter writes an import's batches inside its transaction.
type importWriter struct {
	tx         *gorm.DB
	actor      Actor
	creates    []Aluno
	updates    []recordChange[Aluno]
	renamed    []Aluno        // updated students whose search words change
	moved      bool           // an update of the batch changes a turma
	turmaDelta map[string]int // stored turma code → students gained
}

// add queues a row's change for the batch and keeps the turma counts.
func (w *importWriter) add(action ImportAction, cur, next Aluno) {
	switch action {
	case ImportCreated:
		w.creates = append(w.creates, next)
		w.turmaDelta[next.Turma]++
	case ImportUpdated:
		w.updates = append(w.updates, recordChange[Aluno]{cur: cur, next: next})
		if next.Nome != cur.Nome {
			w.renamed = append(w.renamed, next)
		}
		if next.Turma != cur.Turma {
			w.moved = true
			w.turmaDelta[cur.Turma]--
			w.turmaDelta[next.Turma]++
		}
	}
}

// updatedColumns are the columns the batch's updates change (the RA
// never: it is what rows are matched by), and a record's values of them.
func (w *importWriter) updatedColumns() ([]string, func(*Aluno) []any) {
	var columns []string
	var values []func(*Aluno) any
	if len(w.renamed) > 0 {
		columns = append(columns, "nome", "nome_key")
		values = append(values, func(a *Aluno) any { return a.Nome }, func(a *Aluno) any { return a.NomeKey })
	}
	if w.moved {
		columns = append(columns, "turma", "turma_key")
		values = append(values, func(a *Aluno) any { return a.Turma }, func(a *Aluno) any { return a.TurmaKey })
	}
	return columns, func(a *Aluno) []any {
		out := make([]any, len(values))
		for i, v := range values {
			out[i] = v(a)
		}
		return out
	}
}

// flush writes the queued batch: creates with their audit entries and
// search words, then updates likewise.
func (w *importWriter) flush() error {
	if err := createRecords(w.tx, w.actor, alunoKind, w.creates, checkIDs); err != nil {
		return err
	}
	if err := indexWordsOf(w.tx, w.creates, false); err != nil {
		return err
	}
	columns, values := w.updatedColumns()
	if err := updateRecords(w.tx, w.actor, alunoKind, w.updates, columns, values); err != nil {
		return err
	}
	if err := indexWordsOf(w.tx, w.renamed, true); err != nil {
		return err
	}
	w.creates, w.updates, w.renamed, w.moved = w.creates[:0], w.updates[:0], w.renamed[:0], false
	return nil
}

// idRA is a student's id and RA, as read back after an insert.
type idRA struct {
	ID int64
	RA string `gorm:"column:ra"`
}

// checkIDs makes sure just-inserted students carry the ids the database
// gave them. GORM numbers a multi-row INSERT's rows from the first id
// on, which holds on SQLite (RETURNING) and on MariaDB as configured by
// default, but not where ids interleave or step by more than one
// (Galera): the ids are read back by range (one short scan of the
// primary key) and, if any differs, by RA.
func checkIDs(tx *gorm.DB, alunos []Aluno) error {
	lo, hi := alunos[0].ID, alunos[0].ID
	for _, a := range alunos {
		lo, hi = min(lo, a.ID), max(hi, a.ID)
	}
	var rows []idRA
	if err := tx.Model(&Aluno{}).Select("id, ra").Where("id BETWEEN ? AND ?", lo, hi).Find(&rows).Error; err != nil {
		return dbError(err)
	}
	ra := make(map[int64]string, len(rows))
	for _, r := range rows {
		ra[r.ID] = r.RA
	}
	for _, a := range alunos {
		if a.ID == 0 || ra[a.ID] != a.RA {
			return readIDsByRA(tx, alunos)
		}
	}
	return nil
}

// readIDsByRA sets the ids of just-inserted students from their RAs.
func readIDsByRA(tx *gorm.DB, alunos []Aluno) error {
	ras := make([]string, len(alunos))
	for i, a := range alunos {
		ras[i] = a.RA
	}
	var rows []idRA
	if err := tx.Model(&Aluno{}).Select("id, ra").Where("ra IN ?", ras).Find(&rows).Error; err != nil {
		return dbError(err)
	}
	ids := make(map[string]int64, len(rows))
	for _, r := range rows {
		ids[r.RA] = r.ID
	}
	for i := range alunos {
		if alunos[i].ID = ids[alunos[i].RA]; alunos[i].ID == 0 {
			return fmt.Errorf("student %s not found after its insert", alunos[i].RA)
		}
	}
	return nil
}

// finish keeps the turma counts (in code order, so two imports lock the
// turmas in the same order) and records the import itself.
func (w *importWriter) finish(file string, res ImportResult) error {
	for _, codigo := range slices.Sorted(maps.Keys(w.turmaDelta)) {
		if d := w.turmaDelta[codigo]; d != 0 {
			if err := addToTurma(w.tx, codigo, d); err != nil {
				return err
			}
		}
	}
	return recordAudit(w.tx, w.actor, AuditImport, AuditAluno, "", ImportSummary(file, res), nil)
}
