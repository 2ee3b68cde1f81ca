package sheet

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"
)

// The few parts of an XLSX package read here directly: which part is the
// first worksheet, and where its formulas are. excelize reads the values
// but does not say which cells hold formulas.

// maxSmallPart bounds the package parts read whole (relationships, the
// workbook): a few kilobytes in any real file.
const maxSmallPart = 1 << 20

// firstSheetPath finds the part of the workbook's first worksheet: the
// package's relationships name the workbook, the workbook its sheets in
// order, the workbook's relationships their parts.
func firstSheetPath(zr *zip.Reader) (string, bool) {
	var pkgRels relationships
	if !readPart(zr, "_rels/.rels", &pkgRels) {
		return "", false
	}
	workbook := pkgRels.target("/", "officeDocument")
	var wb struct {
		Sheets []struct {
			ID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if workbook == "" || !readPart(zr, workbook, &wb) || len(wb.Sheets) == 0 {
		return "", false
	}
	var wbRels relationships
	dir := path.Dir(workbook)
	if !readPart(zr, path.Join(dir, "_rels", path.Base(workbook)+".rels"), &wbRels) {
		return "", false
	}
	for _, r := range wbRels.Rels {
		if r.ID == wb.Sheets[0].ID {
			return resolve(dir, r.Target), true
		}
	}
	return "", false
}

// relationships is a .rels part.
type relationships struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// target is the part of the first relationship whose type ends in kind.
func (r relationships) target(dir, kind string) string {
	for _, rel := range r.Rels {
		if strings.HasSuffix(rel.Type, "/"+kind) {
			return resolve(dir, rel.Target)
		}
	}
	return ""
}

// resolve is a relationship's target as a part name: relative to dir,
// or absolute from the package's root.
func resolve(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Join(dir, target), "/")
}

// openPart opens the part named name, compared as ZIP tools do without
// letter case.
func openPart(zr *zip.Reader, name string) (io.ReadCloser, error) {
	for _, f := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), name) {
			return f.Open()
		}
	}
	return nil, errNoSheet
}

// readPart decodes a small XML part into v.
func readPart(zr *zip.Reader, name string, v any) bool {
	rc, err := openPart(zr, name)
	if err != nil {
		return false
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxSmallPart)).Decode(v) == nil
}

// scanFormulas streams the worksheet at name and notes the cells of the
// wanted columns (index) that hold a formula (an <f> element, shared or
// not). The part's declared size, checked by the caller, bounds the work.
func scanFormulas(zr *zip.Reader, name string, index []int, lim Limits) (formulaCellsFound, error) {
	found := formulaCellsFound{at: map[[2]int]bool{}}
	if maybe, err := mayHoldFormulas(zr, name); err != nil || !maybe {
		return found, err
	}
	rc, err := openPart(zr, name)
	if err != nil {
		return found, err
	}
	defer rc.Close()
	wanted := make(map[int]int, len(index))
	for i, col := range index {
		wanted[col] = i
	}
	dec := xml.NewDecoder(rc)
	row, col := 0, -1
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return found, nil
		}
		if err != nil {
			return found, err
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch el.Name.Local {
		case "row":
			row, col = nextNumber(row, attr(el, "r")), -1
		case "c":
			col = cellColumn(col, attr(el, "r"))
		case "f":
			if i, ok := wanted[col]; ok {
				found.add(row, i, lim.MaxProblems)
			}
		}
	}
}

// mayHoldFormulas reports whether the part at name holds anything that
// could be a formula element (<f>, <f ...>, <f/>, or x:f with a prefix),
// by a plain search of its bytes: a sheet of values, the common case, is
// then not decoded as XML a second time. Other elements of a worksheet
// whose names begin with f (filters, formula1...) do not match, and text
// cannot hold a "<"; a false alarm only costs the full scan.
func mayHoldFormulas(zr *zip.Reader, name string) (bool, error) {
	rc, err := openPart(zr, name)
	if err != nil {
		return false, err
	}
	defer rc.Close()
	buf := make([]byte, 64<<10)
	carry := 0 // bytes kept from the end of the previous read
	for {
		n, err := rc.Read(buf[carry:])
		window := buf[:carry+n]
		if formulaTag(window) {
			return true, nil
		}
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		carry = copy(buf, window[max(0, len(window)-2):])
	}
}

// formulaTag finds "<f" or ":f" followed by ">", "/" or white space.
func formulaTag(b []byte) bool {
	for i := 0; i+2 < len(b); i++ {
		if (b[i] == '<' || b[i] == ':') && b[i+1] == 'f' {
			switch b[i+2] {
			case '>', '/', ' ', '\t', '\n', '\r':
				return true
			}
		}
	}
	return false
}

// add notes a formula at line, wanted column i.
func (f *formulaCellsFound) add(line, i, limit int) {
	if len(f.at) >= limit {
		f.unlisted++
		return
	}
	f.at[[2]int{line, i}] = true
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// nextNumber is a row's number: its r attribute, else the one after prev.
func nextNumber(prev int, r string) int {
	if n, err := strconv.Atoi(r); err == nil {
		return n
	}
	return prev + 1
}

// cellColumn is a cell's column index: from its reference ("C7" is 2),
// else the one after prev.
func cellColumn(prev int, ref string) int {
	col := 0
	for _, c := range ref {
		switch {
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A'+1)
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a'+1)
		default:
			if col > 0 {
				return col - 1
			}
			return prev + 1
		}
	}
	return prev + 1
}
