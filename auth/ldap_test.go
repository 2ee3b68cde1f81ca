package auth_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"schooladmin/auth"
	"schooladmin/auth/authtest"
	"schooladmin/models"
)

// directoryPeople are the test directory's people: teachers, the head,
// and someone in no group that gives a role.
var directoryPeople = []authtest.DirectoryPerson{
	{UID: "ana", Password: "senha-da-ana", Mail: "ana@escola.test", Groups: []string{"professores"}},
	{UID: "bia", Password: "senha-da-bia", Groups: []string{"professores", "coordenacao"}, PosixGroups: []string{"biblioteca"}},
	{UID: "dora", Password: "senha-da-dora", Groups: []string{"direcao"}},
	{UID: "vera", Password: "senha-da-vera", Groups: []string{"visitantes"}},
}

// directoryConfig reaches slapd at url, mapping professores (by DN) and
// direcao (by cn alone).
func directoryConfig(s *authtest.Slapd, url string) auth.DirectoryConfig {
	return auth.DirectoryConfig{
		URL: url, BindDN: s.BindDN, BindPassword: s.BindPassword, UserBase: s.People, UserFilter: "(uid=%s)",
		RoleMap: auth.RoleMap{"cn=professores,ou=grupos,dc=escola,dc=test": models.RoleEditor, "direcao": models.RoleAdmin},
		RootCAs: s.RootCAs,
	}
}

func newDirectory(t *testing.T, cfg auth.DirectoryConfig) *auth.Directory {
	t.Helper()
	d, err := auth.NewDirectory(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDirectoryAuthenticate(t *testing.T) {
	slapd := authtest.StartSlapd(t, directoryPeople...)
	cfg := directoryConfig(slapd, slapd.URL)
	withGroupSearch := cfg
	withGroupSearch.GroupBase, withGroupSearch.RoleMap = slapd.Groups, auth.RoleMap{"professores": models.RoleEditor}
	posixOnly := cfg
	posixOnly.GroupBase, posixOnly.RoleMap = slapd.Groups, auth.RoleMap{"biblioteca": models.RoleViewer}
	posixNoBase := posixOnly
	posixNoBase.GroupBase = ""
	cases := []struct {
		name, user, password string
		cfg                  auth.DirectoryConfig
		roles                []string
		err                  error
	}{
		{"a teacher", "ana", "senha-da-ana", cfg, []string{models.RoleEditor}, nil},
		{"typed in capitals", "ANA", "senha-da-ana", cfg, []string{models.RoleEditor}, nil},
		{"the head, mapped by cn", "dora", "senha-da-dora", cfg, []string{models.RoleAdmin}, nil},
		{"groups found by searching the group base", "bia", "senha-da-bia", withGroupSearch, []string{models.RoleEditor}, nil},
		{"a wrong password", "ana", "senha-errada", cfg, nil, auth.ErrBadCredentials},
		{"an empty password (an unauthenticated bind)", "ana", "", cfg, nil, auth.ErrBadCredentials},
		{"an unknown user", "zeca", "senha-da-ana", cfg, nil, auth.ErrBadCredentials},
		{"a filter injection", "*)(uid=*", "senha-da-ana", cfg, nil, auth.ErrBadCredentials},
		{"a wildcard", "an*", "senha-da-ana", cfg, nil, auth.ErrBadCredentials},
		{"a posix group, found by searching the group base", "bia", "senha-da-bia", posixOnly, []string{models.RoleViewer}, nil},
		{"a posix group, without a group base", "bia", "senha-da-bia", posixNoBase, nil, nil},
		{"in no mapped group", "vera", "senha-da-vera", cfg, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eu, err := newDirectory(t, tc.cfg).Authenticate(context.Background(), tc.user, tc.password)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if err == nil && (!slices.Equal(eu.Roles, tc.roles) || eu.Source != models.SourceLDAP || eu.Username != models.CleanUsername(tc.user)) {
				t.Errorf("got %+v, want roles %v", eu, tc.roles)
			}
		})
	}
	if eu, _ := newDirectory(t, cfg).Authenticate(context.Background(), "ana", "senha-da-ana"); eu.Email != "ana@escola.test" ||
		eu.Subject != slapd.PersonDN("ana") {
		t.Errorf("ana's e-mail and DN: %+v", eu)
	}
}

// The directory is reached over TLS when the URL asks: ldaps:// from the
// start, or StartTLS on ldap://; a certificate nobody vouched for is
// refused.
func TestDirectoryTLS(t *testing.T) {
	slapd := authtest.StartSlapd(t, directoryPeople...)
	for _, url := range []string{slapd.TLSURL, slapd.URL + "?starttls=true"} {
		d := newDirectory(t, directoryConfig(slapd, url))
		if !d.Encrypted() {
			t.Errorf("%s: not encrypted", url)
		}
		if _, err := d.Authenticate(context.Background(), "ana", "senha-da-ana"); err != nil {
			t.Errorf("%s: %v", url, err)
		}
		untrusting := directoryConfig(slapd, url)
		untrusting.RootCAs = nil
		if _, err := newDirectory(t, untrusting).Authenticate(context.Background(), "ana", "senha-da-ana"); !errors.Is(err, auth.ErrDirectory) {
			t.Errorf("%s with an unknown certificate: %v, want ErrDirectory", url, err)
		}
	}
}

func TestDirectoryTroubleIsNotTheUsersFault(t *testing.T) {
	slapd := authtest.StartSlapd(t, directoryPeople...)
	wrongService := directoryConfig(slapd, slapd.URL)
	wrongService.BindPassword = "errada"
	if _, err := newDirectory(t, wrongService).Authenticate(context.Background(), "ana", "senha-da-ana"); !errors.Is(err, auth.ErrDirectory) {
		t.Errorf("a wrong service password: %v, want ErrDirectory", err)
	}
	down := directoryConfig(slapd, "ldap://127.0.0.1:1")
	if _, err := newDirectory(t, down).Authenticate(context.Background(), "ana", "senha-da-ana"); !errors.Is(err, auth.ErrDirectory) {
		t.Errorf("a directory that is down: %v, want ErrDirectory", err)
	}
}

func TestDirectoryConfigIsChecked(t *testing.T) {
	for _, cfg := range []auth.DirectoryConfig{
		{URL: "http://dc1", UserFilter: "(uid=%s)"},
		{URL: "ldap://", UserFilter: "(uid=%s)"},
		{URL: "ldaps://dc1?starttls=true", UserFilter: "(uid=%s)"},
		{URL: "ldap://dc1", UserFilter: "(uid=ana)"},
		{URL: "ldap://dc1", UserFilter: "(uid=%s"},
	} {
		if _, err := auth.NewDirectory(cfg); err == nil {
			t.Errorf("%+v was accepted", cfg)
		}
	}
}
