package views

import (
	"net/url"
	"strconv"

	"schooladmin/models"
)

// ImportForm is the upload form of an import.
type ImportForm struct {
	MaxSize string // the file size limit, as people read it ("20 MiB")
	MaxRows string // the row limit ("100.000")
	Error   string // why the last upload was not taken
}

// ImportPreview is what an uploaded file would do, before confirmation.
type ImportPreview struct {
	Upload   string // the upload's id, in the confirmation's address
	Filename string
	Result   models.ImportResult
}

// Action is where the confirmation posts.
func (v ImportPreview) Action() string { return "/alunos/import/" + url.PathEscape(v.Upload) }

// CanConfirm reports whether there is something to import and nothing wrong.
func (v ImportPreview) CanConfirm() bool {
	return v.Result.ErrorsTotal == 0 && v.Result.Created+v.Result.Updated > 0
}

// Unlisted is how many errors the page does not list.
func (v ImportPreview) Unlisted() int { return v.Result.ErrorsTotal - len(v.Result.Errors) }

// ImportLine names a line of the file: its number, or the whole file.
func ImportLine(line int) string {
	if line == 0 {
		return "arquivo"
	}
	return strconv.Itoa(line)
}

// ImportField names the column of an error ("—" for the whole line).
func ImportField(field string) string {
	if field == "" {
		return "—"
	}
	return FieldLabel(field)
}

// importActionLabels say what an import does with a row.
var importActionLabels = map[models.ImportAction]string{
	models.ImportCreated: "Novo", models.ImportUpdated: "Alterado", models.ImportUnchanged: "Sem mudança",
}

// ImportActionLabel says what an import does with a row.
func ImportActionLabel(a models.ImportAction) string { return importActionLabels[a] }

// changedFrom is a field's value before the import changes it, "" when
// it does not change.
func changedFrom(s models.ImportSample, field string) string {
	if ch, ok := s.Changes[field]; ok {
		return ch.Old
	}
	return ""
}
