package views

import (
	"strconv"
	"strings"
)

// The fixed parts of the workbook AlunosXLSX writes (Office Open XML,
// ECMA-376): the package's content types and relationships, the workbook
// with its one sheet, and the styles its cells use.

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const (
	nsMain = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	nsRels = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	nsPkg  = `http://schemas.openxmlformats.org/package/2006/relationships`
)

// xlsxParts are the workbook's parts other than the worksheet.
var xlsxParts = []struct{ name, xml string }{
	{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`</Types>`},
	{"_rels/.rels", `<Relationships xmlns="` + nsPkg + `">` +
		`<Relationship Id="rId1" Type="` + nsRels + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
	{"xl/workbook.xml", `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRels + `">` +
		`<bookViews><workbookView activeTab="0"/></bookViews>` +
		`<sheets><sheet name="Alunos" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="` + nsPkg + `">` +
		`<Relationship Id="rId1" Type="` + nsRels + `/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="` + nsRels + `/styles" Target="styles.xml"/></Relationships>`},
	{"xl/styles.xml", xlsxStyles},
}

// xlsxStyles has three cell formats: 0 plain, styleBold for the header,
// styleDate for dates (custom number format 164, xlsxDateFormat).
const xlsxStyles = `<styleSheet xmlns="` + nsMain + `">` +
	`<numFmts count="1"><numFmt numFmtId="164" formatCode="` + xlsxDateFormat + `"/></numFmts>` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

// sheetStart opens the worksheet: the header row frozen, the columns'
// widths, then the rows.
var sheetStart = `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRels + `">` +
	`<sheetViews><sheetView tabSelected="1" workbookViewId="0">` +
	`<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
	`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
	`<sheetFormatPr defaultRowHeight="15"/>` + xlsxCols() + `<sheetData>`

const sheetEnd = `</sheetData></worksheet>`

func xlsxCols() string {
	var b strings.Builder
	b.WriteString(`<cols>`)
	for i, w := range xlsxWidths {
		n := strconv.Itoa(i + 1)
		b.WriteString(`<col min="` + n + `" max="` + n + `" width="` + strconv.FormatFloat(w, 'f', -1, 64) + `" customWidth="1"/>`)
	}
	b.WriteString(`</cols>`)
	return b.String()
}
