package schooladmin

import (
	"os/exec"
	"strings"
	"testing"
)

// TestGenerateRunsTempl checks that `go generate ./...` regenerates the
// views: the dry run (-n) lists the templ command from the repository root.
func TestGenerateRunsTempl(t *testing.T) {
	out, err := exec.Command("go", "generate", "-n", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go generate -n: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "go tool templ generate") {
		t.Fatalf("go generate runs no templ generate; it printed %q", out)
	}
}
