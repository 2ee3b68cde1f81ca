package auth

import (
	"context"
	"errors"
	"fmt"

	"schooladmin/models"
)

// Bootstrap creates the first administrator when no user exists. With an
// empty password one is generated and returned, to be shown once. When
// replicas start together only one creates it; the others see a duplicate
// and return created=false.
func Bootstrap(ctx context.Context, users *models.UserStore, hasher *Hasher, username, password string) (generated string, created bool, err error) {
	n, err := users.Count(ctx)
	if err != nil || n > 0 {
		return "", false, err
	}
	if password == "" {
		password = GeneratePassword()
		generated = password
	} else if msg := CheckPassword(username, password); msg != "" {
		return "", false, fmt.Errorf("ADMIN_PASSWORD is not acceptable: %s", msg)
	}
	hash, err := hasher.Hash(ctx, password)
	if err != nil {
		return "", false, err
	}
	system := models.Actor{Username: "system"}
	_, err = users.Create(ctx, system, models.NewUser{Username: username, PasswordHash: hash, Roles: []string{models.RoleAdmin}})
	if errors.Is(err, models.ErrDuplicate) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("create the first administrator: %w", err)
	}
	return generated, true, nil
}
