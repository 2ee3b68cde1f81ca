package models_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

func TestLoginFailureLongKeysFitTheColumn(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := t.Context()
		failures := models.NewLoginFailureStore(db)
		long, other := "user:"+strings.Repeat("ç", 300), "user:"+strings.Repeat("ç", 299)+"x"
		since := time.Now().Add(-time.Minute)
		if err := failures.Add(ctx, []string{long, "ip:192.0.2.1"}, since); err != nil {
			t.Fatalf("a long key: %v", err)
		}
		if got, err := failures.Recent(ctx, long, since, 10); err != nil || len(got) != 1 {
			t.Fatalf("long key's failures %v %v, want 1", got, err)
		}
		if got, _ := failures.Recent(ctx, other, since, 10); len(got) != 0 {
			t.Fatal("two long keys sharing a beginning share their count")
		}
		var keys []string
		db.Model(&models.LoginFailure{}).Pluck("key", &keys)
		for _, k := range keys {
			if utf8.RuneCountInString(k) > 100 {
				t.Fatalf("stored key of %d characters", utf8.RuneCountInString(k))
			}
		}
		if err := failures.Clear(ctx, long); err != nil {
			t.Fatal(err)
		}
		if got, _ := failures.Recent(ctx, long, since, 10); len(got) != 0 {
			t.Fatal("Clear left the long key's failures")
		}
	})
}
