package sheet_test

import (
	"reflect"
	"runtime"
	"strings"
	"testing"

	"schooladmin/web/sheet"
	"schooladmin/web/sheet/sheettest"
)

func TestReadXLSX(t *testing.T) {
	data := sheettest.Workbook(t, [][]any{
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
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"a zip that is not XLSX", sheettest.Zip(t), "0 : O arquivo é compactado (ZIP) mas não é uma planilha"},
		{"a broken zip", []byte("PK\x03\x04 and nothing else"), "0 : O arquivo é compactado (ZIP) mas não é uma planilha"},
		{"an empty sheet", sheettest.Workbook(t, nil), "0 : A primeira planilha do arquivo está vazia."},
		{"header missing a column", sheettest.Workbook(t, [][]any{{"ra", "nome"}, {"R1", "Ana"}}), `1 turma: Falta a coluna "turma"`},
		{"a column twice", sheettest.Workbook(t, [][]any{{"ra", "nome", "turma", "RA"}}), `1 ra: A coluna "ra" aparece mais de uma vez no cabeçalho (colunas A, D)`},
		{"a part too large to hold", sheettest.WithPart(t, sheettest.Workbook(t, [][]any{{"ra", "nome", "turma"}}), "xl/media/image1.png", make([]byte, 5<<20)),
			"0 : A planilha tem uma parte grande demais (xl/media/image1.png)"},
		{"a formula", sheettest.Workbook(t, [][]any{{"ra", "nome", "turma"}, {"R1", "Ana", "1A"}, {"R2", `="Bia"&" Souza"`, "1A"}}), "3 nome: A célula tem uma fórmula"},
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
	data := sheettest.Workbook(t, [][]any{{"ra", "nome", "turma", "idade"}, {"R1", "Ana", "1A", "=2026-2015"}})
	if got := sheet.Read(data, columns, limits); len(got.Problems) > 0 || len(got.Rows) != 1 {
		t.Errorf("problems %q, rows %q", problemsOf(got), rowsOf(got))
	}
}

func TestReadXLSXBoundsRows(t *testing.T) {
	rows := [][]any{{"ra", "nome", "turma"}}
	for i := range 150 {
		rows = append(rows, []any{"R" + itoa(i), "Ana", "1A"})
	}
	got := sheet.Read(sheettest.Workbook(t, rows), columns, limits)
	if want := "102 : O arquivo passa de 100 linhas de alunos"; len(got.Rows) > 0 || len(got.Problems) != 1 || !strings.HasPrefix(problemsOf(got)[0], want) {
		t.Errorf("%d rows, problems %q, want none and %q", len(got.Rows), problemsOf(got), want)
	}
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
			data := sheettest.Bomb(t, gib, tc.declared)
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
