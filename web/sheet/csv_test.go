package sheet_test

import (
	"reflect"
	"strings"
	"testing"

	"schooladmin/web/sheet"
)

var columns = []string{"ra", "nome", "turma"}

var limits = sheet.Limits{MaxRows: 100, MaxUnzipped: 8 << 20, MaxProblems: 50}

// rowsOf is a table's rows as "line:cell|cell|cell".
func rowsOf(t sheet.Table) []string {
	var out []string
	for _, r := range t.Rows {
		out = append(out, strings.Join(append([]string{itoa(r.Line)}, r.Cells...), "|"))
	}
	return out
}

func itoa(n int) string { return sheet.Thousands(n) }

func TestReadCSV(t *testing.T) {
	cases := []struct {
		name string
		data string
		want []string
	}{
		{"comma", "ra,nome,turma\nR1,Ana,1A\n", []string{"2|R1|Ana|1A"}},
		{"semicolon, CRLF, as Excel in Portuguese writes", "RA;Nome;Turma\r\nR1;Ana, da Silva;1A\r\n", []string{"2|R1|Ana, da Silva|1A"}},
		{"tab", "ra\tnome\tturma\nR1\tAna\t1A\n", []string{"2|R1|Ana|1A"}},
		{"byte-order mark", "\uFEFFra,nome,turma\nR1,Ana,1A\n", []string{"2|R1|Ana|1A"}},
		{"any order, case and accents; other columns ignored", "Turmá,Data,NOME, Ra \n1A,2024-01-01,Ana,R1\n", []string{"2|R1|Ana|1A"}},
		{"blank lines count as spreadsheet rows", "ra,nome,turma\n\nR1,Ana,1A\n,,\nR2,Bia,1B\n", []string{"3|R1|Ana|1A", "5|R2|Bia|1B"}},
		{"a cell over two lines is one row", "ra,nome,turma\nR1,\"Ana\nMaria\",1A\nR2,Bia,1B\n", []string{"2|R1|Ana\nMaria|1A", "3|R2|Bia|1B"}},
		{"the export's apostrophe is removed", "ra,nome,turma\n'-1,'=Ana,'@1A\nR2,'Bia,1B\n", []string{"2|-1|=Ana|@1A", "3|R2|'Bia|1B"}},
		{"missing trailing cells are empty", "ra,nome,turma\nR1,Ana\n", []string{"2|R1|Ana|"}},
		{"a stray quote is kept", "ra,nome,turma\nR1,Ana \"Bia\" Souza,1A\n", []string{"2|R1|Ana \"Bia\" Souza|1A"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := sheet.Read([]byte(tc.data), columns, limits)
			if len(got.Problems) > 0 || got.Format != "csv" {
				t.Fatalf("%s, problems %+v", got.Format, got.Problems)
			}
			if rows := rowsOf(got); !reflect.DeepEqual(rows, tc.want) {
				t.Errorf("rows %q, want %q", rows, tc.want)
			}
		})
	}
}

func TestReadCSVWindows1252(t *testing.T) {
	data := []byte("ra;nome;turma\r\nR1;Jo\xe3o Ara\xfajo;1\xba A\r\n") // "João Araújo", "1º A"
	got := sheet.Read(data, columns, limits)
	if want := []string{"2|R1|João Araújo|1º A"}; !reflect.DeepEqual(rowsOf(got), want) || len(got.Problems) > 0 {
		t.Errorf("rows %q problems %+v, want %q", rowsOf(got), got.Problems, want)
	}
}

// problemsOf is a table's problems as "line field: message".
func problemsOf(t sheet.Table) []string {
	var out []string
	for _, p := range t.Problems {
		out = append(out, itoa(p.Line)+" "+p.Field+": "+p.Message)
	}
	return out
}

func TestReadCSVRefuses(t *testing.T) {
	cases := []struct {
		name string
		data string
		want string // line, field and a piece of the message of the first problem
	}{
		{"empty", "", "0 : O arquivo está vazio."},
		{"only a byte-order mark and blank lines", "\uFEFF\n\n", "0 : O arquivo está vazio."},
		{"header missing a column", "ra,nome\nR1,Ana\n", `1 turma: Falta a coluna "turma"`},
		{"a column twice", "ra,nome,Nome,turma\nR1,Ana,Ana,1A\n", `1 nome: A coluna "nome" aparece mais de uma vez no cabeçalho (colunas B, C)`},
		{"NUL", "ra,nome,turma\nR1,An\x00a,1A\n", "0 : O arquivo tem um caractere nulo (NUL) na linha 2"},
		{"neither UTF-8 nor Windows-1252", "ra,nome,turma\nR1,An\x81a,1A\n", "0 : O arquivo não é um CSV em UTF-8 nem em Windows-1252"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "0 : O arquivo tem um caractere nulo"},
		{"UTF-16", "\xff\xfer\x00a\x00", "0 : Este arquivo está em UTF-16"},
		{"Excel 97-2003", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "0 : Este arquivo é do Excel 97-2003"},
		{"a formula", "ra,nome,turma\nR1,=HYPERLINK(\"http://x\"),1A\n", `2 nome: O valor começa com "="`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := sheet.Read([]byte(tc.data), columns, limits)
			problems := problemsOf(got)
			if len(problems) == 0 || !strings.HasPrefix(problems[0], tc.want) {
				t.Fatalf("problems %q, want one starting %q", problems, tc.want)
			}
			if len(got.Rows) > 0 {
				t.Errorf("rows %q kept from a refused row or file", rowsOf(got))
			}
		})
	}
}

func TestReadCSVBoundsRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("ra,nome,turma\n")
	for i := range 200_000 {
		b.WriteString("R" + itoa(i) + ",Ana,1A\n")
	}
	got := sheet.Read([]byte(b.String()), columns, sheet.Limits{MaxRows: 100_000, MaxProblems: 10})
	want := []string{"100.002 : O arquivo passa de 100.000 linhas de alunos (linha 100.002): divida-o em arquivos menores e importe um de cada vez."}
	if !reflect.DeepEqual(problemsOf(got), want) || len(got.Rows) != 0 {
		t.Errorf("problems %q and %d rows, want %q and none", problemsOf(got), len(got.Rows), want)
	}
}

func TestReadCSVListsProblemsUpToTheLimit(t *testing.T) {
	data := "ra,nome,turma\n" + strings.Repeat("R1,=1,=2\n", 30)
	got := sheet.Read([]byte(data), columns, sheet.Limits{MaxRows: 100, MaxProblems: 10})
	if len(got.Problems) != 10 || got.MoreProblems != 50 {
		t.Errorf("%d problems listed and %d more, want 10 and 50", len(got.Problems), got.MoreProblems)
	}
}

func TestColumnLetterAndThousands(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 701: "ZZ", 702: "AAA"} {
		if got := sheet.ColumnLetter(i); got != want {
			t.Errorf("ColumnLetter(%d) = %q, want %q", i, got, want)
		}
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1.000", 100000: "100.000", 1234567: "1.234.567", -1000: "-1.000"} {
		if got := sheet.Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
