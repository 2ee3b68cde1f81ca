package models_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"schooladmin/models"
	"schooladmin/models/modelstest"
)

func TestImportUploadsKeepTheFileForItsSession(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		s := models.NewImportUploadStore(db)
		data := bytes.Repeat([]byte("ra;nome;turma\r\nR1;João;1A\r\n\x00\xff"), 100_000) // about 2.7 MiB: three pieces
		id, err := s.Save(ctx, "sessão A", "alunos 2027.csv", data)
		if err != nil {
			t.Fatal(err)
		}
		name, got, err := s.Load(ctx, "sessão A", id)
		if err != nil || name != "alunos 2027.csv" || !bytes.Equal(got, data) {
			t.Fatalf("loaded %q, %d bytes (%v), want the %d bytes saved", name, len(got), err, len(data))
		}
		if _, _, err := s.Load(ctx, "sessão B", id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another session loads it: %v", err)
		}

		second, err := s.Save(ctx, "sessão A", "outro.csv", []byte("ra,nome,turma\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Load(ctx, "sessão A", id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a session's earlier upload is kept: %v", err)
		}
		if err := db.Model(&models.ImportUpload{}).Where("id = ?", second).
			Update("created_at", time.Now().Add(-models.ImportUploadTTL-time.Minute)).Error; err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Load(ctx, "sessão A", second); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("an expired upload loads: %v", err)
		}
		third, err := s.Save(ctx, "sessão C", "c.csv", []byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		var uploads, parts int64
		db.Model(&models.ImportUpload{}).Count(&uploads)
		db.Model(&models.ImportUploadPart{}).Count(&parts)
		if uploads != 1 || parts != 1 {
			t.Errorf("%d uploads and %d pieces kept, want only the last one's", uploads, parts)
		}
		if err := s.Delete(ctx, "sessão C", third); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Load(ctx, "sessão C", third); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a deleted upload loads: %v", err)
		}
	})
}
