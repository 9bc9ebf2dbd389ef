package theme

import (
	"math"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/lucasb-eyer/go-colorful"
)

func TestByName(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"", "dark", false},
		{"dark", "dark", false},
		{"light", "light", false},
		{"solarized", "", true},
	}
	for _, tc := range tests {
		th, err := ByName(tc.in)
		if (err != nil) != tc.err {
			t.Fatalf("ByName(%q) error %v", tc.in, err)
		}
		if err == nil && th.Name != tc.want {
			t.Errorf("ByName(%q) = %s, want %s", tc.in, th.Name, tc.want)
		}
	}
}

func TestThemesDiffer(t *testing.T) {
	d, l := Dark(), Light()
	if d.Keyword.Render("SELECT") == l.Keyword.Render("SELECT") {
		t.Error("dark and light keywords render the same")
	}
	if d.Palette.Fg == d.Palette.SelBg {
		t.Error("dark selection background equals the text colour")
	}
}

// TestPathColoursAreApart: the lineage's upstream and downstream colours
// stay distinct hues when the terminal has 256 colours (117 and 111 were
// both light blue).
func TestPathColoursAreApart(t *testing.T) {
	for _, th := range []*Theme{Dark(), Light()} {
		up := colorprofile.ANSI256.Convert(th.Palette.Upstream)
		down := colorprofile.ANSI256.Convert(th.Palette.Downstream)
		hu, _ := colorful.MakeColor(up)
		hd, _ := colorful.MakeColor(down)
		h1, _, _ := hu.Hsl()
		h2, _, _ := hd.Hsl()
		d := math.Abs(h1 - h2)
		if d > 180 {
			d = 360 - d
		}
		if up == down || d < 60 {
			t.Errorf("%s: upstream %v and downstream %v are %0.f° apart in 256 colours", th.Name, up, down, d)
		}
	}
}
