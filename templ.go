// Package schooladmin is the repository root. It holds no code, only the
// generate directive: `go generate ./...` regenerates the templ views
// (views/*_templ.go), which are committed.
package schooladmin

//go:generate go tool templ generate
