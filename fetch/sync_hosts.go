package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
)

// hostLimiter bounds requests in flight, in total and per host, and holds
// back the requests to a host that asked to be left alone for a while.
type hostLimiter struct {
	global  chan struct{}
	perHost int
	now     func() time.Time
	mu      sync.Mutex
	hosts   map[string]chan struct{}
	until   map[string]time.Time // host → the time its Retry-After ends
}

func newHostLimiter(global, perHost int, now func() time.Time) *hostLimiter {
	return &hostLimiter{global: make(chan struct{}, global), perHost: perHost, now: now, hosts: map[string]chan struct{}{}, until: map[string]time.Time{}}
}

// errHeldOff is acquire's answer for a host whose Retry-After has not ended.
var errHeldOff = errors.New("not sent: the server asked to wait")

// hostOf is the limiter's key for a URL.
func hostOf(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		return strings.ToLower(u.Host)
	}
	return rawURL
}

// holdOff makes acquire refuse rawURL's host until t.
func (l *hostLimiter) holdOff(rawURL string, t time.Time) {
	host := hostOf(rawURL)
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.After(l.until[host]) {
		l.until[host] = t
	}
}

// acquire waits for a slot for rawURL's host and a global one; the host slot
// comes first so that a busy host does not hold global slots while waiting.
func (l *hostLimiter) acquire(ctx context.Context, rawURL string) (release func(), err error) {
	host := hostOf(rawURL)
	l.mu.Lock()
	h, ok := l.hosts[host]
	if !ok {
		h = make(chan struct{}, l.perHost)
		l.hosts[host] = h
	}
	until := l.until[host]
	l.mu.Unlock()
	if now := l.now(); now.Before(until) {
		return nil, fmt.Errorf("%w %s more", errHeldOff, until.Sub(now).Round(time.Second))
	}
	select {
	case h <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	l.mu.Lock()
	until = l.until[host] // another request may have been told to wait meanwhile
	l.mu.Unlock()
	if now := l.now(); now.Before(until) {
		<-h
		return nil, fmt.Errorf("%w %s more", errHeldOff, until.Sub(now).Round(time.Second))
	}
	select {
	case l.global <- struct{}{}:
	case <-ctx.Done():
		<-h
		return nil, ctx.Err()
	}
	return func() { <-l.global; <-h }, nil
}
