package main

import (
	"context"
	"fmt"
	"sync"
)

// loginBurst measures POST /login (argon2id, deliberately slow) on its
// own connections while GET /alunos runs beside it, and GET /alunos alone
// with the same load, to show whether logins starve other requests.
func (b *bench) loginBurst(ctx context.Context) error {
	_, cookie, token, err := loginForm("http://" + b.app.addr)
	if err != nil {
		return fmt.Errorf("open the login form: %w", err)
	}
	half := max(1, b.cfg.Conns/2)
	listLoad := target{server: "app", proc: b.app, path: "/alunos", script: "get", headers: []string{b.bearer()}, expect: []int{200}}
	alone, err := b.runTarget(ctx, "GET /alunos, no logins running", listLoad, false, 1, half)
	if err != nil {
		return err
	}
	loginLoad := target{server: "app", proc: b.app, path: "/login", script: "login", expect: []int{303},
		headers: []string{"Cookie: " + cookie, "Accept: " + browserAccept}, args: []string{loginBody(token, "admin", adminPassword)}}
	var wg sync.WaitGroup
	var login row
	var loginErr error
	wg.Go(func() { login, loginErr = b.runTarget(ctx, "POST /login burst (argon2id)", loginLoad, true, 1, half) })
	during, err := b.runTarget(ctx, "GET /alunos during the login burst", listLoad, false, 1, half)
	wg.Wait()
	if err != nil {
		return err
	}
	if loginErr != nil {
		return loginErr
	}
	compare(&during, alone, "GET /alunos alone")
	b.results = append(b.results, alone, login, during)
	return nil
}
