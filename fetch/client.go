package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// Version is kiosk's version, sent in the User-Agent and printed by
// kiosk version.
const Version = "0.1.0"

// DefaultUserAgent names kiosk, its version and its project page.
const DefaultUserAgent = "kiosk/" + Version + " (+https://github.com/kiosk-reader/kiosk)"

// Sentinel errors of the HTTP client.
var (
	ErrOffline     = errors.New("offline: no network access allowed")
	ErrTooLarge    = errors.New("response body too large")
	ErrNotHTML     = errors.New("not an HTML page")
	errTooManyRedi = errors.New("too many redirects")
)

// StatusError is an HTTP answer other than 2xx and 304.
type StatusError struct {
	URL  string
	Code int
}

// ErrPrivateAddress is the error for a request that PublicOnly forbids: its
// host is on a loopback, private or link-local address.
var ErrPrivateAddress = errors.New("refused: a private or loopback address, named by a feed on a public one")

// publicOnlyKey marks a context with PublicOnly.
type publicOnlyKey struct{}

// PublicOnly returns a context whose requests refuse hosts on loopback,
// private, link-local and other non-public addresses, both when the URL
// names such an address and when a name resolves to one (checked on the
// address actually dialled, so redirects and DNS tricks are covered).
func PublicOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, publicOnlyKey{}, true)
}

// isPublicOnly reports whether ctx came from PublicOnly.
func isPublicOnly(ctx context.Context) bool {
	on, _ := ctx.Value(publicOnlyKey{}).(bool)
	return on
}

// isPrivateAddr reports whether ip is not a public unicast address.
func isPrivateAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() ||
		sharedAddressSpace.Contains(ip) || thisNetwork.Contains(ip)
}

var (
	sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10") // carrier-grade NAT, RFC 6598
	thisNetwork        = netip.MustParsePrefix("0.0.0.0/8")
)

// privateHost reports whether a URL host (name or literal) is by itself
// known to be non-public: an IP literal of such an address or localhost.
func privateHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return isPrivateAddr(ip)
	}
	return false
}

// onPrivateHost reports whether rawURL's host is on a non-public address:
// by its name or literal, or because its name resolves to one.
func onPrivateHost(ctx context.Context, rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if privateHost(host) {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return false
	}
	for _, ip := range ips {
		if isPrivateAddr(ip) {
			return true
		}
	}
	return false
}

// refusePrivate is a guarded dialer's ControlContext: it refuses to
// connect to a non-public address.
func refusePrivate(_ context.Context, network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	if isPrivateAddr(ap.Addr()) {
		return fmt.Errorf("%w (%s)", ErrPrivateAddress, ap.Addr())
	}
	return nil
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// ClientOptions configure a Client; zero values mean the defaults.
type ClientOptions struct {
	UserAgent       string        // default DefaultUserAgent
	Timeout         time.Duration // whole request including the body, default 20s
	ConnectTimeout  time.Duration // default 10s
	MaxBody         int64         // after gzip decoding, default 10 MB
	MaxRedirects    int           // default 10
	Retries         int           // retries for 429 and 503, default 2; negative means none
	RetryBase       time.Duration // first backoff, default 1s
	MaxRetryWait    time.Duration // cap on one wait, Retry-After included, default 30s
	Offline         bool          // every request fails at once with ErrOffline
	Transport       http.RoundTripper
	MaxConnsPerHost int // default 4
}

// Client fetches feeds and pages politely: one User-Agent, timeouts, a body
// cap, a redirect limit, and retries with backoff for 429 and 503.
type Client struct {
	o      ClientOptions
	http   *http.Client
	public *http.Client // for requests under PublicOnly
}

// NewClient returns a Client with o's settings.
func NewClient(o ClientOptions) *Client {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 10 << 20
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 10
	}
	if o.Retries == 0 {
		o.Retries = 2
	}
	if o.RetryBase <= 0 {
		o.RetryBase = time.Second
	}
	if o.MaxRetryWait <= 0 {
		o.MaxRetryWait = 30 * time.Second
	}
	if o.MaxConnsPerHost <= 0 {
		o.MaxConnsPerHost = 4
	}
	// Requests under PublicOnly get a transport of their own, whose every
	// connection was dialled with the check: a keep-alive connection to a
	// private host, opened for a local feed, is never reused for them.
	tr, public := o.Transport, o.Transport
	if tr == nil {
		tr, public = newTransport(o, false), newTransport(o, true)
	}
	max := o.MaxRedirects
	client := func(rt http.RoundTripper) *http.Client {
		return &http.Client{
			Transport: rt,
			Timeout:   o.Timeout,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) > max {
					return fmt.Errorf("%w (more than %d)", errTooManyRedi, max)
				}
				return nil
			},
		}
	}
	return &Client{o: o, http: client(tr), public: client(public)}
}

