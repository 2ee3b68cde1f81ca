package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// schema lists every table, in dependency order.
var schema = []any{
	&Aluno{}, &AlunoPalavra{}, &AlunoExcluido{}, &Turma{}, &Setting{}, &Role{}, &RolePermission{}, &User{}, &UserSession{},
	&APIToken{}, &LoginFailure{}, &AuditEvent{}, &IdempotencyKey{}, &ImportUpload{}, &ImportUploadPart{},
}

// Migrate creates or upgrades the schema. On MariaDB it holds a named lock
// while it works, so replicas starting together do not race each other.
func (d *Database) Migrate(ctx context.Context) error {
	db := d.WithContext(ctx)
	if d.Dialect != "mysql" {
		if err := migrateTables(db); err != nil {
			return err
		}
		return backfillDerived(ctx, d)
	}
	db = db.Set("gorm:table_options", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci")
	// GET_LOCK belongs to one connection, so pin one for lock, work and release.
	if galera(d.WithContext(ctx)) {
		// Galera refuses GET_LOCK (MDEV-30473); its DDL is serialised
		// cluster-wide, and a replica losing a CREATE TABLE race exits and
		// is restarted by its supervisor into an existing schema.
		if err := migrateTables(db); err != nil {
			return err
		}
		return backfillDerived(ctx, d)
	}
	return db.Connection(func(conn *gorm.DB) error {
		var got *int
		// the lock is per database: apps on other databases of the same
		// server (other schools, tests) migrate at the same time
		if err := conn.Raw("SELECT GET_LOCK(CONCAT('schooladmin_migrate:', DATABASE()), 60)").Scan(&got).Error; err != nil {
			return fmt.Errorf("migration lock: %w", dbError(err))
		}
		if got == nil || *got != 1 {
			return errors.New("migration lock: another process held it for 60 s")
		}
		defer conn.Exec("SELECT RELEASE_LOCK(CONCAT('schooladmin_migrate:', DATABASE()))")
		if err := migrateTables(conn); err != nil {
			return err
		}
		return backfillDerived(ctx, d)
	})
}

// backfillDerived fills what later versions derive from older data: the
// search words of names, the sort keys, and turmas from the students'
// turma names.
func backfillDerived(ctx context.Context, d *Database) error {
	if err := backfillWords(ctx, d); err != nil {
		return err
	}
	if err := backfillSortKeys(ctx, d); err != nil {
		return err
	}
	return backfillTurmas(ctx, d)
}

func migrateTables(db *gorm.DB) error {
	if err := db.AutoMigrate(schema...); err != nil {
		return fmt.Errorf("migrate schema: %w", dbError(err))
	}
	if err := dropIndexes(db, &Aluno{}, droppedIndexes...); err != nil {
		return err
	}
	return syncBuiltInRoles(db)
}

// droppedIndexes are indexes of alunos that earlier versions made and no
// query uses any more: lists sort and filter by nome_key and turma_key.
var droppedIndexes = []string{"idx_alunos_nome", "idx_alunos_turma"}

// dropIndexes drops the named indexes of model's table that still exist.
func dropIndexes(db *gorm.DB, model any, names ...string) error {
	m := db.Migrator()
	for _, name := range names {
		if !m.HasIndex(model, name) {
			continue
		}
		if err := m.DropIndex(model, name); err != nil {
			return fmt.Errorf("drop index %s: %w", name, dbError(err))
		}
	}
	return nil
}

// syncBuiltInRoles creates the built-in roles and gives them exactly the
// permissions the code defines for them.
func syncBuiltInRoles(db *gorm.DB) error {
	return db.Transaction(func(tx *gorm.DB) error {
		for name, perms := range builtInRoles {
			role := Role{Name: name}
			if err := tx.Where(Role{Name: name}).Attrs(Role{BuiltIn: true}).FirstOrCreate(&role).Error; err != nil {
				return fmt.Errorf("create role %s: %w", name, dbError(err))
			}
			if !role.BuiltIn { // a custom role of that name becomes the built-in one
				if err := tx.Model(&role).Update("built_in", true).Error; err != nil {
					return dbError(err)
				}
			}
			if err := tx.Where("role_id = ?", role.ID).Delete(&RolePermission{}).Error; err != nil {
				return dbError(err)
			}
			rows := make([]RolePermission, len(perms))
			for i, p := range perms {
				rows[i] = RolePermission{RoleID: role.ID, Permission: p}
			}
			if err := tx.Create(&rows).Error; err != nil {
				return fmt.Errorf("permissions of %s: %w", name, dbError(err))
			}
		}
		return nil
	})
}

// galera reports whether the server is a Galera cluster node.
func galera(db *gorm.DB) bool {
	var on *int
	if err := db.Raw("SELECT @@wsrep_on").Scan(&on).Error; err != nil {
		return false // MySQL has no such variable
	}
	return on != nil && *on == 1
}
