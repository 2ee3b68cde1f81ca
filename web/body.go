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

// objectBody is a JSON request body of any entity: an object whose fields
// the entity's decoder reads through fieldReader.
type objectBody struct {
	fields  map[string]json.RawMessage
	version *int64 // the "version" field, when sent
	raw     []byte // the body as sent, for idempotency fingerprints
	read    fieldReader
}

// readOnlyFields may be sent back as read and are ignored.
var readOnlyFields = map[string]bool{"id": true, "created_at": true, "updated_at": true}

// readObjectBody reads a JSON object. Malformed JSON, a non-object,
// trailing data or invalid UTF-8 give 400 (malformed_json); a non-JSON Content-Type gives
// 415; an oversized body 413. Messages never show Go type names.
func readObjectBody(c echo.Context) (objectBody, error) {
	if !sendsJSON(c) {
		return objectBody{}, echo.NewHTTPError(http.StatusUnsupportedMediaType, "Envie o corpo como JSON, com Content-Type: application/json.")
	}
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return objectBody{}, err // *http.MaxBytesError → 413
	}
	if !utf8.Valid(raw) {
		return objectBody{}, malformedJSON("O corpo não é texto UTF-8 válido.")
	}
	obj, err := decodeObject(raw)
	if err != nil {
		return objectBody{}, err
	}
	body := objectBody{fields: obj, raw: raw, read: fieldReader{typeErrs: map[string]string{}, unknown: map[string]string{}}}
	if v, ok := obj["version"]; ok {
		delete(obj, "version")
		if n := body.read.integer("version", v); n != nil {
			v64 := int64(*n)
			body.version = &v64
		}
	}
	return body, nil
}

// each calls field for every field but version, in name order.
func (b *objectBody) each(field func(key string, value json.RawMessage)) {
	for _, key := range slices.Sorted(maps.Keys(b.fields)) {
		field(key, b.fields[key])
	}
}

// err is what the fields' decoding found wrong: wrong types are 400,
// unknown fields 422 naming them.
func (b *objectBody) err() error {
	if len(b.read.typeErrs) > 0 {
		return &clientError{status: http.StatusBadRequest, code: codeInvalidType, message: "Tipo errado em algum campo.", fields: b.read.typeErrs}
	}
	if len(b.read.unknown) > 0 {
		return &models.ValidationError{Fields: b.read.unknown}
	}
	return nil
}

// fieldReader decodes the fields of an object body, collecting what is wrong.
type fieldReader struct {
	typeErrs map[string]string
	unknown  map[string]string
}

// text decodes a JSON string field.
func (r fieldReader) text(key string, value json.RawMessage) *string {
	var s string
	if err := json.Unmarshal(value, &s); err != nil || bytes.Equal(value, []byte("null")) {
		r.typeErrs[key] = "Deve ser texto."
		return nil
	}
	return &s
}

// integer decodes a JSON integer field.
func (r fieldReader) integer(key string, value json.RawMessage) *int {
	var n int
	if err := json.Unmarshal(value, &n); err != nil || bytes.Equal(value, []byte("null")) {
		r.typeErrs[key] = "Deve ser um número inteiro."
		return nil
	}
	return &n
}

// other notes a field the entity does not have (read-only ones are ignored).
func (r fieldReader) other(key string) {
	if !readOnlyFields[key] {
		r.unknown[key] = "Campo desconhecido."
	}
}

func decodeObject(raw []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	var obj map[string]json.RawMessage
	if err := dec.Decode(&obj); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return nil, malformedJSON("O corpo está vazio: envie um objeto JSON.")
		case errors.As(err, &typeErr):
			return nil, malformedJSON("O corpo deve ser um objeto JSON, como {\"campo\": \"valor\"}.")
		}
		return nil, malformedJSON("JSON malformado.")
	}
	if obj == nil {
		return nil, malformedJSON("O corpo deve ser um objeto JSON, não null.")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, malformedJSON("Há dados depois do objeto JSON.")
	}
	return obj, nil
}

func badRequest(msg string) error { return echo.NewHTTPError(http.StatusBadRequest, msg) }
