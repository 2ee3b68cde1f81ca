package models_test

import (
	"path/filepath"
	"testing"

	"schooladmin/models"
)

func TestDescribeDatabaseURLNamesTheDatabaseWithoutPassword(t *testing.T) {
	abs, _ := filepath.Abs("schooladmin.db")
	cases := map[string]string{
		"sqlite:schooladmin.db":                          "sqlite:" + abs,
		"sqlite:///var/lib/sa/app.db?_txlock=deferred":   "sqlite:/var/lib/sa/app.db",
		"mysql://app:s3cret@db.escola:3307/escola?tls=1": "mysql://app@db.escola:3307/escola",
		"mariadb://app:s3cret@db/escola":                 "mysql://app@db:3306/escola",
		"mysql://app:s3cret@/escola?socket=/run/m.sock":  "mysql://app@unix(/run/m.sock)/escola",
	}
	for raw, want := range cases {
		if got := models.DescribeDatabaseURL(raw); got != want {
			t.Errorf("%s: %q, want %q", raw, got, want)
		}
	}
}
