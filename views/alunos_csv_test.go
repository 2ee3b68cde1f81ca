package views

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"schooladmin/models"
)

// awkwardText makes text out of what CSV quoting and the formula guard
// look at: delimiters, quotes, line breaks, spaces of several kinds,
// formula characters, `\.`, accents and emoji; empty now and then.
func awkwardText(r *rand.Rand) string {
	pieces := []string{",", ";", `"`, "\r", "\n", "\r\n", " ", "\t", "\u00a0", "\u2003", `\.`, "=", "+", "-", "@", "'",
		"Ana", "José", "d'Ávila", "👩‍👩‍👧", "x"}
	var b strings.Builder
	for range r.IntN(5) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// TestAlunosCSVMatchesEncodingCSV holds the hand-written CSV to what
// encoding/csv writes for the same cells (with the formula guard and
// Brasília dates), byte for byte, with either delimiter.
func TestAlunosCSVMatchesEncodingCSV(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	alunos := make([]models.Aluno, 3000)
	base := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range alunos {
		at := base.Add(time.Duration(r.Int64N(int64(10 * 365 * 24 * time.Hour))))
		alunos[i] = models.Aluno{ID: int64(i), RA: awkwardText(r), Nome: awkwardText(r), Turma: awkwardText(r), CreatedAt: at, UpdatedAt: at.Add(time.Hour)}
	}
	alunos[0].Nome, alunos[1].Turma, alunos[2].RA = `\.`, "", " lead"
	for _, comma := range []rune{',', ';'} {
		var got, want bytes.Buffer
		fast, err := NewAlunosCSV(&got, comma)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := newCSVReference(&want, comma)
		if err != nil {
			t.Fatal(err)
		}
		for _, sheet := range []AlunosSheet{fast, ref} {
			if err := sheet.Write(alunos); err != nil {
				t.Fatal(err)
			}
			if err := sheet.Close(); err != nil {
				t.Fatal(err)
			}
		}
		g, w := strings.SplitAfter(got.String(), "\r\n"), strings.SplitAfter(want.String(), "\r\n")
		for i := range min(len(g), len(w)) {
			if g[i] != w[i] {
				t.Fatalf("%q: line %d is %q, encoding/csv wrote %q", comma, i+1, g[i], w[i])
			}
		}
		if len(g) != len(w) {
			t.Fatalf("%q: %d lines, encoding/csv wrote %d", comma, len(g), len(w))
		}
	}
}

func TestAppendCSVFieldGuardsFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "Ana": "Ana", "=1+1": "'=1+1", "+55": "'+55", "-R1": "'-R1", "@x": "'@x",
		"\tx": "'\tx", "\rx": `"'x"`, "a=b": "a=b", "'=x": "'=x", " =x": `" =x"`, `=A1;"B"`: `"'=A1;""B"""`,
	} {
		if got := string(appendCSVField(nil, in, ';')); got != want {
			t.Errorf("appendCSVField(%q) = %q, want %q", in, got, want)
		}
	}
}
