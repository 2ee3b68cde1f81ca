package web

import (
	"encoding/json"

	"github.com/labstack/echo/v4"

	"schooladmin/models"
)

// alunoBody is a decoded JSON request body for a student.
type alunoBody struct {
	objectBody
	input models.AlunoInput
}

// decodeAlunoBody reads a JSON object with nome, turma, ra and version
// (see readObjectBody for what is refused).
func decodeAlunoBody(c echo.Context) (alunoBody, error) {
	body, err := readObjectBody(c)
	if err != nil {
		return alunoBody{}, err
	}
	sb := alunoBody{objectBody: body}
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
