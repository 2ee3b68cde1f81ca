package auth

import (
	"slices"
	"testing"
)

func TestRoleMaps(t *testing.T) {
	m, err := ParseRoleMap(" professores=Editor, direcao=Admin ,,", ",")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		values   []string
		fallback string
		want     []string
	}{
		{[]string{"Professores"}, "", []string{"Editor"}},
		{[]string{"direcao", "professores", "outros"}, "Viewer", []string{"Admin", "Editor"}},
		{[]string{"outros"}, "Viewer", []string{"Viewer"}},
		{nil, "", nil},
	}
	for _, tc := range cases {
		if got := m.Roles(tc.values, tc.fallback); !slices.Equal(got, tc.want) {
			t.Errorf("%v: %v, want %v", tc.values, got, tc.want)
		}
	}
	dn, err := ParseRoleMap("CN=Professores, OU=Grupos,DC=escola,DC=local=Editor;direcao=Admin", ";")
	if err != nil {
		t.Fatal(err)
	}
	if got := dn.Roles([]string{"cn=professores,ou=grupos,dc=escola,dc=local"}, ""); !slices.Equal(got, []string{"Editor"}) {
		t.Errorf("a DN written differently: %v", got)
	}
	for _, bad := range []string{"professores", "=Editor", "professores="} {
		if _, err := ParseRoleMap(bad, ","); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

func TestClaimShapes(t *testing.T) {
	c := claimSet{
		"groups":         "professores",
		"realm_access":   map[string]any{"roles": []any{"direcao", 7, "outros"}},
		"email_verified": "false",
	}
	if got := c.values("groups"); !slices.Equal(got, []string{"professores"}) {
		t.Errorf("a string claim: %v", got)
	}
	if got := c.values("realm_access.roles"); !slices.Equal(got, []string{"direcao", "outros"}) {
		t.Errorf("a nested claim: %v", got)
	}
	if _, ok := c.lookup("realm_access.missing"); ok {
		t.Error("a missing nested claim was found")
	}
	if !c.emailUnverified() || (claimSet{}).emailUnverified() || (claimSet{"email_verified": true}).emailUnverified() {
		t.Error("email_verified read wrong")
	}
}
