package auth

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// Password length limits (ASVS 5.0 §6.2: at least 8, 64 or more
// accepted, no composition rules). The upper bound only caps hashing work.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 256
)

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is built once from the embedded list.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for line := range strings.Lines(commonPasswordsText) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// CheckPassword returns a message in Portuguese saying why password is not
// acceptable for username, or "" when it is.
func CheckPassword(username, password string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return "A senha contém caracteres inválidos."
	case n < MinPasswordLen:
		return "A senha precisa ter pelo menos 8 caracteres."
	case n > MaxPasswordLen:
		return "A senha pode ter no máximo 256 caracteres."
	case commonPasswords[strings.ToLower(password)]:
		return "Esta senha é comum demais e fácil de adivinhar; escolha outra."
	case username != "" && strings.EqualFold(password, username):
		return "A senha não pode ser igual ao nome de usuário."
	}
	return ""
}
