package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters from OWASP ASVS 5.0 (m=19456 KiB, t=2, p=1).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Hasher hashes and verifies passwords with argon2id, never running more
// hashes at once than there are CPUs: a burst of logins queues instead of
// starving every other request (and memory: each hash takes 19 MiB).
type Hasher struct {
	slots chan struct{}
	dummy string // hash of a random password, verified for unknown users
}

// NewHasher returns a Hasher allowing concurrency hashes at once (0: half
// the CPUs, at least one, so a burst of logins leaves room for the rest).
func NewHasher(concurrency int) *Hasher {
	if concurrency <= 0 {
		concurrency = max(1, runtime.GOMAXPROCS(0)/2)
	}
	// The dummy is a random key in the current format and parameters:
	// verifying against it costs exactly a real verification and never
	// matches, and making it costs no hashing at start-up.
	return &Hasher{
		slots: make(chan struct{}, concurrency),
		dummy: encodeHash(randomBytes(argonSaltLen), randomBytes(argonKeyLen)),
	}
}

// ErrBusy means the request gave up waiting for a hashing slot.
var ErrBusy = errors.New("password hashing busy")

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: %w", ErrBusy, ctx.Err())
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns the PHC string of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	salt := randomBytes(argonSaltLen)
	return encodeHash(salt, derive([]byte(password), salt)), nil
}

// Verify reports whether password matches encoded. An empty encoded (an
// unknown user) is checked against a dummy hash with the same cost, so the
// answer takes as long as for a real user.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) (bool, error) {
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	known := encoded != ""
	if !known {
		encoded = h.dummy
	}
	salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	ok := subtle.ConstantTimeCompare(derive([]byte(password), salt), key) == 1
	return ok && known, nil
}

// derive runs argon2id, then collects its 19 MiB work area before the
// caller frees the hashing slot. Left to the GC's own pace (GOGC 400 in
// serve), every hash of a burst of logins took fresh memory while the old
// areas waited as garbage: peak RSS 100+ MiB, where it now stays within
// one area per slot (bench/RESULTS.md). The collection costs ~1 ms next to
// the hash's ~40.
func derive(password, salt []byte) []byte {
	key := argon2.IDKey(password, salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	runtime.GC()
	return key
}

const phcPrefix = "$argon2id$v=19$m=19456,t=2,p=1$"

func encodeHash(salt, key []byte) string {
	enc := base64.RawStdEncoding
	return phcPrefix + enc.EncodeToString(salt) + "$" + enc.EncodeToString(key)
}

// decodeHash reads hashes made with the current parameters; a different
// cost would need its own parameters here before it could be verified.
func decodeHash(encoded string) (salt, key []byte, err error) {
	rest, ok := strings.CutPrefix(encoded, phcPrefix)
	if !ok {
		return nil, nil, errors.New("unsupported password hash format")
	}
	s, k, ok := strings.Cut(rest, "$")
	if !ok {
		return nil, nil, errors.New("malformed password hash")
	}
	enc := base64.RawStdEncoding
	if salt, err = enc.DecodeString(s); err != nil {
		return nil, nil, errors.New("malformed password hash salt")
	}
	if key, err = enc.DecodeString(k); err != nil {
		return nil, nil, errors.New("malformed password hash key")
	}
	return salt, key, nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func randomString() string { return base64.RawURLEncoding.EncodeToString(randomBytes(24)) }

// GeneratePassword returns a random password for the bootstrap administrator.
func GeneratePassword() string { return randomString() }
