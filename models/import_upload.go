package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ImportUploadTTL is how long a file uploaded for an import waits for its
// confirmation: the preview can be reloaded, or confirmed, until then.
const ImportUploadTTL = 15 * time.Minute

// uploadPartSize is the size of the pieces a file is stored in, far under
// MariaDB's max_allowed_packet (16 MiB by default) even escaped.
const uploadPartSize = 1 << 20

// ImportUpload is a file uploaded in the browser for an import, kept on
// the server between the preview and the confirmation, in the database
// so that every replica of the app sees it. It belongs to one login
// session (Owner) and is kept for ImportUploadTTL.
type ImportUpload struct {
	ID        string    `gorm:"primaryKey;size:64"`
	Owner     string    `gorm:"size:64;not null;index"`
	Filename  string    `gorm:"size:255;not null;default:''"`
	Size      int64     `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null;index"`
}

// ImportUploadPart is a piece of an upload's content, in order of Seq.
type ImportUploadPart struct {
	UploadID string `gorm:"primaryKey;size:64"`
	Seq      int    `gorm:"primaryKey;autoIncrement:false"`
	Data     []byte `gorm:"size:1048576;not null"`
}

// ImportUploadStore keeps uploaded import files.
type ImportUploadStore struct{ db *gorm.DB }

// NewImportUploadStore returns a store on db.
func NewImportUploadStore(db *Database) *ImportUploadStore { return &ImportUploadStore{db: db.DB} }

// Save keeps data as owner's upload and returns its id. It replaces the
// owner's earlier upload (one preview at a time per session) and drops
// everyone's expired ones, so the table holds little.
func (s *ImportUploadStore) Save(ctx context.Context, owner, filename string, data []byte) (string, error) {
	id := NewSecret()
	err := transaction(ctx, s.db, func(tx *gorm.DB) error {
		stale := tx.Model(&ImportUpload{}).Select("id").
			Where("owner = ? OR created_at < ?", owner, now().Add(-ImportUploadTTL))
		if err := tx.Where("upload_id IN (?)", stale).Delete(&ImportUploadPart{}).Error; err != nil {
			return dbError(err)
		}
		if err := tx.Where("owner = ? OR created_at < ?", owner, now().Add(-ImportUploadTTL)).Delete(&ImportUpload{}).Error; err != nil {
			return dbError(err)
		}
		up := ImportUpload{ID: id, Owner: owner, Filename: truncate(filename, 255), Size: int64(len(data)), CreatedAt: now()}
		if err := tx.Create(&up).Error; err != nil {
			return dbError(err)
		}
		for seq, start := 0, 0; start < len(data); seq, start = seq+1, start+uploadPartSize {
			part := ImportUploadPart{UploadID: id, Seq: seq, Data: data[start:min(start+uploadPartSize, len(data))]}
			if err := tx.Create(&part).Error; err != nil {
				return dbError(err)
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("save import upload: %w", err)
	}
	return id, nil
}

// Load returns owner's upload id: its file name and content. Another
// session's upload, or one older than ImportUploadTTL, is ErrNotFound.
func (s *ImportUploadStore) Load(ctx context.Context, owner, id string) (string, []byte, error) {
	db := s.db.WithContext(ctx)
	var up ImportUpload
	err := db.Where("id = ? AND owner = ? AND created_at >= ?", id, owner, now().Add(-ImportUploadTTL)).Take(&up).Error
	if err != nil {
		return "", nil, fmt.Errorf("load import upload: %w", dbError(err))
	}
	data := make([]byte, 0, up.Size)
	rows, err := db.Model(&ImportUploadPart{}).Select("data").Where("upload_id = ?", id).Order("seq").Rows()
	if err != nil {
		return "", nil, fmt.Errorf("load import upload: %w", dbError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var part []byte
		if err := rows.Scan(&part); err != nil {
			return "", nil, fmt.Errorf("load import upload: %w", dbError(err))
		}
		data = append(data, part...)
	}
	if err := rows.Err(); err != nil || int64(len(data)) != up.Size {
		return "", nil, fmt.Errorf("load import upload %d of %d bytes: %w", len(data), up.Size, dbError(err))
	}
	return up.Filename, data, nil
}

// Delete forgets owner's upload id (once imported).
func (s *ImportUploadStore) Delete(ctx context.Context, owner, id string) error {
	return transaction(ctx, s.db, func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND owner = ?", id, owner).Delete(&ImportUpload{})
		if res.Error != nil || res.RowsAffected == 0 {
			return dbError(res.Error)
		}
		return dbError(tx.Where("upload_id = ?", id).Delete(&ImportUploadPart{}).Error)
	})
}
