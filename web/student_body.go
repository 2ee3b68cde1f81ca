package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
)

// studentBody is a decoded JSON request body for a student.
type studentBody struct {
	input   models.AlunoInput
	version *int64
	raw     []byte // the body as sent, for idempotency fingerprints
}

// readOnlyFields may be sent back as read and are ignored.
var readOnlyFields = map[string]bool{"id": true, "created_at": true, "updated_at": true}

// decodeStudentBody reads a JSON object with nome, turma, ra and version.
// Malformed JSON, a non-object, trailing data or wrong types give 400;
// unknown fields give 422 naming them; a non-JSON Content-Type gives 415.
// Messages never show Go type names.
func decodeStudentBody(c echo.Context) (studentBody, error) {
	if !sendsJSON(c) {
		return studentBody{}, echo.NewHTTPError(http.StatusUnsupportedMediaType, "Envie o corpo como JSON, com Content-Type: application/json.")
	}
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return studentBody{}, err // *http.MaxBytesError → 413
	}
	if !utf8.Valid(raw) {
		return studentBody{}, badRequest("O corpo não é texto UTF-8 válido.")
	}
	obj, err := decodeObject(raw)
	if err != nil {
		return studentBody{}, err
	}
	body := studentBody{raw: raw}
	typeErrs, unknown := map[string]string{}, map[string]string{}
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		value := obj[key]
		switch key {
		case "nome":
			body.input.Nome = jsonString(value, key, typeErrs)
		case "turma":
			body.input.Turma = jsonString(value, key, typeErrs)
		case "ra":
			body.input.RA = jsonString(value, key, typeErrs)
		case "version":
			var v int64
			if err := json.Unmarshal(value, &v); err != nil || bytes.Equal(value, []byte("null")) {
				typeErrs[key] = "Deve ser um número inteiro."
			} else {
				body.version = &v
			}
		default:
			if !readOnlyFields[key] {
				unknown[key] = "Campo desconhecido."
			}
		}
	}
	if len(typeErrs) > 0 {
		return studentBody{}, &fieldsError{status: http.StatusBadRequest, message: "Tipo errado em algum campo.", fields: typeErrs}
	}
	if len(unknown) > 0 {
		return studentBody{}, &models.ValidationError{Fields: unknown}
	}
	return body, nil
}

func decodeObject(raw []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	var obj map[string]json.RawMessage
	if err := dec.Decode(&obj); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return nil, badRequest("O corpo está vazio: envie um objeto JSON.")
		case errors.As(err, &typeErr):
			return nil, badRequest("O corpo deve ser um objeto JSON, como {\"nome\": ..., \"turma\": ..., \"ra\": ...}.")
		}
		return nil, badRequest("JSON malformado.")
	}
	if obj == nil {
		return nil, badRequest("O corpo deve ser um objeto JSON, não null.")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, badRequest("Há dados depois do objeto JSON.")
	}
	return obj, nil
}

func jsonString(value json.RawMessage, key string, typeErrs map[string]string) *string {
	var s string
	if err := json.Unmarshal(value, &s); err != nil || bytes.Equal(value, []byte("null")) {
		typeErrs[key] = "Deve ser texto."
		return nil
	}
	return &s
}

func badRequest(msg string) error { return echo.NewHTTPError(http.StatusBadRequest, msg) }

// fieldsError is a client error that names fields but is not a
// validation failure (wrong JSON types are 400, not 422).
type fieldsError struct {
	status  int
	message string
	fields  map[string]string
}

func (e *fieldsError) Error() string { return e.message }
