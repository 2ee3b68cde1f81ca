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

func TestMergeFields(t *testing.T) {
	theirs := map[string]string{"nome": "Ana", "turma": "2C", "ra": "R1"}
	orig := map[string]string{"nome": "Ana", "turma": "1B", "ra": "R1"}
	merged, conflicts := models.MergeFields(orig, map[string]string{"nome": "Ana Paula", "turma": "1B", "ra": "R1"}, theirs)
	if merged["nome"] != "Ana Paula" || merged["turma"] != "2C" || merged["ra"] != "R1" || len(conflicts) != 0 {
		t.Fatalf("merged %v, conflicts %v", merged, conflicts)
	}
	_, conflicts = models.MergeFields(orig, map[string]string{"nome": "Ana", "turma": "1D", "ra": "R1"}, theirs)
	if !slices.Equal(conflicts, []string{"turma"}) {
		t.Fatalf("conflicts %v, want turma", conflicts)
	}
	// without the values it started from, every difference is a conflict
	_, conflicts = models.MergeFields(nil, map[string]string{"nome": "Ana", "turma": "1B", "ra": "R2"}, theirs)
	if !slices.Equal(conflicts, []string{"ra", "turma"}) {
		t.Fatalf("conflicts without originals %v, want ra and turma", conflicts)
	}
}
