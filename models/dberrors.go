package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
)

// dbError translates driver and GORM errors into the package's sentinel
// errors, keeping the original for the log.
func dbError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return ErrDuplicate
	case isConnectionError(err):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// isConnectionError reports whether err means the server could not be
// reached or dropped the connection, as opposed to rejecting a statement.
func isConnectionError(err error) bool {
	var netErr net.Error
	return errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, sql.ErrConnDone) ||
		// database/sql has no sentinel for a closed pool; its text is stable
		strings.Contains(err.Error(), "sql: database is closed") ||
		errors.Is(err, mysql.ErrInvalidConn) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) ||
		errors.As(err, &netErr)
}

// permanentStartError reports whether a failed ping will not get better by
// waiting: refused credentials or a database that does not exist.
func permanentStartError(err error) bool {
	var myErr *mysql.MySQLError
	if errors.As(err, &myErr) {
		switch myErr.Number {
		case 1044, 1045, 1049: // access denied to database, access denied, unknown database
			return true
		}
	}
	return false
}

// WaitReady pings the database until it answers, for at most wait, so the
// app can start before a database container has finished starting. Refused
// credentials and unknown databases fail at once. The returned error is one
// line meant for the operator and carries no password.
func (d *Database) WaitReady(ctx context.Context, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		err := d.pingOnce(ctx)
		if err == nil {
			return nil
		}
		if permanentStartError(err) {
			return fmt.Errorf("database refused the connection: %s", describe(err))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("database not reachable after %s: %s", wait, describe(err))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func (d *Database) pingOnce(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return d.SQL().PingContext(ctx)
}

// describe gives the driver's message for err; driver messages name users
// and hosts but never passwords.
func describe(err error) string {
	var myErr *mysql.MySQLError
	if errors.As(err, &myErr) {
		return myErr.Message
	}
	return err.Error()
}
