package models

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
)

// maxTxAttempts bounds how often a transaction the server aborted is run again.
const maxTxAttempts = 4

// transaction runs fn in a transaction and runs the whole of it again when
// the server rolled it back for a deadlock or a lock wait timeout (MariaDB
// 1213/1205; a Galera certification conflict is also 1213). Nothing of a
// rolled-back attempt remains, so a fresh attempt is safe; fn must not
// keep state from one attempt to the next.
func transaction(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) error {
	for attempt := 1; ; attempt++ {
		err := db.WithContext(ctx).Transaction(fn)
		if err == nil || attempt == maxTxAttempts || !retryableTxError(err) {
			return err
		}
		// back off a little, with jitter, so the two sides do not collide again
		wait := time.Duration(attempt*attempt)*5*time.Millisecond + rand.N(5*time.Millisecond)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

func retryableTxError(err error) bool {
	var myErr *mysql.MySQLError
	return errors.As(err, &myErr) && (myErr.Number == 1213 || myErr.Number == 1205)
}

// InTransaction runs fn in a transaction with the same retries as the
// stores' own writes, for work that spans several stores (and for tests).
func (d *Database) InTransaction(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return transaction(ctx, d.DB, fn)
}
