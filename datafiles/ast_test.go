package datafiles

import (
	"reflect"
	"testing"
)

func TestParseDirectives(t *testing.T) {
	src := "# header\nTOKEN \"t\" READ\nNODE n\nSQL >\n    SELECT 1\n\n    FROM x\ntype endpoint\n"
	got, diags := ParseDirectives("p.pipe", []byte(src))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	want := []Directive{
		{Name: "TOKEN", Pos: Pos{"p.pipe", 2, 1}, Value: `"t" READ`},
		{Name: "NODE", Pos: Pos{"p.pipe", 3, 1}, Value: "n"},
		{Name: "SQL", Pos: Pos{"p.pipe", 4, 1}, Value: "SELECT 1\nFROM x", Block: true, Lines: []int{5, 7}},
		{Name: "TYPE", Pos: Pos{"p.pipe", 8, 1}, Value: "endpoint"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("directives = %+v\nwant %+v", got, want)
	}
}
