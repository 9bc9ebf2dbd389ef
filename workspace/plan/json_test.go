package plan

import (
	"encoding/json"
	"testing"
)

// TestJSONAlwaysListsDestructiveAndErrors: the plan document carries every
// field the README lists, empty or false ones too.
func TestJSONAlwaysListsDestructiveAndErrors(t *testing.T) {
	for _, p := range []*Plan{
		{FormatVersion: FormatVersion, Database: "db", Changes: []*Change{{ID: "create:a", Resource: "a", Action: Create, Risk: Safe,
			Steps: []Step{{ID: "create", Kind: "create", Title: "create a"}}}}},
		{FormatVersion: FormatVersion, Database: "db"},
	} {
		b, err := p.MarshalStable()
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Errors  *[]string                     `json:"errors"`
			Changes *[]map[string]json.RawMessage `json:"changes"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Errors == nil || doc.Changes == nil {
			t.Errorf("errors or changes missing or null:\n%s", b)
			continue
		}
		for _, ch := range *doc.Changes {
			if string(ch["destructive"]) != "false" {
				t.Errorf("destructive = %q, want false:\n%s", ch["destructive"], b)
			}
			for _, f := range []string{"id", "resource", "kind", "action", "method", "parts", "reasons", "risk", "est_rows", "est_bytes", "downstream", "depends_on", "notes", "steps"} {
				v, ok := ch[f]
				if !ok || string(v) == "null" {
					t.Errorf("change field %s missing or null:\n%s", f, b)
				}
			}
			var steps []map[string]json.RawMessage
			if err := json.Unmarshal(ch["steps"], &steps); err != nil {
				t.Fatal(err)
			}
			for _, st := range steps {
				for _, f := range []string{"id", "kind", "title", "sql", "undo", "check"} {
					if v, ok := st[f]; !ok || string(v) == "null" {
						t.Errorf("step field %s missing or null:\n%s", f, b)
					}
				}
			}
		}
	}
}
