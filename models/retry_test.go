package models_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// TestDeadlockedTransactionIsRetried makes MariaDB detect a real deadlock:
// two transactions lock two rows in opposite orders. The server aborts one
// (error 1213); InTransaction runs it again and both complete.
func TestDeadlockedTransactionIsRetried(t *testing.T) {
	db := modelstest.MariaDB(t)
	ctx := context.Background()
	for _, ra := range []string{"LOCK-A", "LOCK-B"} {
		if err := db.Create(&models.Aluno{Nome: ra, Turma: "T", RA: ra, Version: 1}).Error; err != nil {
			t.Fatal(err)
		}
	}
	var attempts atomic.Int32
	var bothLockedFirst sync.WaitGroup
	bothLockedFirst.Add(2)
	lockInOrder := func(first, second string) error {
		return db.InTransaction(ctx, func(tx *gorm.DB) error {
			n := attempts.Add(1)
			if err := tx.Exec("UPDATE alunos SET version = version + 1 WHERE ra = ?", first).Error; err != nil {
				return err
			}
			if n <= 2 { // only the first attempts meet: a retry must not wait for a partner
				bothLockedFirst.Done()
				bothLockedFirst.Wait()
			}
			return tx.Exec("UPDATE alunos SET version = version + 1 WHERE ra = ?", second).Error
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- lockInOrder("LOCK-A", "LOCK-B") }()
	go func() { errs <- lockInOrder("LOCK-B", "LOCK-A") }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("a transaction failed despite the retry: %v", err)
		}
	}
	if attempts.Load() != 3 {
		t.Fatalf("%d attempts, want 3 (one deadlock victim retried once)", attempts.Load())
	}
	var versions []int64
	db.Model(&models.Aluno{}).Order("ra").Pluck("version", &versions)
	if len(versions) != 2 || versions[0] != 3 || versions[1] != 3 {
		t.Fatalf("versions %v, want both updated twice", versions)
	}
}
