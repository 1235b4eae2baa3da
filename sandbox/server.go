package sandbox

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/net/netutil"
)

// Server is a running sandbox: one port on 127.0.0.1 that speaks HTTPS
// (aws:SecureTransport true, like AWS) and plain HTTP (aws:SecureTransport
// false, so a TLS-only policy denies it, as AWS would), and acts as its own
// proxy for clients that put the account ID in the host name.
type Server struct {
	sb   *Sandbox
	srv  *http.Server
	ln   *muxListener
	port int
}

// Start listens on 127.0.0.1:port (0 picks a free port) and serves.
func (sb *Sandbox) Start(port int) (*Server, error) {
	sb.mu.Lock()
	if sb.st.TLS == nil {
		m, err := newTLSMaterial(sortedKeys(sb.st.Accounts))
		if err == nil {
			sb.st.TLS = m
			err = sb.save()
		}
		if err != nil {
			sb.mu.Unlock()
			return nil, err
		}
	}
	cfg, err := sb.st.TLS.config()
	sb.mu.Unlock()
	if err != nil {
		return nil, err
	}
	inner, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen on 127.0.0.1:%d: %w", port, err)
	}
	l := sb.limits
	port = inner.Addr().(*net.TCPAddr).Port
	// At most MaxConns connections at once; the rest wait in the listen
	// queue (a CONNECT tunnel is served on its client's connection).
	ln := newMuxListener(netutil.LimitListener(inner, l.MaxConns), cfg, l.ReadHeaderTimeout)
	s := &Server{sb: sb, ln: ln, port: port}
	s.srv = &http.Server{
		Handler: http.HandlerFunc(s.serve), MaxHeaderBytes: l.MaxHeaderBytes,
		ReadHeaderTimeout: l.ReadHeaderTimeout, ReadTimeout: l.ReadTimeout, IdleTimeout: l.IdleTimeout,
	}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// URL is the HTTPS endpoint (https://127.0.0.1:PORT).
func (s *Server) URL() string { return fmt.Sprintf("https://127.0.0.1:%d", s.port) }

// PlainURL is the plain-HTTP endpoint on the same port.
func (s *Server) PlainURL() string { return fmt.Sprintf("http://127.0.0.1:%d", s.port) }

// Port is the port the sandbox listens on.
func (s *Server) Port() int { return s.port }

// Close stops the server: requests in flight get a moment to finish, then
// every connection is closed (clients' idle keep-alive connections would
// otherwise hold a graceful shutdown for seconds).
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		_ = s.srv.Close()
	}
	return s.ln.Close()
}

// serve handles CONNECT (a client using the sandbox as its HTTPS proxy:
// the tunnel is served by the sandbox itself, never forwarded) and AWS
// requests.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		s.sb.ServeHTTP(w, r)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "CONNECT is not supported on this connection", http.StatusBadRequest)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		conn.Close()
		return
	}
	s.ln.classify(&peekConn{Conn: conn, r: buf.Reader})
}

// muxListener hands the HTTP server TLS connections (first byte 0x16, a
// handshake) and plain ones from one port.
type muxListener struct {
	inner  net.Listener
	cfg    *tls.Config
	first  time.Duration // how long a new connection has to send its first byte
	conns  chan net.Conn
	done   chan struct{}
	closed sync.Once
}

func newMuxListener(inner net.Listener, cfg *tls.Config, first time.Duration) *muxListener {
	l := &muxListener{inner: inner, cfg: cfg, first: first, conns: make(chan net.Conn), done: make(chan struct{})}
	go l.acceptLoop()
	return l
}

func (l *muxListener) acceptLoop() {
	for {
		c, err := l.inner.Accept()
		if err != nil {
			l.Close()
			return
		}
		go l.classify(&peekConn{Conn: c, r: bufio.NewReader(c)})
	}
}

func (l *muxListener) classify(c *peekConn) {
	_ = c.SetReadDeadline(time.Now().Add(l.first))
	first, err := c.r.Peek(1)
	_ = c.SetReadDeadline(time.Time{})
	if err != nil {
		c.Close()
		return
	}
	var out net.Conn = c
	if first[0] == 0x16 {
		out = tls.Server(c, l.cfg)
	}
	select {
	case l.conns <- out:
	case <-l.done:
		c.Close()
	}
}

func (l *muxListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, errors.New("sandbox listener closed")
	}
}

func (l *muxListener) Close() error {
	l.closed.Do(func() { close(l.done); _ = l.inner.Close() })
	return nil
}

func (l *muxListener) Addr() net.Addr { return l.inner.Addr() }

// peekConn is a connection whose first bytes were read into a buffer.
type peekConn struct {
	net.Conn
	r *bufio.Reader
}

func (p *peekConn) Read(b []byte) (int, error) { return p.r.Read(b) }
