package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
)

// IdempotencyHeader lets a client retry a POST safely (IETF
// draft-ietf-httpapi-idempotency-key-header): the same key and body replay
// the first answer; the same key with another body is 422; a duplicate
// arriving while the first is still running is 409.
const IdempotencyHeader = "Idempotency-Key"

// idempotencyStore is what POST handlers need to honour the header.
type idempotencyStore interface {
	Begin(ctx context.Context, userID int64, key, fingerprint string) (models.IdempotencyKey, bool, error)
	Finish(ctx context.Context, userID int64, key string, a models.StoredAnswer) error
	Abandon(ctx context.Context, userID int64, key, fingerprint string) error
}

// idempotencyKey reads and checks the header; "" when not sent.
func idempotencyKey(c echo.Context) (string, error) {
	key := c.Request().Header.Get(IdempotencyHeader)
	if key == "" {
		return "", nil
	}
	key = strings.Trim(strings.TrimSpace(key), `"`)
	if key == "" || len(key) > 255 || strings.ContainsFunc(key, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		return "", invalidHeader("Idempotency-Key deve ter de 1 a 255 caracteres ASCII visíveis.")
	}
	return key, nil
}

// replay answers from a stored key: the saved answer, or 409/422.
func replay(c echo.Context, stored models.IdempotencyKey, fingerprint string) error {
	switch {
	case stored.Fingerprint != fingerprint:
		return &clientError{status: http.StatusUnprocessableEntity, code: codeIdempotencyConflict,
			message: "Esta Idempotency-Key já foi usada com outro corpo de requisição."}
	case stored.Pending():
		return &clientError{status: http.StatusConflict, code: codeIdempotencyInProgress,
			message: "Uma requisição com esta Idempotency-Key ainda está em andamento; tente de novo em instantes."}
	}
	if stored.Location != "" {
		c.Response().Header().Set(echo.HeaderLocation, stored.Location)
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	return c.Blob(stored.Status, echo.MIMEApplicationJSONCharsetUTF8, []byte(stored.Body))
}

// jsonLine encodes v as c.JSON does (with a final newline), so a replay is
// byte for byte the first answer.
func jsonLine(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	return append(b, '\n'), err
}

// abandon frees a claim whose request failed on our side. The failure is
// often the database itself, so it keeps trying in the background (up to
// the time after which Begin would take the claim over anyway), rather
// than leave the client's retries answered 409 "in progress".
func abandon(store idempotencyStore, user int64, key, fp string) {
	wait := 200 * time.Millisecond
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); wait = min(2*wait, 5*time.Second) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := store.Abandon(ctx, user, key, fp)
		cancel()
		if err == nil {
			return
		}
		time.Sleep(wait)
	}
}

func fingerprint(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// createIdempotent runs create for any entity, under the request's
// Idempotency-Key when it sent one (key): claims the key, replays when it was seen (replayed: the answer is
// written), and stores the answer of a client error too. answer is the
// 201 the handler will send, stored in create's transaction. A failure on
// our side frees the key so the client's retry is processed afresh.
func createIdempotent[T any](c echo.Context, store idempotencyStore, key string, raw []byte,
	create func(idem ...models.Idempotent[T]) (T, error), answer func(T) (models.StoredAnswer, error)) (v T, replayed bool, err error) {
	if key == "" {
		v, err = create()
		return v, false, err
	}
	ctx := c.Request().Context()
	user := auth.CurrentUser(c).User.ID
	fp := fingerprint(raw)
	stored, claimed, err := store.Begin(ctx, user, key, fp)
	if err != nil {
		// the claim may have been written before the connection failed
		go abandon(store, user, key, fp)
		return v, false, err
	}
	if !claimed {
		return v, true, replay(c, stored, fp)
	}
	v, err = create(models.Idempotent[T]{UserID: user, Key: key, Answer: answer})
	if err != nil {
		pe := explain(err)
		if pe.status >= 500 {
			go abandon(store, user, key, fp)
			return v, false, err
		}
		b, jerr := jsonLine(pe.body())
		if ferr := store.Finish(ctx, user, key, models.StoredAnswer{Status: pe.status, Body: b}); ferr != nil || jerr != nil {
			return v, false, errors.Join(ferr, jerr)
		}
		return v, false, err
	}
	return v, false, nil
}

// createdAnswer is the stored form of a 201 with body and Location.
func createdAnswer(location string, body any) (models.StoredAnswer, error) {
	b, err := jsonLine(body)
	return models.StoredAnswer{Status: http.StatusCreated, Location: location, Body: b}, err
}
