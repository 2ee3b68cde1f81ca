package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// goBenchPackages hold the Go benchmarks of the hot paths (list page,
// JSON encoding, token authentication, metrics, the list request in
// process).
var goBenchPackages = []string{"./views/", "./web/", "./auth/"}

// goBenchmarks runs `go test -bench` from the repository (the working
// directory bench/run.sh sets) against the same MariaDB server, after the
// run has set the server up (query cache), and returns the file holding
// the output. Their MariaDB variants create and drop databases of their own.
func (b *bench) goBenchmarks(ctx context.Context) (string, error) {
	logf("go benchmarks (%v)", goBenchPackages)
	path := filepath.Join(b.dir, "gobench.txt")
	out, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer out.Close()
	args := append([]string{"test", "-run=^$", "-bench=.", "-benchmem", "-count=3"}, goBenchPackages...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Env = append(os.Environ(), "TEST_MARIADB_URL="+b.cfg.Server)
	cmd.Stdout, cmd.Stderr = io.MultiWriter(out, os.Stderr), os.Stderr
	return path, cmd.Run()
}
