package models

import (
	"context"
	"fmt"

	"gorm.io/gorm/clause"
)

// Setting is a value the application keeps for itself, such as the
// generated session key that every replica must share.
type Setting struct {
	Key   string `gorm:"primaryKey;size:64"`
	Value string `gorm:"size:255;not null"`
}

// EnsureSetting returns the stored value of key, storing generate()'s value
// first when there is none. When two replicas start together, the first
// insert wins and both read the same value back.
func (d *Database) EnsureSetting(ctx context.Context, key string, generate func() (string, error)) (string, error) {
	db := d.WithContext(ctx)
	var s Setting
	if err := db.Where("`key` = ?", key).Limit(1).Find(&s).Error; err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, dbError(err))
	}
	if s.Key != "" {
		return s.Value, nil
	}
	value, err := generate()
	if err != nil {
		return "", err
	}
	ins := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&Setting{Key: key, Value: value})
	if ins.Error != nil {
		return "", fmt.Errorf("store setting %s: %w", key, dbError(ins.Error))
	}
	if err := db.Where("`key` = ?", key).First(&s).Error; err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, dbError(err))
	}
	return s.Value, nil
}
