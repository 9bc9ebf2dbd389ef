package apply

import "testing"

func TestBlockRangeHeldBy(t *testing.T) {
	have := []blockRange{
		{"202311", 0, 5, 60, "202311_0_5_1"},
		{"202311", 7, 7, 10, "202311_7_7_0"},
		{"202311", 8, 8, 10, "202311_8_8_0"},
		{"202312", 1, 1, 10, "202312_1_1_0"},
	}
	cases := []struct {
		part string
		want bool
	}{
		{"202311 0 5 60 202311_0_5_1", true},  // the same part
		{"202311 2 2 10 202311_2_2_0", true},  // merged into 0_5 on the connected host
		{"202311 6 6 10 202311_6_6_0", false}, // not fetched yet
		{"202311 7 8 20 202311_7_8_1", true},  // merged on the other replica, both parts here
		{"202311 6 8 30 202311_6_8_1", false}, // merged there, 6_6 not here
		{"202312 0 0 10 202312_0_0_0", false},
		{"201001 2 2 10 201001_2_2_0", false}, // same blocks, other partition
	}
	for _, c := range cases {
		r, ok := parseBlockRange(c.part)
		if !ok {
			t.Fatalf("parse %q", c.part)
		}
		if got := r.heldBy(have); got != c.want {
			t.Errorf("%s held = %v, want %v", c.part, got, c.want)
		}
	}
	if _, ok := parseBlockRange("garbage"); ok {
		t.Error("garbage parsed")
	}
}
