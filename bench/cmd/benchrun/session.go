package main

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
)

// browserAccept is what a browser sends, so the app answers with HTML.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

var csrfInput = regexp.MustCompile(`name="_csrf"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="_csrf"`)

// loginForm opens /login as a new browser: the cookie header of its
// (not yet logged-in) session and the CSRF token of the form.
func loginForm(base string) (client *http.Client, cookie, token string, err error) {
	jar, _ := cookiejar.New(nil)
	client = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodGet, base+"/login", nil)
	req.Header.Set("Accept", browserAccept)
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := csrfInput.FindSubmatch(body)
	if m == nil {
		return nil, "", "", fmt.Errorf("GET /login: status %d, no _csrf input", resp.StatusCode)
	}
	token = html.UnescapeString(string(m[1]) + string(m[2]))
	return client, cookieHeader(jar, base), token, nil
}

func cookieHeader(jar http.CookieJar, base string) string {
	u, _ := url.Parse(base)
	var parts []string
	for _, c := range jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

// loginBody is the form POST /login receives.
func loginBody(token, username, password string) string {
	return url.Values{"_csrf": {token}, "username": {username}, "password": {password}, "next": {"/alunos"}}.Encode()
}

// loggedInCookie logs in through the form and returns the Cookie header
// of the logged-in session.
func loggedInCookie(base, username, password string) (string, error) {
	client, _, token, err := loginForm(base)
	if err != nil {
		return "", err
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(loginBody(token, username, password)))
	req.Header.Set("Accept", browserAccept)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("POST /login: status %d, want 303", resp.StatusCode)
	}
	return cookieHeader(client.Jar, base), nil
}
