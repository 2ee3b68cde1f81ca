package openapi_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"schooladmin/web/openapi"
)

// TestJSONIsTheYAML checks the JSON served is the YAML written: the same
// values (numbers stay numbers, aliases are written out), keys in the
// written order.
func TestJSONIsTheYAML(t *testing.T) {
	b, err := openapi.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON, fromYAML any
	if err := json.Unmarshal(b, &fromJSON); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := yaml.Unmarshal(openapi.YAML(), &fromYAML); err != nil {
		t.Fatal(err)
	}
	// compare as JSON values: YAML's ints become JSON's float64s
	yb, err := json.Marshal(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	var yamlAsJSON any
	_ = json.Unmarshal(yb, &yamlAsJSON)
	if !reflect.DeepEqual(fromJSON, yamlAsJSON) {
		t.Fatal("the JSON document differs from openapi.yaml")
	}
	text := string(b)
	if !strings.HasPrefix(text, "{\n  \"openapi\": \"3.1.0\",\n  \"info\"") ||
		strings.Index(text, `"paths"`) > strings.Index(text, `"components"`) {
		t.Fatalf("keys are not in the written order: %.80s", text)
	}
}
