package analytics_test

import (
	"testing"

	"github.com/perchdata/perch/datafiles"
)

// TestProjectIsFormatted: the shipped example is in the canonical style, so
// `perch fmt --check` on it lists nothing.
func TestProjectIsFormatted(t *testing.T) {
	p := loadProject(t)
	for _, rel := range p.Files {
		src := p.Sources[rel]
		out, err := datafiles.FormatFile(rel, []byte(src))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		if out != src {
			t.Errorf("%s is not formatted; perch fmt would write:\n%s", rel, out)
		}
	}
}
