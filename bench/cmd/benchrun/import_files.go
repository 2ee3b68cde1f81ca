package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/xuri/excelize/v2"

	"schooladmin/bench/internal/dataset"
)

// importSeed keeps the imported students apart from the loaded ones
// (their RAs begin with IMP, the loader's with a year).
const importSeed = 7

// importStudent is row i of the import files: a generated name, a turma,
// and an RA of its own; moved puts the student in the next turma.
func importStudent(i int, moved bool) (ra, nome, turma string) {
	s := dataset.Make(importSeed, i)
	turma = s.Turma
	if moved {
		turma = dataset.Turmas[(i+1)%len(dataset.Turmas)]
		if turma == s.Turma {
			turma = dataset.Turmas[(i+2)%len(dataset.Turmas)]
		}
	}
	return fmt.Sprintf("IMP.%07d", i), s.Nome, turma
}

// writeImportCSV writes n students as Excel in Portuguese saves a CSV
// (semicolons, CRLF, a byte-order mark), with an ignored column as real
// exports have.
func writeImportCSV(path string, n int, moved bool) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprint(w, "\uFEFFRA;Nome;Turma;Situação\r\n")
	for i := range n {
		ra, nome, turma := importStudent(i, moved)
		fmt.Fprintf(w, "%s;%s;%s;Matriculado\r\n", ra, nome, turma)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeImportXLSX writes the same students as a workbook, with
// excelize's streaming writer.
func writeImportXLSX(path string, n int, moved bool) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"RA", "Nome", "Turma", "Situação"}); err != nil {
		return err
	}
	for i := range n {
		ra, nome, turma := importStudent(i, moved)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{ra, nome, turma, "Matriculado"}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}
