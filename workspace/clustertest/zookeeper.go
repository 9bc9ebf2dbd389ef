package clustertest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// ErrNoZooKeeper is returned (wrapped) when Java or the ZooKeeper jars are
// missing; .ci/install-zookeeper installs them (Debian's zookeeper package).
var ErrNoZooKeeper = errors.New("no ZooKeeper found (looked for java on PATH and /usr/share/java/zookeeper.jar; install with .ci/install-zookeeper or apt-get install zookeeper)")

// zkJars is where Debian's zookeeper package puts its jar; its manifest
// names the jars it needs (netty, slf4j, jute...).
var zkJars = []string{"/usr/share/java/zookeeper.jar", "/usr/share/zookeeper/zookeeper.jar"}

// ZooKeeper is a standalone ZooKeeper server on a loopback port, run from
// the packaged jar with a generated zoo.cfg (the packaged scripts want
// /etc and /var).
type ZooKeeper struct {
	// Port is the client port on 127.0.0.1.
	Port   int
	dir    string
	java   string
	jar    string
	cmd    *exec.Cmd
	exited chan struct{}
}

func findZooKeeper() (java, jar string, err error) {
	java, err = exec.LookPath("java")
	if err != nil {
		return "", "", ErrNoZooKeeper
	}
	for _, j := range zkJars {
		if _, err := os.Stat(j); err == nil {
			return java, j, nil
		}
	}
	return "", "", ErrNoZooKeeper
}

// StartZooKeeper writes zoo.cfg in dir and starts ZooKeeper on a free port.
func StartZooKeeper(ctx context.Context, dir string, port int) (*ZooKeeper, error) {
	java, jar, err := findZooKeeper()
	if err != nil {
		return nil, err
	}
	z := &ZooKeeper{Port: port, dir: dir, java: java, jar: jar}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return nil, fmt.Errorf("start zookeeper: %w", err)
	}
	cfg := fmt.Sprintf("tickTime=500\ninitLimit=10\nsyncLimit=5\ndataDir=%s\nclientPort=%d\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n4lw.commands.whitelist=ruok,srvr\nmaxClientCnxns=200\n",
		filepath.Join(dir, "data"), port)
	if err := os.WriteFile(filepath.Join(dir, "zoo.cfg"), []byte(cfg), 0o644); err != nil {
		return nil, fmt.Errorf("start zookeeper: %w", err)
	}
	return z, z.Start(ctx)
}

// Addr is host:port of the client port.
func (z *ZooKeeper) Addr() string { return fmt.Sprintf("127.0.0.1:%d", z.Port) }

// Start (re)starts the server on its port and data folder and waits until
// it serves sessions.
func (z *ZooKeeper) Start(ctx context.Context) error {
	log, err := os.OpenFile(filepath.Join(z.dir, "zookeeper.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("start zookeeper: %w", err)
	}
	defer log.Close()
	cmd := exec.Command(z.java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dzookeeper.admin.enableServer=false",
		"-cp", z.classpath(), "org.apache.zookeeper.server.ZooKeeperServerMain", filepath.Join(z.dir, "zoo.cfg"))
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start zookeeper: %w", err)
	}
	z.cmd, z.exited = cmd, make(chan struct{})
	go func(ch chan struct{}) { _ = cmd.Wait(); close(ch) }(z.exited)
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		if z.serving() {
			return nil
		}
		select {
		case <-z.exited:
			return fmt.Errorf("start zookeeper on %s: exited (see %s)", z.Addr(), filepath.Join(z.dir, "zookeeper.log"))
		case <-wctx.Done():
			z.Stop()
			return fmt.Errorf("start zookeeper on %s: no answer: %w", z.Addr(), wctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (z *ZooKeeper) serving() bool {
	c, err := net.DialTimeout("tcp", z.Addr(), time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("srvr")); err != nil {
		return false
	}
	// "ruok" answers imok while the server still refuses sessions ("not
	// currently serving requests"); srvr names a Mode only once it serves.
	b, _ := io.ReadAll(io.LimitReader(c, 4096))
	return strings.Contains(string(b), "Mode:")
}

// Stop kills the server (its data folder stays, for Start) and waits.
func (z *ZooKeeper) Stop() {
	if z.cmd == nil || z.cmd.Process == nil {
		return
	}
	_ = z.cmd.Process.Kill()
	<-z.exited
	z.cmd = nil
}

// classpath is the ZooKeeper jar, with slf4j-simple when installed so
// zookeeper.log says why a client was refused.
func (z *ZooKeeper) classpath() string {
	cp := z.jar
	simple := filepath.Join(filepath.Dir(z.jar), "slf4j-simple.jar")
	if _, err := os.Stat(simple); err == nil {
		cp += string(os.PathListSeparator) + simple
	}
	return cp
}
