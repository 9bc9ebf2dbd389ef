package theme

import "testing"

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
