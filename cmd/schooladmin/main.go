// Command schooladmin runs the school administration web application and
// its maintenance commands (see `schooladmin help`).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// errTerminated is the cancel cause of a SIGTERM: a supervisor or load
// balancer stopping us, which gets the drain delay (Ctrl-C does not).
var errTerminated = errors.New("terminated by SIGTERM")

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		signal.Stop(signals) // a second signal kills the process the default way
		if sig == syscall.SIGTERM {
			cancel(errTerminated)
		} else {
			cancel(context.Canceled)
		}
	}()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "schooladmin:", err)
		os.Exit(1)
	}
}

const usage = `usage: schooladmin COMMAND

commands:
  serve      run the web application (the default)
  migrate    create or upgrade the database schema, then exit
  user create --username U --role R [--email E]    password from stdin
  user reset-password --username U                  password from stdin; unlocks the account
  user unlock --username U                          after too many failed logins
  user list
  token create --username U [--name N] [--expires 2160h] [--scope students|admin]   prints the token alone
  export FILE   a complete copy of the database into FILE (- for standard output)
  import FILE   load such a copy into an empty database, SQLite or MariaDB (- for standard input)
  version    print the version

configuration comes from the environment: DATABASE_URL, ADDR, SECRET_KEY,
ADMIN_USERNAME, ADMIN_PASSWORD, ... (see README.md)
`

// run is main without the process: arguments, environment and streams come
// in, an error comes out, so tests can drive every command.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, getenv, stderr)
	case "migrate":
		return migrate(ctx, getenv, stdout, stderr)
	case "user":
		return userCommand(ctx, args, getenv, stdin, stdout, stderr)
	case "token":
		return tokenCommand(ctx, args, getenv, stdout, stderr)
	case "export":
		return exportCommand(ctx, args, getenv, stdout, stderr)
	case "import":
		return importCommand(ctx, args, getenv, stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "schooladmin", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
