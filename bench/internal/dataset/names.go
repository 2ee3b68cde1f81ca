// Package dataset makes and loads benchmark students: Brazilian names with
// a realistic spread of words (a few very common surnames, a long tail),
// about thirty classes and unique registration numbers (RAs).
package dataset

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Common Brazilian given names, roughly most common first, and the
// second names of compound ones ("Maria Eduarda", "João Pedro").
var (
	femaleNames = strings.Fields(`
Maria Ana Francisca Antônia Adriana Juliana Márcia Fernanda Patrícia Aline
Vitória Beatriz Larissa Letícia Camila Amanda Bruna Jéssica Luana Mariana
Gabriela Júlia Isabela Laura Sofia Helena Valentina Alice Manuela Heloísa
Lorena Lívia Cecília Raíssa Yasmin Sabrina Tainá Iara Conceição Lúcia Rita
Sandra Vera Tereza Luzia Célia Regina Rosângela Eliane Yara Thaís Débora`)
	maleNames = strings.Fields(`
José João Antônio Francisco Carlos Paulo Pedro Lucas Luiz Marcos Luís
Gabriel Rafael Daniel Marcelo Bruno Eduardo Felipe Raimundo Rodrigo Manoel
Mateus Gustavo Guilherme Enzo Miguel Arthur Heitor Davi Théo Bernardo
Samuel Benjamin Joaquim Caio Otávio Vinícius Thiago Leonardo Henrique Igor
Diego Renan Sérgio Márcio Fábio Cláudio Rogério Wesley Kauã Ícaro Nicolas`)
	femaleSeconds = strings.Fields(`Eduarda Clara Luiza Fernanda Vitória Cecília Alice Júlia Helena Beatriz`)
	maleSeconds   = strings.Fields(`Pedro Paulo Miguel Lucas Gabriel Vitor Henrique Guilherme Antônio Carlos`)
)

// lastNames are common Brazilian surnames, most common first: with the
// Zipf-like pick below, "Silva" ends up in about one name in six.
var lastNames = strings.Fields(`
Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes
Costa Ribeiro Martins Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa
Rocha Dias Nascimento Andrade Moreira Nunes Marques Machado Mendes Freitas
Cardoso Ramos Gonçalves Santana Teixeira Araújo Pinto Correia Cavalcanti
Monteiro Moura Campos Batista Azevedo Medeiros Castro Brito Sampaio Farias
Pires Guimarães Magalhães Jesus Assunção Brandão Falcão Leão Sá Schmidt
Müller Nakamura Tanaka Yamamoto Albuquerque Bezerra Siqueira Macedo Queiroz
Xavier Coelho Duarte Fonseca Reis Miranda Paiva Peixoto Tavares Vasconcelos
Bittencourt D'Ávila Figueiredo Lacerda Rezende Amaral Borges Aguiar Garcia
Morais Cunha Conceição`)

// connectors are the particles some surnames often take: "da Silva".
var connectors = map[string]string{
	"Silva": "da", "Santos": "dos", "Souza": "de", "Oliveira": "de", "Costa": "da",
	"Nascimento": "do", "Jesus": "de", "Conceição": "da", "Assunção": "da",
	"Cunha": "da", "Paiva": "de", "Almeida": "de", "Lima": "de", "Andrade": "de",
}

// Turmas are the classes students are spread over: years 1 to 10, A to C.
var Turmas = func() []string {
	var t []string
	for year := 1; year <= 10; year++ {
		for _, letter := range "ABC" {
			t = append(t, fmt.Sprintf("%d%c", year, letter))
		}
	}
	return t
}()

// zipf picks indexes of a list of n with weight 1/(rank+2), so that the
// first entries are common and the rest form a long tail.
type zipf struct{ cumulative []float64 }

func newZipf(n int) zipf {
	z := zipf{cumulative: make([]float64, n)}
	sum := 0.0
	for i := range n {
		sum += 1 / float64(i+2)
		z.cumulative[i] = sum
	}
	return z
}

func (z zipf) pick(r *rand.Rand) int {
	x := r.Float64() * z.cumulative[len(z.cumulative)-1]
	i, _ := slices.BinarySearch(z.cumulative, x)
	return min(i, len(z.cumulative)-1)
}

var (
	givenZipf = newZipf(len(femaleNames))
	lastZipf  = newZipf(len(lastNames))
)

// Name returns a random full name such as "Maria Eduarda da Silva Santos".
func Name(r *rand.Rand) string {
	given, seconds := femaleNames, femaleSeconds
	if r.IntN(2) == 0 {
		given, seconds = maleNames, maleSeconds
	}
	parts := []string{given[givenZipf.pick(r)%len(given)]}
	if r.IntN(10) < 3 {
		parts = append(parts, seconds[r.IntN(len(seconds))])
	}
	for range 1 + r.IntN(2) {
		last := lastNames[lastZipf.pick(r)]
		if c, ok := connectors[last]; ok && r.IntN(3) == 0 {
			parts = append(parts, c)
		}
		parts = append(parts, last)
	}
	return strings.Join(parts, " ")
}

// Student is one generated row.
type Student struct {
	Nome, Turma, RA string
	CreatedAt       time.Time
}

// epoch is when the oldest generated student was enrolled.
var epoch = time.Date(2015, 1, 5, 8, 0, 0, 0, time.UTC)

// Make returns student number i (from 0) of a data set; the same seed and
// i give the same student, and RAs are unique across i.
func Make(seed uint64, i int) Student {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	nome := Name(r)
	return Student{
		Nome:      nome,
		Turma:     Turmas[r.IntN(len(Turmas))],
		RA:        fmt.Sprintf("%d.%07d", 2015+i%10, i),
		CreatedAt: epoch.Add(time.Duration(i) * 7 * time.Minute),
	}
}
