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

// setting returns the stored value of key, "" when there is none.
func (d *Database) setting(ctx context.Context, key string) (string, error) {
	var s Setting
	if err := d.WithContext(ctx).Where("`key` = ?", key).Limit(1).Find(&s).Error; err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, dbError(err))
	}
	return s.Value, nil
}

// EnsureSetting returns the stored value of key, storing generate()'s value
// first when there is none. When two replicas start together, the first
// insert wins and both read the same value back.
func (d *Database) EnsureSetting(ctx context.Context, key string, generate func() (string, error)) (string, error) {
	if v, err := d.setting(ctx, key); err != nil || v != "" {
		return v, err
	}
	db := d.WithContext(ctx)
	var s Setting
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
