package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/theme"
)

// clusterBackend is a fake backend whose target is a cluster.
type clusterBackend struct {
	*fakeBackend
	up, hosts int
	issue     bool
}

func (b *clusterBackend) Remote(ctx context.Context, l *Local) (*Remote, error) {
	r, err := b.fakeBackend.Remote(ctx, l)
	if err != nil {
		return nil, err
	}
	r.Cluster, r.HostsUp, r.Hosts, r.ClusterIssue = "perch_repl", b.up, b.hosts, b.issue
	return r, nil
}

// The header names a cluster target's cluster, how many hosts are up, and
// marks an unhealthy cluster; a single server shows no cluster.
func TestHeaderShowsCluster(t *testing.T) {
	tests := []struct {
		name    string
		backend Backend
		want    string
		not     string
	}{
		{"healthy", &clusterBackend{fakeBackend: &fakeBackend{}, up: 2, hosts: 2}, "cluster perch_repl 2/2 up", "✗"},
		{"host down", &clusterBackend{fakeBackend: &fakeBackend{}, up: 1, hosts: 2, issue: true}, "cluster perch_repl 1/2 up ✗", ""},
		{"single server", &fakeBackend{}, "", "cluster"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(context.Background(), tt.backend, Options{Theme: theme.Dark(), Tick: neverTick, Now: func() time.Time { return fixedNow }, Target: "prod"})
			m.update(tea.WindowSizeMsg{Width: 140, Height: 24})
			drain(t, m, m.Init())
			h := m.renderHeader(140)
			if tt.want != "" && !strings.Contains(h, tt.want) {
				t.Errorf("header %q lacks %q", h, tt.want)
			}
			if tt.not != "" && strings.Contains(h, tt.not) {
				t.Errorf("header %q has %q", h, tt.not)
			}
		})
	}
}
