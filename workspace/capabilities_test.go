package workspace

import "testing"

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in      string
		want    [3]int
		wantErr bool
	}{
		{"18.16.1", [3]int{18, 16, 1}, false},
		{"24.8.4.13", [3]int{24, 8, 4}, false},
		{"25.3.1.1-lts", [3]int{25, 3, 1}, false},
		{"23.12", [3]int{23, 12, 0}, false},
		{"garbage", [3]int{}, true},
		{"1.x.2", [3]int{}, true},
	}
	for _, tt := range tests {
		v, err := ParseVersion(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseVersion(%q) err = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && [3]int{v.Major, v.Minor, v.Patch} != tt.want {
			t.Errorf("ParseVersion(%q) = %v, want %v", tt.in, v, tt.want)
		}
	}
}

func TestCapabilitiesFor(t *testing.T) {
	old := CapabilitiesFor(Version{Major: 18, Minor: 16, Patch: 1})
	if old.ExchangeTables || old.ModifyQuery || old.IfNotExistsColumns || old.StringSettings || old.CTE || old.ModifyTTL {
		t.Errorf("18.16 must have none of the modern capabilities: %+v", old)
	}
	modern := CapabilitiesFor(Version{Major: 24, Minor: 8})
	if !modern.ExchangeTables || !modern.ModifyQuery || !modern.IfNotExistsColumns || !modern.LogComment {
		t.Errorf("24.8 must have the modern capabilities: %+v", modern)
	}
	edge := CapabilitiesFor(Version{Major: 23, Minor: 11})
	if edge.ModifyQuery || !edge.ExchangeTables {
		t.Errorf("23.11: MODIFY QUERY is not GA yet, EXCHANGE is: %+v", edge)
	}
}

func TestCapabilitiesIntrospectionFlags(t *testing.T) {
	tests := []struct {
		v                                      Version
		codecs, ttl, position, values, totRows bool
	}{
		{Version{Major: 18, Minor: 16, Patch: 1}, false, false, false, false, false},
		{Version{Major: 19, Minor: 6}, true, true, false, true, false},
		{Version{Major: 24, Minor: 8}, true, true, true, true, true},
	}
	for _, tt := range tests {
		c := CapabilitiesFor(tt.v)
		got := [5]bool{c.ColumnCodecs, c.TableTTL, c.ColumnPosition, c.InsertValues, c.TotalRows}
		if want := [5]bool{tt.codecs, tt.ttl, tt.position, tt.values, tt.totRows}; got != want {
			t.Errorf("%s: codecs/ttl/position/values/total_rows = %v, want %v", tt.v, got, want)
		}
	}
}
