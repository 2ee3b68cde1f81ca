package sheet_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"

	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"schooladmin/sheet"
)

// workbook builds an XLSX file whose first sheet holds rows (a cell
// beginning with "=" is written as a formula); more sheets follow when
// extra is set.
func workbook(t testing.TB, rows [][]any, extra ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if s, ok := v.(string); ok && strings.HasPrefix(s, "=") {
				if err := f.SetCellFormula("Sheet1", cell, s[1:]); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, name := range extra {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		f.SetCellValue(name, "A1", "não é esta")
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX(t *testing.T) {
	data := workbook(t, [][]any{
		{"Turma", "Nome", "Observação", "RA"},
		{"1A", "Ana", "x", "R1"},
		{},
		{"1B", "'=Bia", nil, 20240001},
		{nil, "  ", nil, nil},
		{"2C", "Caio\nPrado", nil, "R3"},
	}, "Outra")
	got := sheet.Read(data, columns, limits)
	want := []string{"2|R1|Ana|1A", "4|20240001|=Bia|1B", "6|R3|Caio\nPrado|2C"}
	if got.Format != "xlsx" || len(got.Problems) > 0 || !reflect.DeepEqual(rowsOf(got), want) {
		t.Errorf("%s rows %q problems %q, want %q", got.Format, rowsOf(got), problemsOf(got), want)
	}
}

func TestReadXLSXRefuses(t *testing.T) {
	plainZip := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("leia-me.txt")
		w.Write([]byte("ra,nome,turma\n"))
		zw.Close()
		return buf.Bytes()
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"a zip that is not XLSX", plainZip(), "0 : O arquivo é compactado (ZIP) mas não é uma planilha"},
		{"a broken zip", []byte("PK\x03\x04 and nothing else"), "0 : O arquivo é compactado (ZIP) mas não é uma planilha"},
		{"an empty sheet", workbook(t, nil), "0 : A primeira planilha do arquivo está vazia."},
		{"header missing a column", workbook(t, [][]any{{"ra", "nome"}, {"R1", "Ana"}}), `1 turma: Falta a coluna "turma"`},
		{"a column twice", workbook(t, [][]any{{"ra", "nome", "turma", "RA"}}), `1 ra: A coluna "ra" aparece mais de uma vez no cabeçalho (colunas A, D)`},
		{"a formula", workbook(t, [][]any{{"ra", "nome", "turma"}, {"R1", "Ana", "1A"}, {"R2", `="Bia"&" Souza"`, "1A"}}), "3 nome: A célula tem uma fórmula"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := sheet.Read(tc.data, columns, limits)
			problems := problemsOf(got)
			if len(problems) == 0 || !strings.HasPrefix(problems[0], tc.want) {
				t.Fatalf("problems %q, want one starting %q", problems, tc.want)
			}
		})
	}
}

// A formula in a column the import ignores is no problem.
func TestReadXLSXFormulaInAnIgnoredColumn(t *testing.T) {
	data := workbook(t, [][]any{{"ra", "nome", "turma", "idade"}, {"R1", "Ana", "1A", "=2026-2015"}})
	if got := sheet.Read(data, columns, limits); len(got.Problems) > 0 || len(got.Rows) != 1 {
		t.Errorf("problems %q, rows %q", problemsOf(got), rowsOf(got))
	}
}

func TestReadXLSXBoundsRows(t *testing.T) {
	rows := [][]any{{"ra", "nome", "turma"}}
	for i := range 150 {
		rows = append(rows, []any{"R" + itoa(i), "Ana", "1A"})
	}
	got := sheet.Read(workbook(t, rows), columns, limits)
	if want := "102 : O arquivo passa de 100 linhas de alunos"; len(got.Rows) > 0 || len(got.Problems) != 1 || !strings.HasPrefix(problemsOf(got)[0], want) {
		t.Errorf("%d rows, problems %q, want none and %q", len(got.Rows), problemsOf(got), want)
	}
}

// bomb replaces the first sheet of a real workbook with a part that
// inflates to size bytes (spaces inside the sheet data) from about a
// thousandth of that, declaring declared as its size.
func bomb(t *testing.T, size, declared uint64) []byte {
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

	plain := workbook(t, [][]any{{"ra", "nome", "turma"}})
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
	zw.Close()
	return out.Bytes()
}

func TestReadXLSXZipBomb(t *testing.T) {
	const gib = 1 << 30
	cases := []struct {
		name     string
		declared uint64
		want     string
	}{
		{"declares the gigabyte it inflates to", gib, "0 : A planilha descompactada passaria de 8 MiB"},
		{"declares a kilobyte and inflates to a gigabyte", 1 << 10, "0 : O arquivo é compactado (ZIP) mas não é uma planilha"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := bomb(t, gib, tc.declared)
			if len(data) > 2<<20 {
				t.Fatalf("the bomb is %d bytes; it should be tiny", len(data))
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			got := sheet.Read(data, columns, limits)
			runtime.ReadMemStats(&after)
			if problems := problemsOf(got); len(problems) != 1 || !strings.HasPrefix(problems[0], tc.want) {
				t.Errorf("problems %q, want %q", problems, tc.want)
			}
			if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 32<<20 {
				t.Errorf("reading the bomb allocated %d MiB", allocated>>20)
			}
		})
	}
}
