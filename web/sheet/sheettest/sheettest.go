// Package sheettest builds spreadsheets for tests and the benchmark: an
// XLSX workbook from rows, and XLSX "zip bombs".
package sheettest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Workbook builds an XLSX file whose first sheet holds rows (a string
// beginning with "=" is written as a formula); a sheet of each of extra
// follows it.
func Workbook(t testing.TB, rows [][]any, extra ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			var err error
			if s, ok := v.(string); ok && strings.HasPrefix(s, "=") {
				err = f.SetCellFormula("Sheet1", cell, s[1:])
			} else {
				err = f.SetCellValue("Sheet1", cell, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, name := range extra {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellValue(name, "A1", "não é esta"); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Bomb is a real workbook whose first sheet is replaced by a part that
// inflates to size bytes (a multiple of 1 MiB, spaces) from about a
// thousandth of that, declaring declared as its size: equal to size, the
// bomb says what it is; smaller, it hides it.
func Bomb(t testing.TB, size, declared uint64) []byte {
	t.Helper()
	var block bytes.Buffer
	fw, _ := flate.NewWriter(&block, flate.BestCompression)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	fw.Write(chunk)
	fw.Flush() // a block that stands alone: repeating it repeats the chunk
	var stream bytes.Buffer
	crc := uint32(0)
	for range size >> 20 {
		stream.Write(block.Bytes())
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	stream.Write([]byte{0x03, 0x00}) // the final, empty block

	plain := Workbook(t, [][]any{{"ra", "nome", "turma"}})
	src, err := zip.NewReader(bytes.NewReader(plain), int64(len(plain)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range src.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: f.Name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(stream.Len()), UncompressedSize64: declared,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(stream.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// WithPart is the workbook data with one more part, name, holding content.
func WithPart(t testing.TB, data []byte, name string, content []byte) []byte {
	t.Helper()
	src, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range src.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(content)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Zip is a ZIP file that holds one text file: not a workbook.
func Zip(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("leia-me.txt")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("ra,nome,turma\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
