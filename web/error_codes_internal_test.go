package web

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"schooladmin/auth"
	"schooladmin/models"
	"schooladmin/web/openapi"
)

// TestErrorCodesAreTheDocumentsEnum holds three lists together: the
// errorCode constants of the package, the codes explain gives (one error
// of each kind below), and the ErrorCode enum of the OpenAPI document. A
// code added to one and not the others fails here.
func TestErrorCodesAreTheDocumentsEnum(t *testing.T) {
	declared := declaredErrorCodes(t)
	given := map[string]bool{}
	for _, c := range []struct {
		err  error
		code errorCode
	}{
		{&models.ValidationError{Fields: map[string]string{"nome": "x"}}, codeValidation},
		{&models.RecordError{Entity: models.EntityAluno, Err: models.ErrDuplicate, Field: "ra"}, codeDuplicateRA},
		{&models.RecordError{Entity: models.EntityTurma, Err: models.ErrDuplicate, Field: "codigo"}, codeDuplicateCodigo},
		{&models.RecordError{Entity: models.EntityUser, Err: models.ErrDuplicate, Field: "username"}, codeDuplicate},
		{&models.RecordError{Entity: models.EntityTurma, Err: models.ErrNotFound}, codeNotFound},
		{&models.RecordError{Entity: models.EntityAluno, Err: models.ErrConflict}, codeStaleVersion},
		{&models.RecordError{Entity: models.EntityTurma, Err: models.ErrNotEmpty, Name: "5A", Count: 2}, codeTurmaNotEmpty},
		{malformedJSON("x"), codeMalformedJSON},
		{&clientError{status: http.StatusBadRequest, code: codeInvalidType}, codeInvalidType},
		{invalidHeader("x"), codeInvalidHeader},
		{&clientError{status: http.StatusUnprocessableEntity, code: codeIdempotencyConflict}, codeIdempotencyConflict},
		{&clientError{status: http.StatusConflict, code: codeIdempotencyInProgress}, codeIdempotencyInProgress},
		{&http.MaxBytesError{Limit: 10}, codeTooLarge},
		{models.ErrUnavailable, codeUnavailable},
		{errors.New("driver: bad connection"), codeInternal},
		{auth.ErrUnauthenticated, codeUnauthorized},
		{auth.ErrTokenScope, codeForbidden},
		{echo.ErrNotFound, codeNotFound},
		{echo.ErrMethodNotAllowed, codeMethodNotAllowed},
		{echo.NewHTTPError(http.StatusUnsupportedMediaType, "x"), codeUnsupportedMediaType},
		{echo.NewHTTPError(http.StatusPreconditionRequired, "x"), codeVersionRequired},
		{echo.NewHTTPError(http.StatusTooManyRequests, "x"), codeTooManyRequests},
		{badRequest("Formulário ilegível."), codeBadRequest},
		{echo.NewHTTPError(http.StatusTeapot, "x"), codeBadRequest},
		{echo.NewHTTPError(http.StatusBadGateway, "x"), codeInternal},
	} {
		if got := explain(c.err).code; got != c.code {
			t.Errorf("explain(%v) gives code %q, want %q", c.err, got, c.code)
		}
		given[string(c.code)] = true
	}
	enum := documentErrorCodes(t)
	if !maps.Equal(declared, given) {
		t.Errorf("declared codes %v\nbut the cases give %v", slices.Sorted(maps.Keys(declared)), slices.Sorted(maps.Keys(given)))
	}
	if !maps.Equal(declared, enum) {
		t.Errorf("declared codes %v\nbut web/openapi/openapi.yaml's ErrorCode enum is %v", slices.Sorted(maps.Keys(declared)), slices.Sorted(maps.Keys(enum)))
	}
}

// declaredErrorCodes reads the package's errorCode constants from its
// source, so a new constant cannot be missed.
func declaredErrorCodes(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	inspect := func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok || spec.Type == nil || len(spec.Values) != len(spec.Names) {
			return true
		}
		if id, ok := spec.Type.(*ast.Ident); ok && id.Name == "errorCode" {
			for _, v := range spec.Values {
				lit, ok := v.(*ast.BasicLit)
				if !ok {
					t.Fatalf("an errorCode constant that is not a literal: %T", v)
				}
				s, _ := strconv.Unquote(lit.Value)
				codes[s] = true
			}
		}
		return true
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, inspect)
	}
	if len(codes) == 0 {
		t.Fatal("found no errorCode constants")
	}
	return codes
}

// documentErrorCodes is the ErrorCode enum of the OpenAPI document.
func documentErrorCodes(t *testing.T) map[string]bool {
	t.Helper()
	b, err := openapi.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas struct {
				ErrorCode struct {
					Enum []string `json:"enum"`
				} `json:"ErrorCode"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, c := range doc.Components.Schemas.ErrorCode.Enum {
		codes[c] = true
	}
	return codes
}
