package models_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"schooladmin/models"
)

// plainAluno is Aluno without its methods: encoding/json encodes it by
// reflection over the struct's own fields and tags, so it is the reference
// the hand-written encoder must match byte for byte, and a field added to
// Aluno is in the reference at once.
type plainAluno models.Aluno

func FuzzAlunoJSONMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{"Zoë d'Ávila", `<b>&"\`, "a\x00b\x1f\n\t\r", "\u2028\u2029", "bad \xff utf8", "👩‍🏫 日本", ""} {
		f.Add(s, int64(42), int64(3))
	}
	f.Fuzz(func(t *testing.T, s string, id, version int64) {
		at := time.Date(2026, 11, 28, 1, 2, 3, 456000000, time.UTC)
		a := models.Aluno{ID: id, Nome: s, Turma: s, RA: "R-" + s, Version: version, CreatedAt: at, UpdatedAt: at.Add(time.Second)}
		want, err := json.Marshal(plainAluno(a))
		if err != nil {
			t.Fatal(err)
		}
		if got := a.AppendJSON(nil); string(got) != string(want) {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
		var back plainAluno
		if err := json.Unmarshal(a.AppendJSON(nil), &back); err != nil {
			t.Fatalf("not valid JSON: %v", err)
		}
	})
}

// TestAlunoJSONMatchesReflectionOverEveryField fills every field of Aluno
// with random values, found by reflection (so a new field is filled too),
// and compares the hand-written encoder with encoding/json.
func TestAlunoJSONMatchesReflectionOverEveryField(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		var a models.Aluno
		fillRandom(reflect.ValueOf(&a).Elem(), rng)
		want, err := json.Marshal(plainAluno(a))
		if err != nil {
			t.Fatal(err)
		}
		if got := a.AppendJSON(nil); string(got) != string(want) {
			t.Fatalf("hand-written encoder differs from encoding/json (a field missing?)\n got  %s\n want %s", got, want)
		}
	}
}

// fillRandom sets every exported field of struct v to a random value.
func fillRandom(v reflect.Value, rng *rand.Rand) {
	for i := range v.NumField() {
		f := v.Field(i)
		if !f.CanSet() {
			continue
		}
		switch f.Interface().(type) {
		case time.Time:
			f.Set(reflect.ValueOf(time.UnixMilli(rng.Int64N(1 << 42)).UTC()))
			continue
		}
		switch f.Kind() {
		case reflect.String:
			runes := []rune("aZ09 <>&'\"\\\n\x00é日👩\u2028")
			b := make([]rune, rng.IntN(12))
			for j := range b {
				b[j] = runes[rng.IntN(len(runes))]
			}
			f.SetString(string(b))
		case reflect.Int, reflect.Int64, reflect.Int32:
			f.SetInt(rng.Int64() - rng.Int64())
		case reflect.Bool:
			f.SetBool(rng.IntN(2) == 1)
		default:
			panic("fillRandom: add a case for " + f.Type().String())
		}
	}
}
