package authtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"maps"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/go-ldap/ldap/v3"

	"schooladmin/models/modelstest"
)

// DirectoryPerson is someone in the test directory: uid=UID under
// ou=pessoas, a member of the groups cn=GROUP under ou=grupos
// (groupOfNames, so their memberOf lists them) and of the PosixGroups
// there (posixGroup with memberUid, which memberOf does not list).
type DirectoryPerson struct {
	UID, Password, Mail string
	Groups              []string
	PosixGroups         []string
}

// Slapd is a private OpenLDAP server for one test: its own configuration,
// database and self-signed certificate in a temporary directory, plain
// LDAP (with StartTLS) and LDAPS on free loopback ports. The tree is
// dc=escola,dc=test with people under ou=pessoas and groups
// (groupOfNames, with the memberof overlay) under ou=grupos; BindDN may
// search it.
type Slapd struct {
	URL, TLSURL  string // ldap://127.0.0.1:PORT, ldaps://127.0.0.1:PORT
	Base         string
	People       string // ou=pessoas,BASE
	Groups       string // ou=grupos,BASE
	BindDN       string
	BindPassword string
	RootCAs      *x509.CertPool // trusts the server's certificate
	dir          string
}

const (
	slapdBase     = "dc=escola,dc=test"
	slapdRoot     = "cn=admin," + slapdBase
	slapdRootPass = "raiz-secreta"
)

// slapdConf is the server's configuration: the schemas people and groups
// need, one mdb database with the memberof overlay, and access rules that
// let nobody but the person read a password.
var slapdConf = template.Must(template.New("slapd.conf").Parse(`include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile {{.Dir}}/slapd.pid
argsfile {{.Dir}}/slapd.args
TLSCertificateFile {{.Dir}}/cert.pem
TLSCertificateKeyFile {{.Dir}}/key.pem
database mdb
maxsize 16777216
suffix "` + slapdBase + `"
rootdn "` + slapdRoot + `"
rootpw ` + slapdRootPass + `
directory {{.Dir}}/data
overlay memberof
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
`))

// StartSlapd starts a directory holding people; the test is skipped when
// slapd is not installed (or fails, under SCHOOLADMIN_REQUIRE_ALL=1). It
// is stopped and its files removed when the test ends.
func StartSlapd(t testing.TB, people ...DirectoryPerson) *Slapd {
	t.Helper()
	bin := "/usr/sbin/slapd"
	if _, err := os.Stat(bin); err != nil {
		modelstest.SkipUnlessRequired(t, "slapd is not installed (Debian package slapd; bash .ci/ldap-deps.sh installs it)")
	}
	dir := t.TempDir()
	s := &Slapd{Base: slapdBase, People: "ou=pessoas," + slapdBase, Groups: "ou=grupos," + slapdBase,
		BindDN: "cn=leitor," + slapdBase, BindPassword: "leitor-secreto", dir: dir}
	s.RootCAs = writeCertificate(t, dir)
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	var conf bytes.Buffer
	if err := slapdConf.Execute(&conf, struct{ Dir string }{dir}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "slapd.conf"), conf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	plain, secure := freePort(t), freePort(t)
	s.URL, s.TLSURL = "ldap://127.0.0.1:"+strconv.Itoa(plain), "ldaps://127.0.0.1:"+strconv.Itoa(secure)
	s.start(t, bin)
	s.load(t, people)
	return s
}

func (s *Slapd) start(t testing.TB, bin string) {
	t.Helper()
	logFile, err := os.Create(filepath.Join(s.dir, "slapd.log"))
	if err != nil {
		t.Fatal(err)
	}
	// -d keeps slapd in the foreground (so the test owns the process);
	// 256 logs connections and operations.
	cmd := exec.Command(bin, "-d", "256", "-f", filepath.Join(s.dir, "slapd.conf"), "-h", s.URL+"/ "+s.TLSURL+"/")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	modelstest.DieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start slapd: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); logFile.Close(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("--- end of the private slapd's log ---\n%s", s.logTail(20))
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := ldap.DialURL(s.URL)
		if err == nil {
			conn.Close()
			return
		}
		select {
		case <-exited:
			t.Fatalf("slapd exited while starting:\n%s", s.logTail(20))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("slapd did not accept connections within 30s: %v\n%s", err, s.logTail(20))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// load adds the tree as the root DN, groups last so that the memberof
// overlay records each person's groups.
func (s *Slapd) load(t testing.TB, people []DirectoryPerson) {
	t.Helper()
	conn, err := ldap.DialURL(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Bind(slapdRoot, slapdRootPass); err != nil {
		t.Fatalf("bind as the root DN: %v", err)
	}
	add := func(dn string, attrs map[string][]string) {
		req := ldap.NewAddRequest(dn, nil)
		for _, k := range slices.Sorted(maps.Keys(attrs)) {
			req.Attribute(k, attrs[k])
		}
		if err := conn.Add(req); err != nil {
			t.Fatalf("add %s: %v", dn, err)
		}
	}
	add(s.Base, map[string][]string{"objectClass": {"dcObject", "organization"}, "dc": {"escola"}, "o": {"Escola de Teste"}})
	add(s.People, map[string][]string{"objectClass": {"organizationalUnit"}, "ou": {"pessoas"}})
	add(s.Groups, map[string][]string{"objectClass": {"organizationalUnit"}, "ou": {"grupos"}})
	add(s.BindDN, map[string][]string{"objectClass": {"organizationalRole", "simpleSecurityObject"},
		"cn": {"leitor"}, "userPassword": {s.BindPassword}})
	members, uids := map[string][]string{}, map[string][]string{}
	for _, p := range people {
		dn := s.PersonDN(p.UID)
		attrs := map[string][]string{"objectClass": {"inetOrgPerson"}, "uid": {p.UID}, "cn": {p.UID}, "sn": {"Teste"},
			"userPassword": {p.Password}}
		if p.Mail != "" {
			attrs["mail"] = []string{p.Mail}
		}
		add(dn, attrs)
		for _, g := range p.Groups {
			members[g] = append(members[g], dn)
		}
		for _, g := range p.PosixGroups {
			uids[g] = append(uids[g], p.UID)
		}
	}
	for i, g := range slices.Sorted(maps.Keys(uids)) {
		add(s.GroupDN(g), map[string][]string{"objectClass": {"posixGroup"}, "cn": {g}, "gidNumber": {strconv.Itoa(5000 + i)}, "memberUid": uids[g]})
	}
	for _, g := range slices.Sorted(maps.Keys(members)) {
		add(s.GroupDN(g), map[string][]string{"objectClass": {"groupOfNames"}, "cn": {g}, "member": members[g]})
	}
}

// PersonDN is the DN of the person uid.
func (s *Slapd) PersonDN(uid string) string { return "uid=" + ldap.EscapeDN(uid) + "," + s.People }

// GroupDN is the DN of the group cn.
func (s *Slapd) GroupDN(cn string) string { return "cn=" + ldap.EscapeDN(cn) + "," + s.Groups }

func (s *Slapd) logTail(n int) string {
	b, err := os.ReadFile(filepath.Join(s.dir, "slapd.log"))
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// writeCertificate makes a self-signed certificate for 127.0.0.1 in dir
// (cert.pem, key.pem) and returns a pool that trusts it.
func writeCertificate(t testing.TB, dir string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	return pool
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