// newTransport is the HTTP transport of a Client; with publicOnly it
// refuses to connect to non-public addresses (checked on the address
// dialled, after DNS), except to the proxy the environment names.
func newTransport(o ClientOptions, publicOnly bool) *http.Transport {
	dial := (&net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext
	if publicOnly {
		proxies := proxyAddrs()
		dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			d := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
			if !proxies[addr] {
				d.ControlContext = refusePrivate
			}
			return d.DialContext(ctx, network, addr)
		}
	}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dial,
		TLSHandshakeTimeout:   o.ConnectTimeout,
		ResponseHeaderTimeout: o.Timeout,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   o.MaxConnsPerHost,
		MaxConnsPerHost:       o.MaxConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
}

// proxyAddrs are the host:port of the proxies the environment names
// (HTTP_PROXY, HTTPS_PROXY), which a guarded transport may dial whatever
// their address.
func proxyAddrs() map[string]bool {
	out := map[string]bool{}
	cfg := httpproxy.FromEnvironment()
	for _, raw := range []string{cfg.HTTPProxy, cfg.HTTPSProxy} {
		if raw == "" {
			continue
		}
		if !strings.Contains(raw, "://") {
			raw = "http://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil || u.Hostname() == "" {
			continue
		}
		port := u.Port()
		if port == "" {
			port = map[string]string{"https": "443", "socks5": "1080"}[u.Scheme]
			if port == "" {
				port = "80"
			}
		}
		out[net.JoinHostPort(u.Hostname(), port)] = true
	}
	return out
}

// Request is one GET, optionally conditional.
type Request struct {
	URL          string
	ETag         string
	LastModified string
	Accept       string
	MaxBody      int64 // a lower body cap than the client's; 0: the client's
}

// Response is a fetched body (or a 304).
type Response struct {
	URL          string // final URL, after redirects
	Status       int
	NotModified  bool
	Body         []byte
	ContentType  string
	ETag         string
	LastModified string
	Bytes        int64 // body bytes received (decoded)
}

// Get fetches r.URL. It returns an error wrapping *StatusError for answers
// other than 2xx and 304, ErrTooLarge past the body cap, and ErrOffline in
// offline mode, always with the URL in the message.
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	for attempt := 0; ; attempt++ {
		resp, wait, err := c.getOnce(ctx, r)
		if wait < 0 || attempt >= c.retries() {
			return resp, err
		}
		if wait == 0 {
			// No Retry-After: our own backoff, capped.
			wait = min(c.o.RetryBase<<attempt, c.o.MaxRetryWait)
		}
		if wait > c.o.MaxRetryWait {
			return nil, fmt.Errorf("%w (the server asks to retry after %s)", err, wait.Round(time.Second))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("get %s: %w", r.URL, ctx.Err())
		case <-t.C:
		}
	}
}

