package web

import (
	"encoding/json"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
)

// studentBody is a decoded JSON request body for a student.
type studentBody struct {
	objectBody
	input models.AlunoInput
}

// decodeStudentBody reads a JSON object with nome, turma, ra and version
// (see readObjectBody for what is refused).
func decodeStudentBody(c echo.Context) (studentBody, error) {
	body, err := readObjectBody(c)
	if err != nil {
		return studentBody{}, err
	}
	sb := studentBody{objectBody: body}
	body.each(func(key string, value json.RawMessage) {
		switch key {
		case "nome":
			sb.input.Nome = body.read.text(key, value)
		case "turma":
			sb.input.Turma = body.read.text(key, value)
		case "ra":
			sb.input.RA = body.read.text(key, value)
		default:
			body.read.other(key)
		}
	})
	return sb, body.err()
}
