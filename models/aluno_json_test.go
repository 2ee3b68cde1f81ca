package models_test

import (
	"encoding/json"
	"testing"
	"time"

	"schooladmin/models"
)

// alunoFields is the STUDENT object encoded by reflection, the reference
// the hand-written encoder must match byte for byte.
type alunoFields struct {
	ID        int64     `json:"id"`
	Nome      string    `json:"nome"`
	Turma     string    `json:"turma"`
	RA        string    `json:"ra"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func FuzzAlunoJSONMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{"Zoë d'Ávila", `<b>&"\`, "a\x00b\x1f\n\t\r", "\u2028\u2029", "bad \xff utf8", "👩‍🏫 日本", ""} {
		f.Add(s, int64(42), int64(3))
	}
	f.Fuzz(func(t *testing.T, s string, id, version int64) {
		at := time.Date(2026, 11, 28, 1, 2, 3, 456000000, time.UTC)
		a := models.Aluno{ID: id, Nome: s, Turma: s, RA: "R-" + s, Version: version, CreatedAt: at, UpdatedAt: at.Add(time.Second)}
		want, err := json.Marshal(alunoFields{a.ID, a.Nome, a.Turma, a.RA, a.Version, a.CreatedAt, a.UpdatedAt})
		if err != nil {
			t.Fatal(err)
		}
		if got := a.AppendJSON(nil); string(got) != string(want) {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
		var back alunoFields
		if err := json.Unmarshal(a.AppendJSON(nil), &back); err != nil {
			t.Fatalf("not valid JSON: %v", err)
		}
	})
}
