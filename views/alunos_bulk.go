package views

import (
	"strconv"

	"schooladmin/models"
)

// AlunosBulk is the view model of the page between the list and a bulk
// action: the turma to move to, when not chosen yet, or what will change
// and the button that applies it.
type AlunosBulk struct {
	Action string         // models.BulkDelete or models.BulkSetTurma
	Alunos []models.Aluno // the selected students, by name
	// Turma is where the students move: as the person typed it, or the
	// stored turma's own spelling. NewTurma says no turma has that code
	// yet: applying creates it.
	Turma    string
	NewTurma bool
	Turmas   []string          // the turmas to choose from
	Back     string            // the list the selection came from
	Errors   map[string]string // "turma": a turma that cannot be used
	// Failure says why the action cannot be applied at all (a student
	// gone since the selection); the page then offers only the way back.
	Failure string
}

// ChoosingTurma reports whether the page asks for the turma first.
func (b AlunosBulk) ChoosingTurma() bool {
	return b.Action == models.BulkSetTurma && (b.Turma == "" || b.Errors["turma"] != "")
}

// IDs are the selected students' ids, for the forms' hidden fields.
func (b AlunosBulk) IDs() []string {
	ids := make([]string, len(b.Alunos))
	for i, a := range b.Alunos {
		ids[i] = strconv.FormatInt(a.ID, 10)
	}
	return ids
}

// Moves reports whether a student changes turma (else it is there already).
func (b AlunosBulk) Moves(a models.Aluno) bool {
	return models.SortKey(a.Turma) != models.SortKey(b.Turma)
}

// Moving is how many of the students change turma.
func (b AlunosBulk) Moving() int {
	n := 0
	for _, a := range b.Alunos {
		if b.Moves(a) {
			n++
		}
	}
	return n
}

// CountAlunos writes n students in Portuguese: "1 aluno", "3 alunos".
func CountAlunos(n int) string {
	if n == 1 {
		return "1 aluno"
	}
	return strconv.Itoa(n) + " alunos"
}

// pick picks the word for n things: one for 1, many otherwise.
func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
