package models_test

import (
	"context"
	"testing"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

// Every command migrates first: a migration with nothing to do must
// change no row (an export right after an import would differ from the
// file, and the roles would seem edited at every start).
func TestMigrateAgainChangesNoRole(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		var before, after []models.Role
		if err := db.Order("id").Find(&before).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := db.Order("id").Find(&after).Error; err != nil {
			t.Fatal(err)
		}
		for i := range before {
			if !before[i].UpdatedAt.Equal(after[i].UpdatedAt) {
				t.Errorf("role %s: updated_at %v became %v", before[i].Name, before[i].UpdatedAt, after[i].UpdatedAt)
			}
		}
	})
}
