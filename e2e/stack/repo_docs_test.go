package stack

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEnvExampleListsEveryVariable checks that .env.example, the file an
// operator copies to .env, names every variable docker-compose.yml reads.
func TestEnvExampleListsEveryVariable(t *testing.T) {
	root := repoRoot(t)
	compose, err := os.ReadFile(filepath.Join(root, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile(filepath.Join(root, ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^([A-Z][A-Z0-9_]*)=`).FindAllSubmatch(example, -1) {
		listed[string(m[1])] = true
	}
	for _, m := range regexp.MustCompile(`\$\{([A-Z][A-Z0-9_]*)`).FindAllSubmatch(compose, -1) {
		if name := string(m[1]); !listed[name] {
			t.Errorf("docker-compose.yml reads %s, which .env.example does not list", name)
			listed[name] = true // once
		}
	}
	for _, name := range []string{"GOMEMLIMIT", "GOGC"} {
		if !listed[name] {
			t.Errorf(".env.example does not list %s, which serve reads", name)
		}
	}
}

// TestReadmePointsInsideTheRepository checks that the files the README
// names exist in a clone: nothing outside it (../), no missing docs.
func TestReadmePointsInsideTheRepository(t *testing.T) {
	root := repoRoot(t)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(readme), "../") {
		t.Error("README.md points outside the repository (../)")
	}
	for _, m := range regexp.MustCompile(`\b(docs/[\w./-]+\.md|bench/[\w./-]+\.md)`).FindAllSubmatch(readme, -1) {
		if _, err := os.Stat(filepath.Join(root, string(m[1]))); err != nil {
			t.Errorf("README.md names %s: %v", m[1], err)
		}
	}
}
