package models

import (
	"cmp"
	"context"
	"fmt"

	"gorm.io/gorm"
)

// SystemActor is who the audit trail names for changes the application
// makes by itself (migrations, the first administrator).
var SystemActor = Actor{Username: "system"}

// backfillTurmas makes a turma of every distinct turma name students had
// before turmas were data, once (a setting remembers it). Names that
// differ only in letter case or accents become one turma, spelled as most
// of its students spell it; the others' students move to that spelling,
// each audited.
func backfillTurmas(ctx context.Context, d *Database) error {
	const done = "turmas_backfilled"
	if v, err := d.setting(ctx, done); err != nil || v != "" {
		return err
	}
	var groups []struct {
		Turma string
		N     int64
	}
	if err := d.WithContext(ctx).Model(&Aluno{}).Select("turma, COUNT(*) AS n").Group("turma").Scan(&groups).Error; err != nil {
		return fmt.Errorf("backfill turmas: %w", dbError(err))
	}
	type turma struct {
		spelling string
		most, n  int64
		others   []string
	}
	byKey := map[string]*turma{}
	var keys []string
	for _, g := range groups {
		key := SortKey(g.Turma)
		t := byKey[key]
		if t == nil {
			t = &turma{}
			byKey[key] = t
			keys = append(keys, key)
		}
		t.n += g.N
		if g.N > t.most || g.N == t.most && cmp.Less(g.Turma, t.spelling) {
			if t.spelling != "" {
				t.others = append(t.others, t.spelling)
			}
			t.spelling, t.most = g.Turma, g.N
		} else {
			t.others = append(t.others, g.Turma)
		}
	}
	err := transaction(ctx, d.DB, func(tx *gorm.DB) error {
		for _, key := range keys {
			t := byKey[key]
			row := Turma{Codigo: t.spelling, CodigoKey: key, AnoLetivo: now().Year(), Alunos: t.n, Version: 1}
			if err := createRecord(tx, SystemActor, turmaKind, &row); err != nil {
				return fmt.Errorf("backfill turma %q: %w", t.spelling, err)
			}
			for _, other := range t.others {
				if err := moveAlunos(tx, SystemActor, other, t.spelling); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = d.EnsureSetting(ctx, done, func() (string, error) { return "1", nil })
	return err
}
