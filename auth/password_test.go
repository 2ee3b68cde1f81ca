package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestHashAndVerify(t *testing.T) {
	h := NewHasher(2)
	ctx := context.Background()
	hash, err := h.Hash(ctx, "uma senha bem longa")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not argon2id with the ASVS parameters", hash)
	}
	again, _ := h.Hash(ctx, "uma senha bem longa")
	if again == hash {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, tc := range []struct {
		password, hash string
		want           bool
	}{
		{"uma senha bem longa", hash, true},
		{"uma senha bem longA", hash, false},
		{"uma senha bem longa", "", false}, // unknown user: the dummy hash never matches
	} {
		ok, err := h.Verify(ctx, tc.password, tc.hash)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q): %v %v, want %v", tc.password, ok, err, tc.want)
		}
	}
	// bytes past 72 matter (bcrypt would silently ignore them)
	long := strings.Repeat("a", 80)
	lh, _ := h.Hash(ctx, long)
	if ok, _ := h.Verify(ctx, long[:79]+"b", lh); ok {
		t.Fatal("a difference after byte 72 was ignored")
	}
	if _, err := h.Verify(ctx, "x", "$2a$12$notargon"); err == nil {
		t.Fatal("a foreign hash format was accepted")
	}
}

func TestHasherBoundsConcurrency(t *testing.T) {
	h := NewHasher(1)
	h.slots <- struct{}{} // the only slot is busy
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := h.Verify(ctx, "x", ""); !errors.Is(err, ErrBusy) {
		t.Fatalf("want ErrBusy while the slot is taken, got %v", err)
	}
	<-h.slots
	if _, err := h.Verify(context.Background(), "x", ""); err != nil {
		t.Fatalf("after release: %v", err)
	}
}

func TestCheckPassword(t *testing.T) {
	cases := []struct {
		user, password string
		ok             bool
	}{
		{"ana", "correct horse battery staple", true},
		{"ana", "lagartixa", true}, // no composition rules
		{"ana", strings.Repeat("x", 64) + "y", true},
		{"ana", "çãõéíúàü", true},
		{"ana", "short", false},
		{"ana", "1234567", false},
		{"ana", "password", false},
		{"ana", "PassWord123", false},
		{"ana", "senha123", false},
		{"professora", "Professora", false},
		{"ana", strings.Repeat("x", 257), false},
		{"ana", "abc\xffdefgh", false},
	}
	for _, tc := range cases {
		if got := CheckPassword(tc.user, tc.password) == ""; got != tc.ok {
			t.Errorf("CheckPassword(%q, %q) ok=%v, want %v", tc.user, tc.password, got, tc.ok)
		}
	}
}
