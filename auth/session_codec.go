package auth

import (
	"encoding/json"
	"fmt"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// sessionValues serializes the cookie session's values as JSON instead of
// gob, securecookie's default: decoding gob builds a decoder and compiles
// the types on every request, which was most of the session's cost on
// each page (bench/RESULTS.md). The session only ever holds strings (the
// server-side session secret and the CSRF token) and the flash list.
type sessionValues struct{}

var _ securecookie.Serializer = sessionValues{}

// Serialize encodes a session's values.
func (sessionValues) Serialize(src any) ([]byte, error) {
	values, ok := src.(map[any]any)
	if !ok {
		return nil, fmt.Errorf("session values: unexpected %T", src)
	}
	out := make(map[string]any, len(values))
	for k, v := range values {
		key, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("session values: key %v is not a string", k)
		}
		switch v := v.(type) {
		case string:
			out[key] = v
		case []any: // flashes
			list := make([]string, len(v))
			for i, item := range v {
				if list[i], ok = item.(string); !ok {
					return nil, fmt.Errorf("session values: %s holds a %T", key, item)
				}
			}
			out[key] = list
		default:
			return nil, fmt.Errorf("session values: %s holds a %T", key, v)
		}
	}
	return json.Marshal(out)
}

// Deserialize decodes what Serialize wrote into a session's values.
func (sessionValues) Deserialize(src []byte, dst any) error {
	values, ok := dst.(*map[any]any)
	if !ok {
		return fmt.Errorf("session values: cannot decode into %T", dst)
	}
	var in map[string]any
	if err := json.Unmarshal(src, &in); err != nil {
		return err
	}
	if *values == nil {
		*values = make(map[any]any, len(in))
	}
	for k, v := range in {
		switch v := v.(type) {
		case string:
			(*values)[k] = v
		case []any:
			for _, item := range v {
				if _, ok := item.(string); !ok {
					return fmt.Errorf("session values: %s holds a %T", k, item)
				}
			}
			(*values)[k] = v
		default:
			return fmt.Errorf("session values: %s holds a %T", k, v)
		}
	}
	return nil
}

// useSessionValues makes every codec of store use sessionValues.
func useSessionValues(store *sessions.CookieStore) {
	for _, codec := range store.Codecs {
		if sc, ok := codec.(*securecookie.SecureCookie); ok {
			sc.SetSerializer(sessionValues{})
		}
	}
}
