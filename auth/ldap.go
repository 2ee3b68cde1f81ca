package auth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"schooladmin/models"
)

// DirectoryConfig is how to reach an LDAP directory (Active Directory,
// OpenLDAP) and read people and their groups from it.
type DirectoryConfig struct {
	// URL is ldaps://host[:636] (TLS from the start),
	// ldap://host[:389]?starttls=true (StartTLS before anything is sent),
	// or ldap://host (no encryption: a directory on the same machine only).
	URL          string
	BindDN       string // the service account that searches; "" binds anonymously
	BindPassword string
	UserBase     string // where people are searched, e.g. ou=pessoas,dc=escola,dc=local
	// UserFilter finds the person by what they type, %s standing for it
	// (escaped): (uid=%s), or (sAMAccountName=%s) on Active Directory.
	UserFilter string
	// GroupBase, when set, is searched for groups that list the person as
	// member, uniqueMember or memberUid, besides their memberOf values
	// (Active Directory, OpenLDAP's memberof overlay).
	GroupBase   string
	RoleMap     RoleMap // group DN or cn → role
	DefaultRole string  // role of a person in no mapped group; "" for none
	// RootCAs verifies the directory's certificate; nil for the system's.
	RootCAs *x509.CertPool
	Timeout time.Duration // each network step; 0 for 10 s
}

// Directory checks passwords against an LDAP directory.
type Directory struct {
	cfg      DirectoryConfig
	dialURL  string // URL without the starttls parameter
	startTLS bool
	host     string
}

// ErrDirectory wraps a failure to talk to the directory (down, refused
// the service account, bad TLS): not the person's fault.
var ErrDirectory = errors.New("directory unavailable")

