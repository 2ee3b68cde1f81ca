package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// checkSameAnswers compares the app's and the ceiling's answers to the
// list requests: the same total and the same JSON, or the comparison
// would not be fair. Differences become notes.
func (b *bench) checkSameAnswers() {
	for _, path := range []string{"/alunos", "/alunos?q=oliveira", "/alunos?turma=5B", "/alunos?sort=nome", "/alunos/7"} {
		appTotal, appBody, err1 := fetch("http://"+b.app.addr+path, b.token)
		ceilTotal, ceilBody, err2 := fetch("http://"+b.ceiling.addr+path, "")
		switch {
		case err1 != nil || err2 != nil:
			b.note(fmt.Sprintf("Could not compare %s: app %v, ceiling %v.", path, err1, err2))
		case appTotal != ceilTotal:
			b.note(fmt.Sprintf("%s: X-Total-Count %q from the app, %q from the ceiling.", path, appTotal, ceilTotal))
		case !bytes.Equal(appBody, ceilBody):
			b.note(fmt.Sprintf("%s: the app's JSON (%d bytes) differs from the ceiling's (%d bytes).", path, len(appBody), len(ceilBody)))
		}
	}
}

func fetch(url, token string) (total string, body []byte, err error) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp.Header.Get("X-Total-Count"), body, err
}
