package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"schooladmin/auth"
	"schooladmin/models"
)

// cli is what the user and token commands share: an open database, the
// streams, and the actor the audit trail names.
type cli struct {
	db     *models.Database
	users  *models.UserStore
	login  *auth.Login // unlocks accounts locked by failed logins
	hasher *auth.Hasher
	stdin  io.Reader
	stdout io.Writer
	actor  models.Actor
}

// withCLI opens the database for a command (creating it only when create
// is mayCreate), first saying on stderr which one it is.
func withCLI(ctx context.Context, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, create bool, fn func(c *cli) error) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	fmt.Fprintln(stderr, "database:", models.DescribeDatabaseURL(cfg.DatabaseURL))
	logTo := io.Discard
	if create { // a new database's first administrator and generated password are printed
		logTo = stderr
	}
	log := slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := openDatabase(ctx, cfg, log, create)
	if err != nil {
		return err
	}
	defer db.Close()
	users, hasher := models.NewUserStore(db), auth.NewHasher(1)
	login := &auth.Login{Users: users, Failures: models.NewLoginFailureStore(db), Hasher: hasher, Limits: cfg.Web.Throttle}
	return fn(&cli{db: db, users: users, login: login, hasher: hasher,
		stdin: stdin, stdout: stdout, actor: models.Actor{Username: "cli"}})
}

func userCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("user needs a subcommand: create, reset-password, unlock or list")
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	username := fs.String("username", "", "user name")
	role := fs.String("role", "", "role name (Admin, Editor, Viewer or a custom role); several separated by commas")
	email := fs.String("email", "", "e-mail address")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	return withCLI(ctx, getenv, stdin, stdout, stderr, mustExist, func(c *cli) error {
		switch args[0] {
		case "create":
			return c.createUser(ctx, *username, *role, *email)
		case "reset-password":
			return c.resetPassword(ctx, *username)
		case "unlock":
			return c.unlock(ctx, *username)
		case "list":
			return c.listUsers(ctx)
		}
		return fmt.Errorf("unknown user subcommand %q", args[0])
	})
}

// newPasswordHash reads a new password for username from standard input,
// checks it against the policy and hashes it.
func (c *cli) newPasswordHash(ctx context.Context, username string) (string, error) {
	password, err := c.readPassword(username)
	if err != nil {
		return "", err
	}
	return c.hasher.Hash(ctx, password)
}

// readPassword reads one line from standard input and checks the policy.
func (c *cli) readPassword(username string) (string, error) {
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", errors.New("no password on standard input (one line)")
	}
	if msg := auth.CheckPassword(username, password); msg != "" {
		return "", errors.New(msg)
	}
	return password, nil
}

func (c *cli) createUser(ctx context.Context, username, role, email string) error {
	if username == "" || role == "" {
		return errors.New("user create needs --username and --role")
	}
	hash, err := c.newPasswordHash(ctx, username)
	if err != nil {
		return err
	}
	var roles []string
	for r := range strings.SplitSeq(role, ",") {
		roles = append(roles, strings.TrimSpace(r))
	}
	_, err = c.users.Create(ctx, c.actor, models.NewUser{Username: username, Email: email, PasswordHash: hash, Roles: roles})
	var verr *models.ValidationError
	switch {
	case errors.Is(err, models.ErrDuplicate):
		return fmt.Errorf("user %q already exists", username)
	case errors.As(err, &verr):
		return fmt.Errorf("invalid user: %s", strings.Join(fieldMessages(verr), " "))
	case err != nil:
		return err
	}
	fmt.Fprintf(c.stdout, "created user %s with role %s\n", username, role)
	return nil
}

func fieldMessages(verr *models.ValidationError) []string {
	var msgs []string
	for field, msg := range verr.Fields {
		msgs = append(msgs, field+": "+msg)
	}
	return msgs
}

func (c *cli) findUser(ctx context.Context, username string) (models.User, error) {
	if username == "" {
		return models.User{}, errors.New("--username is required")
	}
	u, err := c.users.GetByUsername(ctx, username)
	if errors.Is(err, models.ErrNotFound) {
		return u, fmt.Errorf("no user %q", username)
	}
	return u, err
}

func (c *cli) resetPassword(ctx context.Context, username string) error {
	u, err := c.findUser(ctx, username)
	if err != nil {
		return err
	}
	hash, err := c.newPasswordHash(ctx, username)
	if err != nil {
		return err
	}
	unlocked, err := c.login.ResetPassword(ctx, c.actor, u, hash, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "password of %s changed; their sessions were ended\n", username)
	if unlocked {
		fmt.Fprintf(c.stdout, "%s unlocked\n", username)
	}
	return nil
}

// unlock lets a user whose account failed logins locked log in again.
func (c *cli) unlock(ctx context.Context, username string) error {
	u, err := c.findUser(ctx, username)
	if err != nil {
		return err
	}
	unlocked, err := c.login.Unlock(ctx, c.actor, u.Username)
	if err != nil {
		return err
	}
	if !unlocked {
		fmt.Fprintf(c.stdout, "%s was not locked\n", u.Username)
		return nil
	}
	fmt.Fprintf(c.stdout, "%s unlocked\n", u.Username)
	return nil
}

func (c *cli) listUsers(ctx context.Context) error {
	var users []models.User
	for q := models.NewListQuery(models.UserList, models.MaxPerPage, nil); ; q.Page++ {
		page, total, err := c.users.List(ctx, q)
		if err != nil {
			return err
		}
		users = append(users, page...)
		if int64(len(users)) >= total || len(page) == 0 {
			break
		}
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "USERNAME\tEMAIL\tACTIVE\tROLES\tLAST LOGIN")
	for _, u := range users {
		last := "-"
		if u.LastLoginAt != nil {
			last = u.LastLoginAt.UTC().Format(time.RFC3339)
		}
		names := make([]string, len(u.Roles))
		for i, r := range u.Roles {
			names[i] = r.Name
		}
		fmt.Fprintf(w, "%s\t%s\t%v\t%s\t%s\n", u.Username, u.Email, u.Active, strings.Join(names, ","), last)
	}
	return w.Flush()
}

func tokenCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("token needs the subcommand create")
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	username := fs.String("username", "", "owner of the token")
	name := fs.String("name", "cli", "a name to recognise the token by")
	expires := fs.Duration("expires", 0, "lifetime, e.g. 2160h for 90 days (0: no expiry)")
	scope := fs.String("scope", models.ScopeStudents, "students (student and turma routes) or admin (also users, roles, audit; only for a user who manages users)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *scope != models.ScopeStudents && *scope != models.ScopeAdmin {
		return fmt.Errorf("--scope must be students or admin, not %q", *scope)
	}
	return withCLI(ctx, getenv, nil, stdout, stderr, mustExist, func(c *cli) error {
		u, err := c.findUser(ctx, *username)
		if err != nil {
			return err
		}
		var exp *time.Time
		if *expires > 0 {
			t := time.Now().Add(*expires)
			exp = &t
		}
		plain, _, err := models.NewTokenStore(c.db).Create(ctx, c.actor, u.ID, *name, *scope, exp)
		if errors.Is(err, models.ErrAdminScope) {
			return fmt.Errorf("%s does not manage users (no %q permission), so cannot hold an admin-scope token; "+
				"leave out --scope admin for a students-scope token", u.Username, models.PermManageUsers)
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, plain)
		return nil
	})
}