// getOnce does one attempt of Get, its error naming the URL. wait ≥ 0
// means a retry may follow after wait (0: after the backoff).
func (c *Client) getOnce(ctx context.Context, r Request) (*Response, time.Duration, error) {
	if c.o.Offline {
		return nil, -1, fmt.Errorf("get %s: %w", r.URL, ErrOffline)
	}
	if isPublicOnly(ctx) {
		if u, err := url.Parse(r.URL); err == nil && privateHost(u.Hostname()) {
			return nil, -1, fmt.Errorf("get %s: %w", r.URL, ErrPrivateAddress)
		}
	}
	resp, wait, err := c.get(ctx, r)
	if err != nil {
		return nil, wait, fmt.Errorf("get %s: %w", r.URL, err)
	}
	return resp, -1, nil
}

// retries is the number of retries of a 429 or 503; 0 when none.
func (c *Client) retries() int {
	return max(c.o.Retries, 0)
}

// get does one attempt. wait ≥ 0 asks for a retry after wait (0: use the backoff).
func (c *Client) get(ctx context.Context, r Request) (resp *Response, wait time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return nil, -1, err
	}
	req.Header.Set("User-Agent", c.o.UserAgent)
	accept := r.Accept
	if accept == "" {
		accept = "*/*"
	}
	req.Header.Set("Accept", accept)
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	hc := c.http
	if isPublicOnly(ctx) {
		hc = c.public
	}
	res, err := hc.Do(req)
	if err != nil {
		// *url.Error repeats method and URL, which the caller's context
		// already names: keep its cause only.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, -1, err
	}
	defer res.Body.Close()
	out := &Response{
		URL:          res.Request.URL.String(),
		Status:       res.StatusCode,
		ContentType:  res.Header.Get("Content-Type"),
		ETag:         res.Header.Get("ETag"),
		LastModified: res.Header.Get("Last-Modified"),
	}
	switch {
	case res.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, -1, nil
	case res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusServiceUnavailable:
		drain(res.Body)
		return nil, retryAfter(res.Header.Get("Retry-After"), time.Now()), &StatusError{URL: out.URL, Code: res.StatusCode}
	case res.StatusCode < 200 || res.StatusCode > 299:
		drain(res.Body)
		return nil, -1, &StatusError{URL: out.URL, Code: res.StatusCode}
	}
	limit := c.o.MaxBody
	if r.MaxBody > 0 {
		limit = min(limit, r.MaxBody)
	}
	if res.ContentLength > limit {
		return nil, -1, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, res.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		return nil, -1, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, -1, fmt.Errorf("%w: limit %d bytes", ErrTooLarge, limit)
	}
	out.Body = body
	out.Bytes = int64(len(body))
	return out, -1, nil
}

// drain reads a little of an unwanted body so the connection can be reused.
func drain(r io.Reader) {
	if _, err := io.Copy(io.Discard, io.LimitReader(r, 64<<10)); err != nil {
		return // the connection is dropped instead; nothing else to do
	}
}

// retryAfter parses a Retry-After header (seconds or an HTTP date); 0 when absent or invalid.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// IsHTML reports whether a Content-Type header names an HTML document.
// An empty header counts as HTML, so that servers that send none still work.
func IsHTML(contentType string) bool {
	if strings.TrimSpace(contentType) == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// Page fetches an article page and extracts it. The Article's URL is the
// requested URL without tracking parameters.
func (c *Client) Page(ctx context.Context, rawURL string) (Article, error) {
	res, err := c.Get(ctx, Request{URL: rawURL, Accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"})
	if err != nil {
		return Article{}, err
	}
	if !IsHTML(res.ContentType) {
		return Article{}, fmt.Errorf("get %s: %w (content type %s)", rawURL, ErrNotHTML, res.ContentType)
	}
	a, err := Extract(res.URL, res.Body)
	if err != nil {
		return Article{}, fmt.Errorf("extract %s: %w", rawURL, err)
	}
	return a, nil
}
