package models_test

import (
	"slices"
	"testing"

	"schooladmin/models"
)

func TestMergeField(t *testing.T) {
	cases := []struct {
		name, orig, mine, theirs, want string
		conflict                       bool
	}{
		{"nobody changed it", "1B", "1B", "1B", "1B", false},
		{"only they changed it", "1B", "1B", "2C", "2C", false},
		{"only I changed it", "1B", "1D", "1B", "1D", false},
		{"both, to the same value", "1B", "2C", "2C", "2C", false},
		{"both, to different values", "1B", "1D", "2C", "1D", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, conflict := models.MergeField(tc.orig, tc.mine, tc.theirs)
			if got != tc.want || conflict != tc.conflict {
				t.Fatalf("got %q (conflict %t), want %q (conflict %t)", got, conflict, tc.want, tc.conflict)
			}
		})
	}
}

func TestMergeSet(t *testing.T) {
	orig := []string{"Editor", "Viewer"}
	mine := []string{"Admin", "Editor", "Viewer"} // I added Admin
	theirs := []string{"Editor"}                  // they removed Viewer
	if got := models.MergeSet(orig, mine, theirs); !slices.Equal(got, []string{"Admin", "Editor"}) {
		t.Fatalf("got %v", got)
	}
	if got := models.MergeSet(nil, nil, nil); len(got) != 0 {
		t.Fatalf("empty sets merged into %v", got)
	}
}

func TestMergeAluno(t *testing.T) {
	cur := models.Aluno{Nome: "Ana", Turma: "2C", RA: "R1"}
	orig := input("Ana", "1B", "R1")
	merged, conflicts := models.MergeAluno(orig, input(" Ana Paula ", "1B", "r1"), cur)
	if *merged.Nome != "Ana Paula" || *merged.Turma != "2C" || *merged.RA != "R1" || len(conflicts) != 0 {
		t.Fatalf("merged %s/%s/%s, conflicts %v", *merged.Nome, *merged.Turma, *merged.RA, conflicts)
	}
	_, conflicts = models.MergeAluno(orig, input("Ana", "1D", "R1"), cur)
	if !slices.Equal(conflicts, []string{"turma"}) {
		t.Fatalf("conflicts %v, want turma", conflicts)
	}
	// without the values it started from, every difference is a conflict
	_, conflicts = models.MergeAluno(models.AlunoInput{}, input("Ana", "1B", "R2"), cur)
	if !slices.Equal(conflicts, []string{"turma", "ra"}) {
		t.Fatalf("conflicts without originals %v, want turma and ra", conflicts)
	}
}
