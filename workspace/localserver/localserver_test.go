package localserver

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFindBinary(t *testing.T) {
	tests := []struct {
		name     string
		onPath   map[string]string
		wantPath string
		wantArgs string
	}{
		{"server binary", map[string]string{"clickhouse-server": "/opt/ch/clickhouse-server", "clickhouse": "/opt/ch/clickhouse"}, "/opt/ch/clickhouse-server", ""},
		{"single binary", map[string]string{"clickhouse": "/opt/ch/clickhouse"}, "/opt/ch/clickhouse", "server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := FindBinary(func(n string) (string, error) {
				if p, ok := tt.onPath[n]; ok {
					return p, nil
				}
				return "", errors.New("not found")
			})
			if err != nil {
				t.Fatal(err)
			}
			if b.Path != tt.wantPath || strings.Join(b.Args, " ") != tt.wantArgs {
				t.Fatalf("got %q %v, want %q %q", b.Path, b.Args, tt.wantPath, tt.wantArgs)
			}
		})
	}
}

func TestNoBinarySaysHowToInstall(t *testing.T) {
	_, err := findBinary(func(string) (string, error) { return "", errors.New("not found") }, nil)
	if !errors.Is(err, ErrNoBinary) {
		t.Fatalf("err = %v, want ErrNoBinary", err)
	}
	for _, want := range []string{"clickhouse-server", "apt-get install -y clickhouse-server clickhouse-client", "brew install", "macOS"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%v", want, err)
		}
	}
}

func TestWriteConfig(t *testing.T) {
	dir := t.TempDir()
	l := Layout{Dir: dir}
	if err := WriteConfig(l, Ports{TCP: 19001, HTTP: 18001}); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(l.ConfigPath())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<tcp_port>19001</tcp_port>", "<http_port>18001</http_port>",
		"<listen_host>127.0.0.1</listen_host>",
		"<path>" + filepath.Join(dir, "data") + "/</path>",
		"<users_config>" + filepath.Join(dir, "users.xml") + "</users_config>",
	} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config.xml lacks %q", want)
		}
	}
	users, _ := os.ReadFile(l.UsersPath())
	if !strings.Contains(string(users), "<ip>127.0.0.1</ip>") || strings.Contains(string(users), "::/0") {
		t.Errorf("users.xml must allow loopback only:\n%s", users)
	}
	for _, d := range []string{"data", "tmp", "user_files", "format_schemas", "log"} {
		if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || !fi.IsDir() {
			t.Errorf("folder %s not created", d)
		}
	}
}

func TestFreePortsDiffer(t *testing.T) {
	p, err := FreePorts()
	if err != nil {
		t.Fatal(err)
	}
	if p.TCP == 0 || p.HTTP == 0 || p.TCP == p.HTTP {
		t.Fatalf("ports %+v", p)
	}
}

// TestLaunchAndCleanStop runs a real server, queries it and stops it with SIGTERM.
func TestLaunchAndCleanStop(t *testing.T) {
	bin, err := FindBinary(nil)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skipf("*** SKIPPED: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p, err := Launch(ctx, LaunchOptions{Dir: t.TempDir(), Binary: bin})
	if err != nil {
		t.Fatal(err)
	}
	v, err := Query(ctx, p.Ports.HTTP, "SELECT version()")
	if err != nil || strings.TrimSpace(v) == "" {
		t.Fatalf("version = %q, %v", v, err)
	}
	if !Alive(p.PID) {
		t.Fatal("server not alive after launch")
	}
	start := time.Now()
	if err := p.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if Alive(p.PID) {
		t.Fatal("server alive after stop")
	}
	if d := time.Since(start); d > 9*time.Second {
		t.Errorf("clean stop took %v (killed after the grace period?)", d)
	}
	if Ping(ctx, p.Ports.HTTP) == nil {
		t.Fatal("server still answers after stop")
	}
}

// A cluster node's config.d/cluster.xml names ZooKeeper, the clusters of
// remote_servers with their shards and replicas, the macros and the
// interserver port.
func TestWriteClusterConfig(t *testing.T) {
	l := Layout{Dir: t.TempDir()}
	cfg := ClusterConfig{
		ZooKeeper: []string{"127.0.0.1:2181"},
		Clusters:  []ClusterDef{{Name: "two", Shards: [][]string{{"127.0.0.1:9001", "127.0.0.1:9002"}, {"127.0.0.1:9003"}}, InternalReplication: true}},
		Macros:    map[string]string{"shard": "01", "replica": "r1"},
	}
	if err := WriteClusterConfig(l, Ports{TCP: 9001, HTTP: 8001}, cfg); err == nil {
		t.Fatal("a cluster node without an interserver port must be refused")
	}
	if err := WriteClusterConfig(l, Ports{TCP: 9001, HTTP: 8001, Interserver: 9101}, cfg); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(l.ClusterConfigPath())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<interserver_http_port>9101</interserver_http_port>",
		`<node index="1"><host>127.0.0.1</host><port>2181</port></node>`,
		"<two>\n      <shard>\n        <internal_replication>true</internal_replication>\n        <replica><host>127.0.0.1</host><port>9001</port></replica>\n        <replica><host>127.0.0.1</host><port>9002</port></replica>\n      </shard>\n      <shard>",
		"<replica>r1</replica>", "<shard>01</shard>",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("cluster.xml lacks %q:\n%s", want, b)
		}
	}
}
