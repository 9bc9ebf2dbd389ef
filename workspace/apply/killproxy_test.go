package apply

import (
	"bytes"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// hook acts on the nth chunk perch sends that contains match (the native
// protocol sends statement text in the clear): before runs first (the
// statement waits), then the chunk is forwarded unless drop, then kill runs
// when set.
type hook struct {
	match  string
	nth    int
	before func()
	drop   bool
	kill   bool
	// after, when set, arms the hook only once that hook has fired.
	after *hook
	seen  int
	fired bool
}

// killProxy sits between a perch process and the server. When a kill hook
// fires it calls kill (SIGKILL of the process) and from then on forwards
// nothing more from the client; the connections to the server stay open and
// drained, so a statement already forwarded runs to its end on the server
// after perch died, as it would when a client vanishes.
type killProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	hooks  []*hook
	kill   func()
	dead   atomic.Bool
	conns  []net.Conn
	killed chan struct{}
}

func startKillProxy(t *testing.T, target string, kill func(), hooks ...*hook) *killProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &killProxy{ln: ln, target: target, hooks: hooks, kill: kill, killed: make(chan struct{})}
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.conns {
			c.Close()
		}
	})
	return p
}

func (p *killProxy) Addr() string { return p.ln.Addr().String() }

// Killed is closed once a kill hook fired.
func (p *killProxy) Killed() <-chan struct{} { return p.killed }

func (p *killProxy) serve() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, client, server)
		p.mu.Unlock()
		go p.upstream(client, server)
		go p.downstream(server, client)
	}
}

// upstream forwards client bytes, firing hooks; after a kill it forwards
// nothing and leaves the server connection open.
func (p *killProxy) upstream(client, server net.Conn) {
	defer client.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := client.Read(buf)
		if n > 0 && !p.dead.Load() {
			chunk := buf[:n]
			forward, killNow := true, false
			p.mu.Lock()
			var before func()
			for _, h := range p.hooks {
				if h.fired || (h.after != nil && !h.after.fired) || !bytes.Contains(chunk, []byte(h.match)) {
					continue
				}
				h.seen++
				if h.seen < h.nth {
					continue
				}
				h.fired = true
				if h.before != nil || h.kill || h.drop {
					before = h.before
					forward = !h.drop
					killNow = h.kill
					break
				}
			}
			p.mu.Unlock()
			if before != nil {
				before()
			}
			if forward {
				if _, werr := server.Write(chunk); werr != nil {
					return
				}
			}
			if killNow && p.dead.CompareAndSwap(false, true) {
				close(p.killed) // before the kill: the process's exit must find it closed
				p.kill()
			}
		}
		if err != nil {
			if !p.dead.Load() {
				server.Close()
			}
			return
		}
	}
}

// downstream forwards server bytes; once the client is gone it keeps
// reading (and dropping) them so the server finishes what it runs.
func (p *killProxy) downstream(server, client net.Conn) {
	defer server.Close()
	buf := make([]byte, 64<<10)
	clientGone := false
	for {
		n, err := server.Read(buf)
		if n > 0 && !clientGone {
			if _, werr := client.Write(buf[:n]); werr != nil {
				clientGone = true
			}
		}
		if err != nil {
			client.Close()
			return
		}
	}
}
