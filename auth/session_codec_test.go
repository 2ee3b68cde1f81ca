package auth

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

func TestSessionValuesRoundTrip(t *testing.T) {
	store := NewSessionStore([]byte("a secret key for the test"), SessionOptions{MaxAge: 3600})
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	s := sessions.NewSession(store, SessionName)
	s.Values[sidKey] = "secret-of-the-session"
	s.Values[csrfKey] = `tok"en<&>`
	s.AddFlash("ok\x00Aluno salvo: João")
	s.AddFlash("error\x00second")
	if err := store.Save(r, w, s); err != nil {
		t.Fatal(err)
	}
	cookie := w.Result().Cookies()[0]

	r = httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(cookie)
	got, err := store.New(r, SessionName)
	if err != nil {
		t.Fatal(err)
	}
	want := map[any]any{sidKey: "secret-of-the-session", csrfKey: `tok"en<&>`,
		"_flash": []any{"ok\x00Aluno salvo: João", "error\x00second"}}
	if !reflect.DeepEqual(got.Values, want) {
		t.Errorf("values = %#v, want %#v", got.Values, want)
	}
}

func TestSessionValuesRefuseOtherTypes(t *testing.T) {
	for name, values := range map[string]map[any]any{
		"int value":  {"n": 1},
		"int key":    {1: "x"},
		"int flash":  {"_flash": []any{1}},
		"struct":     {"s": struct{}{}},
		"nil value":  {"x": nil},
		"bool value": {"b": true},
	} {
		if _, err := (sessionValues{}).Serialize(values); err == nil {
			t.Errorf("%s: serialized %#v, want an error", name, values)
		}
	}
	for _, raw := range []string{`{"n":1}`, `{"f":[1]}`, `{"o":{}}`, `[]`, `not json`} {
		dst := map[any]any{}
		if err := (sessionValues{}).Deserialize([]byte(raw), &dst); err == nil {
			t.Errorf("deserialized %s into %#v, want an error", raw, dst)
		}
	}
}

// A cookie written by an older version (gob) does not decode: the
// visitor starts a fresh session instead of seeing an error.
func TestSessionValuesOldGobCookieStartsFresh(t *testing.T) {
	key := []byte("a secret key for the test")
	old := sessions.NewCookieStore(deriveKey(key, "session-sign"), deriveKey(key, "session-encrypt"))
	encoded, err := securecookie.EncodeMulti(SessionName, map[any]any{sidKey: "x"}, old.Codecs...)
	if err != nil {
		t.Fatal(err)
	}
	store := NewSessionStore(key, SessionOptions{MaxAge: 3600})
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: SessionName, Value: encoded})
	s, err := store.New(r, SessionName)
	if err == nil || s == nil || len(s.Values) != 0 || !s.IsNew {
		t.Errorf("old cookie: session %#v, err %v; want a new empty session and an error", s, err)
	}
}
