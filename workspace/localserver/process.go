package localserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// LaunchOptions say how to run a server.
type LaunchOptions struct {
	// Dir is the server's folder (config, data, logs); created when missing.
	Dir string
	// Binary is the server executable; FindBinary(nil) when zero.
	Binary Binary
	// Detached starts the server in its own session so it outlives this
	// process (perch local start). Otherwise it dies with this process.
	Detached bool
	// Timeout bounds the wait for the server to answer; 30s when zero.
	Timeout time.Duration
	// Ports, when TCP is not zero, are the ports to listen on (a cluster's
	// nodes must know each other's ports before they start); Launch then
	// does not retry on other ports.
	Ports Ports
	// Cluster, when not nil, makes the server a cluster node
	// (config.d/cluster.xml); Ports.Interserver must then be set.
	Cluster *ClusterConfig
}

// Process is a running server started by Launch.
type Process struct {
	PID    int    `json:"pid"`
	Ports  Ports  `json:"ports"`
	Dir    string `json:"dir"`
	Binary Binary `json:"binary"`
	cmd    *exec.Cmd
	exited chan struct{}
}

// TCPAddr is the native-protocol address, host:port.
func (p *Process) TCPAddr() string { return fmt.Sprintf("127.0.0.1:%d", p.Ports.TCP) }

// Launch writes a config on free loopback ports, starts the server and waits
// until it answers. A port taken between choosing and binding is retried.
func Launch(ctx context.Context, opts LaunchOptions) (*Process, error) {
	if opts.Binary.Path == "" {
		b, err := FindBinary(nil)
		if err != nil {
			return nil, err
		}
		opts.Binary = b
	}
	if opts.Timeout == 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Ports.TCP != 0 {
		return launchOnce(ctx, opts, opts.Ports)
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		ports, err := FreePorts()
		if err != nil {
			return nil, err
		}
		p, err := launchOnce(ctx, opts, ports)
		if err == nil {
			return p, nil
		}
		lastErr = err
		if ctx.Err() != nil || !errors.Is(err, errExited) {
			break
		}
	}
	return nil, lastErr
}

var errExited = errors.New("server exited")

func launchOnce(ctx context.Context, opts LaunchOptions, ports Ports) (*Process, error) {
	l := Layout{Dir: opts.Dir}
	if err := WriteConfig(l, ports); err != nil {
		return nil, err
	}
	if opts.Cluster != nil {
		if err := WriteClusterConfig(l, ports, *opts.Cluster); err != nil {
			return nil, err
		}
	}
	args := append(append([]string{}, opts.Binary.Args...), "--config-file="+mustAbs(l.ConfigPath()))
	cmd := exec.Command(opts.Binary.Path, args...)
	cmd.Dir = opts.Dir
	out, err := os.OpenFile(l.LogDir()+"/stdout.log", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", opts.Binary, err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr(opts.Detached)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", opts.Binary, err)
	}
	p := &Process{PID: cmd.Process.Pid, Ports: ports, Dir: opts.Dir, Binary: opts.Binary, cmd: cmd, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	wctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	if err := p.waitReady(wctx); err != nil {
		_ = p.Stop(context.Background())
		return nil, fmt.Errorf("start %s in %s: %w%s", opts.Binary, opts.Dir, err, logTail(l))
	}
	return p, nil
}

func (p *Process) waitReady(ctx context.Context) error {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		if Ping(ctx, p.Ports.HTTP) == nil {
			return nil
		}
		select {
		case <-p.exited:
			return errExited
		case <-ctx.Done():
			return fmt.Errorf("server did not answer on 127.0.0.1:%d: %w", p.Ports.HTTP, ctx.Err())
		case <-t.C:
		}
	}
}

// logTail returns the last lines of the error log, for start failures.
func logTail(l Layout) string {
	b, err := os.ReadFile(l.ErrorLog())
	if err != nil || len(b) == 0 {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 8 {
		lines = lines[len(lines)-8:]
	}
	return "\nserver error log (" + l.ErrorLog() + "):\n  " + strings.Join(lines, "\n  ")
}

// Ping asks the server's HTTP interface on 127.0.0.1:port whether it is up.
func Ping(ctx context.Context, httpPort int) error {
	_, err := httpGet(ctx, fmt.Sprintf("http://127.0.0.1:%d/ping", httpPort))
	return err
}

// Query runs one query (GET: read-only) over the server's HTTP interface and returns
// its TabSeparated output; used where the driver is not needed (status).
func Query(ctx context.Context, httpPort int, sql string) (string, error) {
	u := fmt.Sprintf("http://127.0.0.1:%d/?query=%s", httpPort, url.QueryEscape(sql))
	return httpGet(ctx, u)
}

func httpGet(ctx context.Context, u string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	// No keep-alive: an idle connection would hold up the server's shutdown.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("server answered %s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	return string(b), nil
}

// Release lets a detached server run on after this process exits.
func (p *Process) Release() {
	if p.cmd != nil && p.cmd.Process != nil {
		_ = p.cmd.Process.Release()
	}
}

// Kill ends the server at once (SIGKILL) and waits until it is gone; for
// throwaway test servers whose data is deleted anyway.
func (p *Process) Kill() error {
	if err := syscall.Kill(p.PID, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("kill server (pid %d): %w", p.PID, err)
	}
	if p.exited != nil {
		<-p.exited
	}
	return nil
}

// Stop ends the server: SIGTERM, then SIGKILL if it has not exited within
// ten seconds (or when ctx ends).
func (p *Process) Stop(ctx context.Context) error {
	if p.exited != nil {
		select {
		case <-p.exited:
			return nil
		default:
		}
	}
	return StopPID(ctx, p.PID, p.exited)
}

// StopPID ends the server with process id pid (see Process.Stop). exited,
// when not nil, closes when the process has been reaped by this process.
func StopPID(ctx context.Context, pid int, exited <-chan struct{}) error {
	if pid <= 0 {
		return fmt.Errorf("stop server: no process id")
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return nil
		}
		return fmt.Errorf("stop server (pid %d): %w", pid, err)
	}
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		if exited == nil && !Alive(pid) {
			return nil
		}
		select {
		case <-exited:
			return nil
		case <-ctx.Done():
			_ = syscall.Kill(pid, syscall.SIGKILL)
			return fmt.Errorf("stop server (pid %d): %w", pid, ctx.Err())
		case <-deadline.C:
			_ = syscall.Kill(pid, syscall.SIGKILL)
			return nil
		case <-t.C:
		}
	}
}

// Alive reports whether a process with this id exists (and is not a zombie).
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// Field 3 is the state; Z is a zombie (exited, not yet reaped).
		if i := strings.LastIndexByte(string(b), ')'); i > 0 && i+2 < len(b) && b[i+2] == 'Z' {
			return false
		}
	}
	return true
}
