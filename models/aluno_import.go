package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// Bounds of an import's answer.
const (
	// MaxImportErrors is how many errors an import lists; ErrorsTotal
	// counts them all.
	MaxImportErrors = 1000
	// ImportSampleRows is how many rows an import shows as they will be
	// stored.
	ImportSampleRows = 20
)

// AuditImport is the audit action of an import as a whole (each student
// it changes has its own entry too).
const AuditImport = AuditAluno + ".import"

// ImportRow is one row of a spreadsheet, as read: its line (the header
// is line 1) and its cells, not yet cleaned.
type ImportRow struct {
	Line            int
	RA, Nome, Turma string
}

// ImportProblem is an error at a line of the file (0: the file as a
// whole), in a field ("" for the whole line).
type ImportProblem struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ImportFile is what an import reads: the file's name (for the audit
// trail), its rows, and the problems found while reading it, of which
// MoreProblems were not listed. Rows with a reading problem are left out.
type ImportFile struct {
	Name         string
	Rows         []ImportRow
	Problems     []ImportProblem
	MoreProblems int
}

// ImportAction is what an import does with a row.
type ImportAction string

// The actions of an import.
const (
	ImportCreated   ImportAction = "created"
	ImportUpdated   ImportAction = "updated"
	ImportUnchanged ImportAction = "unchanged"
)

// ImportSample is a row as it will be (or was) stored, and what changes.
type ImportSample struct {
	Line    int
	Action  ImportAction
	Aluno   Aluno
	Changes map[string]FieldChange
}

// ImportResult is what an import did, or would do.
type ImportResult struct {
	Created, Updated, Unchanged int
	// Errors lists at most MaxImportErrors errors, by line; ErrorsTotal
	// counts them all. Any error, and nothing is written.
	Errors      []ImportProblem
	ErrorsTotal int
	// NewTurmas are the turma codes the file names that do not exist yet.
	NewTurmas []string
	// Sample is the first ImportSampleRows valid rows.
	Sample []ImportSample
	// Applied says the changes were written.
	Applied bool
}

// importItem is a valid row, cleaned.
type importItem struct {
	line int
	a    Aluno // Nome, Turma and RA as the row gives them
}

// Import creates the file's students that are new (by RA, which differs
// in letter case only from a stored one is that student) and updates the
// others, without needing their versions; a row the same as the stored
// student leaves it unchanged. All or nothing, in one transaction, along
// the same steps as single edits (audited per student, turma counts
// kept), plus an audit entry for the import naming the file and the
// counts. Rows with errors, or dryRun, and nothing is written: the
// result says what would happen. The turmas and students an import
// writes stay locked until it ends.
func (s *AlunoStore) Import(ctx context.Context, actor Actor, file ImportFile, dryRun bool) (ImportResult, error) {
	items, problems := checkImport(file)
	if dryRun || len(problems) > 0 {
		res := ImportResult{}
		res.setErrors(problems, file.MoreProblems)
		// reads only, outside a transaction: SQLite's transactions take the write lock
		err := planImport(s.db.WithContext(ctx), nil, items, &res)
		if err != nil {
			return ImportResult{}, fmt.Errorf("plan import: %w", err)
		}
		return res, nil
	}
	var res ImportResult
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		res = ImportResult{} // a retried transaction starts over
		w := &importWriter{tx: tx, actor: actor, turmaDelta: map[string]int{}}
		if err := planImport(tx, w, items, &res); err != nil {
			return err
		}
		return w.finish(file.Name, res)
	})
	if err != nil {
		return ImportResult{}, about(EntityAluno, "ra", fmt.Errorf("import students: %w", err))
	}
	res.Applied = true
	s.counts.clear()
	return res, nil
}

// checkImport cleans and validates every row as a single create would,
// and finds RAs given twice.
func checkImport(file ImportFile) ([]importItem, []ImportProblem) {
	problems := slices.Clone(file.Problems)
	items := make([]importItem, 0, len(file.Rows))
	firstLine := make(map[string]int, len(file.Rows))
	for _, r := range file.Rows {
		in := AlunoInput{Nome: &r.Nome, Turma: &r.Turma, RA: &r.RA}.Clean()
		if err := in.Validate(true); err != nil {
			fields := err.(*ValidationError).Fields
			for _, f := range []string{"ra", "nome", "turma"} {
				if msg, ok := fields[f]; ok {
					problems = append(problems, ImportProblem{Line: r.Line, Field: f, Message: msg})
				}
			}
			continue
		}
		if first, ok := firstLine[*in.RA]; ok {
			problems = append(problems, ImportProblem{Line: r.Line, Field: "ra",
				Message: fmt.Sprintf("O RA %s já aparece na linha %d: cada aluno só pode aparecer uma vez.", *in.RA, first)})
			continue
		}
		firstLine[*in.RA] = r.Line
		items = append(items, importItem{line: r.Line, a: Aluno{Nome: *in.Nome, Turma: *in.Turma, RA: *in.RA}})
	}
	return items, problems
}

// setErrors lists problems by line, at most MaxImportErrors of them.
func (r *ImportResult) setErrors(problems []ImportProblem, unlisted int) {
	slices.SortStableFunc(problems, func(a, b ImportProblem) int { return cmp.Compare(a.Line, b.Line) })
	r.ErrorsTotal = len(problems) + unlisted
	r.Errors = problems[:min(len(problems), MaxImportErrors)]
}

// ImportSummary is the audit trail's summary of an import.
func ImportSummary(file string, res ImportResult) string {
	if file == "" {
		file = "arquivo sem nome"
	}
	return fmt.Sprintf("%s: %d novos, %d alterados, %d sem mudança", file, res.Created, res.Updated, res.Unchanged)
}
