package datafiles

import "testing"

func TestPublishedAndDeployedNames(t *testing.T) {
	plain := &Pipe{Name: "p", Nodes: []*Node{{Name: "a"}, {Name: "b"}}}
	endpoint := &Pipe{Name: "e", Version: 2, Nodes: []*Node{{Name: "a", Type: NodeEndpoint}, {Name: "b"}}}
	mat := &Pipe{Name: "m", Nodes: []*Node{{Name: "a", Type: NodeMaterialized}}}
	tests := []struct {
		gen  Generation
		pipe *Pipe
		want string
	}{
		{GenerationClassic, plain, "b"},
		{GenerationForward, plain, ""},
		{GenerationClassic, endpoint, "a"},
		{GenerationForward, endpoint, "a"},
		{GenerationClassic, mat, ""},
	}
	for _, tt := range tests {
		p := &Project{Generation: tt.gen}
		got := ""
		if n := p.Published(tt.pipe); n != nil {
			got = n.Name
		}
		if got != tt.want {
			t.Errorf("%s %s: published %q, want %q", tt.gen, tt.pipe.Name, got, tt.want)
		}
	}
	if endpoint.DeployedName() != "e__v2" || plain.DeployedName() != "p" {
		t.Errorf("pipe names %s %s", endpoint.DeployedName(), plain.DeployedName())
	}
	if d := (&Datasource{Name: "d", Version: 1}); d.DeployedName() != "d__v1" {
		t.Errorf("datasource name %s", d.DeployedName())
	}
}
