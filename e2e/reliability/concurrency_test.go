package reliability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestConcurrentEditsOfOneVersion races an API PATCH against the HTML
// edit form, both based on version 1 of the same student, a number of
// times on MariaDB: each time exactly one wins, the other gets 409 (API)
// or the form showing the other change (HTML), and the winner's change is
// what is stored, at version 2.
func TestConcurrentEditsOfOneVersion(t *testing.T) {
	_, app, token := appOnMariaDB(t, nil)
	b := newBrowser(t)
	if status := b.login(app.url, "admin", adminPassword); status != http.StatusSeeOther {
		t.Fatalf("login: %d", status)
	}
	wins := map[string]int{}
	for round := range 12 {
		a := createAluno(t, app.url, token, "Edição Concorrente", "1A", fmt.Sprintf("CONC-%02d", round))
		apiTurma, formTurma := fmt.Sprintf("API-%02d", round), fmt.Sprintf("FORM-%02d", round)
		csrf := b.csrf(fmt.Sprintf("%s/alunos/%d/edit", app.url, a.ID))

		var apiStatus, formStatus int
		var formBody []byte
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Go(func() {
			<-start
			apiStatus, _, _, _ = call(apiClient, http.MethodPatch, fmt.Sprintf("%s/alunos/%d", app.url, a.ID),
				fmt.Sprintf(`{"turma":%q,"version":1}`, apiTurma), "Authorization", "Bearer "+token, "Content-Type", "application/json")
		})
		wg.Go(func() {
			<-start
			form := url.Values{"_csrf": {csrf}, "nome": {a.Nome}, "turma": {formTurma}, "ra": {a.RA}, "version": {"1"}}
			formStatus, _, formBody, _ = call(b.client, http.MethodPost, fmt.Sprintf("%s/alunos/%d", app.url, a.ID),
				form.Encode(), "Accept", browserAccept, "Content-Type", "application/x-www-form-urlencoded")
		})
		close(start)
		wg.Wait()

		var winner string
		switch {
		case apiStatus == http.StatusOK && formStatus == http.StatusConflict:
			winner = apiTurma
			assertConflictForm(t, round, formBody, apiTurma)
		case apiStatus == http.StatusConflict && formStatus == http.StatusSeeOther:
			winner = formTurma
		default:
			t.Fatalf("round %d: API %d, form %d; want exactly one winner and the other 409", round, apiStatus, formStatus)
		}
		wins[strings.SplitN(winner, "-", 2)[0]]++

		status, body, err := get(fmt.Sprintf("%s/alunos/%d", app.url, a.ID), token, "", nil)
		var stored student
		if err != nil || status != http.StatusOK || json.Unmarshal(body, &stored) != nil {
			t.Fatalf("round %d: reading back: %d %v", round, status, err)
		}
		if stored.Turma != winner || stored.Version != 2 {
			t.Fatalf("round %d: stored turma %q version %d, want the winner's %q at version 2", round, stored.Turma, stored.Version, winner)
		}
	}
	t.Logf("wins: %v", wins)
}

// assertConflictForm checks the HTML loser's answer: the form again, with
// the warning and the winner's values.
func assertConflictForm(t *testing.T, round int, body []byte, winnerTurma string) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Find(`[data-testid="conflict"]`).Length() != 1 {
		t.Errorf("round %d: the losing form has no conflict warning: %.300s", round, doc.Find("main").Text())
	}
	if got := strings.TrimSpace(doc.Find(`[data-testid="current-turma"]`).Text()); got != winnerTurma {
		t.Errorf("round %d: the conflict warning shows turma %q, want the winner's %q", round, got, winnerTurma)
	}
	if v, _ := doc.Find(`input[name="version"]`).Attr("value"); v != "2" {
		t.Errorf("round %d: the re-shown form carries version %q, want 2 (to save over the new version knowingly)", round, v)
	}
}