// NewDirectory checks cfg's URL and returns a directory client.
func NewDirectory(cfg DirectoryConfig) (*Directory, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Hostname() == "" {
		return nil, fmt.Errorf("%q is not an ldap:// or ldaps:// URL with a host", cfg.URL)
	}
	q := u.Query()
	startTLS := strings.EqualFold(q.Get("starttls"), "true") || q.Get("starttls") == "1"
	if startTLS && u.Scheme == "ldaps" {
		return nil, errors.New("starttls is for ldap:// URLs; ldaps:// is already encrypted")
	}
	if !strings.Contains(cfg.UserFilter, "%s") {
		return nil, fmt.Errorf("the user filter %q has no %%s for the username", cfg.UserFilter)
	}
	if _, err := ldap.CompileFilter(strings.ReplaceAll(cfg.UserFilter, "%s", "x")); err != nil {
		return nil, fmt.Errorf("the user filter %q is not an LDAP filter: %v", cfg.UserFilter, err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	dial := url.URL{Scheme: u.Scheme, Host: u.Host}
	return &Directory{cfg: cfg, dialURL: dial.String(), startTLS: startTLS, host: u.Hostname()}, nil
}

// Encrypted reports whether passwords travel encrypted to the directory.
func (d *Directory) Encrypted() bool { return d.startTLS || strings.HasPrefix(d.dialURL, "ldaps:") }

// Authenticate checks username and password: it finds the person's entry
// as the service account (the username escaped, so "*)(uid=*" matches
// nobody), binds as them with password, and maps their groups to roles.
// A wrong password, an unknown or ambiguous username give
// ErrBadCredentials; no role a *RefusedError; trouble with the directory
// an error wrapping ErrDirectory.
func (d *Directory) Authenticate(ctx context.Context, username, password string) (models.ExternalUser, error) {
	username = models.CleanUsername(username)
	if username == "" || password == "" {
		// An empty password is an unauthenticated bind, which succeeds.
		return models.ExternalUser{}, ErrBadCredentials
	}
	conn, err := d.connect(ctx)
	if err != nil {
		return models.ExternalUser{}, err
	}
	defer conn.Close()
	entry, err := d.findUser(conn, username)
	if err != nil {
		return models.ExternalUser{}, err
	}
	if err := conn.Bind(entry.DN, password); ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
		return models.ExternalUser{}, ErrBadCredentials
	} else if err != nil {
		return models.ExternalUser{}, fmt.Errorf("%w: bind as %s: %w", ErrDirectory, entry.DN, err)
	}
	groups, err := d.groups(conn, entry, username)
	if err != nil {
		return models.ExternalUser{}, err
	}
	for _, g := range groups {
		if cn := groupCN(g); cn != "" {
			groups = append(groups, cn)
		}
	}
	return models.ExternalUser{
		Source: models.SourceLDAP, Subject: entry.DN, Username: username,
		Email: entry.GetAttributeValue("mail"), Roles: d.cfg.RoleMap.Roles(groups, d.cfg.DefaultRole),
	}, nil
}

// connect dials, starts TLS when asked and binds as the service account.
func (d *Directory) connect(ctx context.Context) (*ldap.Conn, error) {
	tlsConfig := &tls.Config{ServerName: d.host, RootCAs: d.cfg.RootCAs, MinVersion: tls.VersionTLS12}
	dialer := &net.Dialer{Timeout: d.cfg.Timeout}
	if deadline, ok := ctx.Deadline(); ok {
		dialer.Deadline = deadline
	}
	conn, err := ldap.DialURL(d.dialURL, ldap.DialWithDialer(dialer), ldap.DialWithTLSConfig(tlsConfig))
	if err != nil {
		return nil, fmt.Errorf("%w: connect to %s: %w", ErrDirectory, d.dialURL, err)
	}
	conn.SetTimeout(d.cfg.Timeout)
	if d.startTLS {
		if err := conn.StartTLS(tlsConfig); err != nil {
			conn.Close()
			return nil, fmt.Errorf("%w: StartTLS with %s: %w", ErrDirectory, d.dialURL, err)
		}
	}
	if err := d.bindService(conn); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

func (d *Directory) bindService(conn *ldap.Conn) error {
	var err error
	if d.cfg.BindDN == "" {
		err = conn.UnauthenticatedBind("")
	} else {
		err = conn.Bind(d.cfg.BindDN, d.cfg.BindPassword)
	}
	if err != nil {
		return fmt.Errorf("%w: bind as the service account %s: %w", ErrDirectory, d.cfg.BindDN, err)
	}
	return nil
}

// findUser returns the one entry the filter finds for username.
func (d *Directory) findUser(conn *ldap.Conn, username string) (*ldap.Entry, error) {
	filter := strings.ReplaceAll(d.cfg.UserFilter, "%s", ldap.EscapeFilter(username))
	req := ldap.NewSearchRequest(d.cfg.UserBase, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 2,
		int(d.cfg.Timeout.Seconds()), false, filter, []string{"mail", "memberOf"}, nil)
	res, err := conn.Search(req)
	switch {
	case ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded):
		return nil, ErrBadCredentials // two people answer to the name: neither is let in
	case ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject):
		return nil, fmt.Errorf("%w: LDAP_USER_BASE %s does not exist", ErrDirectory, d.cfg.UserBase)
	case err != nil:
		return nil, fmt.Errorf("%w: search %s: %w", ErrDirectory, filter, err)
	case len(res.Entries) != 1:
		return nil, ErrBadCredentials
	}
	return res.Entries[0], nil
}

// groups lists the DNs of the person's groups: their memberOf values and,
// with a group base, the groups there that name them as a member. The
// search runs as the service account again (the person may not read
// groups).
func (d *Directory) groups(conn *ldap.Conn, entry *ldap.Entry, username string) ([]string, error) {
	groups := entry.GetAttributeValues("memberOf")
	if d.cfg.GroupBase == "" {
		return groups, nil
	}
	if err := d.bindService(conn); err != nil {
		return nil, err
	}
	dn, uid := ldap.EscapeFilter(entry.DN), ldap.EscapeFilter(username)
	filter := "(|(member=" + dn + ")(uniqueMember=" + dn + ")(memberUid=" + uid + "))"
	req := ldap.NewSearchRequest(d.cfg.GroupBase, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 1000,
		int(d.cfg.Timeout.Seconds()), false, filter, []string{"cn"}, nil)
	res, err := conn.Search(req)
	if err != nil {
		return nil, fmt.Errorf("%w: search groups under %s: %w", ErrDirectory, d.cfg.GroupBase, err)
	}
	for _, g := range res.Entries {
		groups = append(groups, g.DN)
	}
	return groups, nil
}

// groupCN is the cn of a group DN ("" when it has none first), so that
// a role map may name a group by its cn alone.
func groupCN(dn string) string {
	first, _, _ := strings.Cut(dn, ",")
	k, v, ok := strings.Cut(first, "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(k), "cn") {
		return ""
	}
	return strings.TrimSpace(v)
}
