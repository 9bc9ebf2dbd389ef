package apply

import (
	"bytes"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// proxy is a TCP proxy on loopback between perch and the server that cuts
// a connection in the middle of a query, as a network failure would.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	// armed: 0 off, 1 cut before forwarding the next query, 2 forward it then cut.
	armed atomic.Int32
	cuts  atomic.Int32
	// match, when set, restricts the cut to a chunk containing it (the
	// native protocol sends query text in the clear).
	match atomic.Value
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.closeAll() })
	return p
}

func (p *proxy) Addr() string { return p.ln.Addr().String() }

// Arm makes the next bytes a client sends cut its connection: before they
// reach the server, or (forward) after the server got them, so the server
// runs the statement but perch never hears back.
func (p *proxy) Arm(forward bool) { p.ArmOn("", forward) }

// ArmOn is Arm for the first statement whose text contains match.
func (p *proxy) ArmOn(match string, forward bool) {
	p.match.Store(match)
	if forward {
		p.armed.Store(2)
	} else {
		p.armed.Store(1)
	}
}

func (p *proxy) serve() {
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
		go p.pipe(client, server, true)
		go p.pipe(server, client, false)
	}
}

func (p *proxy) pipe(from, to net.Conn, upstream bool) {
	defer from.Close()
	defer to.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := from.Read(buf)
		m, _ := p.match.Load().(string)
		if n > 0 && upstream && (m == "" || bytes.Contains(buf[:n], []byte(m))) {
			switch p.armed.Load() {
			case 1:
				if p.armed.CompareAndSwap(1, 0) {
					p.cuts.Add(1)
					return
				}
			case 2:
				if p.armed.CompareAndSwap(2, 0) {
					to.Write(buf[:n])
					time.Sleep(300 * time.Millisecond)
					p.cuts.Add(1)
					return
				}
			}
		}
		if n > 0 {
			if _, werr := to.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *proxy) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}
