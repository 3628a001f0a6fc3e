package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestClientGet(t *testing.T) {
	var uaSeen atomic.Value
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		uaSeen.Store(r.Header.Get("User-Agent"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte("<p>hello</p>"))
	})
	mux.HandleFunc("/404", http.NotFound)
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 2<<20))
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte("compressed body"))
		zw.Close()
	})
	// 8 MB of zeros, a few KB on the wire; compressed once here, so that
	// a slow (loaded or -race) run does not spend the client's timeout on it.
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zero := make([]byte, 1<<20)
	for range 8 {
		zw.Write(zero)
	}
	zw.Close()
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	var busy atomic.Int32
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		if busy.Add(1) < 3 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("finally"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	c := NewClient(ClientOptions{Timeout: 300 * time.Millisecond, MaxBody: 1 << 20, RetryBase: time.Millisecond})
	ctx := t.Context()

	t.Run("ok", func(t *testing.T) {
		res, err := c.Get(ctx, Request{URL: srv.URL + "/ok"})
		if err != nil {
			t.Fatalf("Get(/ok) error %v", err)
		}
		if string(res.Body) != "<p>hello</p>" || res.ETag != `"v1"` || !IsHTML(res.ContentType) {
			t.Errorf("Get(/ok) = %q etag %q type %q", res.Body, res.ETag, res.ContentType)
		}
		if ua, _ := uaSeen.Load().(string); !strings.HasPrefix(ua, "kiosk/") {
			t.Errorf("User-Agent = %q, want kiosk/…", ua)
		}
	})
	t.Run("not modified", func(t *testing.T) {
		res, err := c.Get(ctx, Request{URL: srv.URL + "/ok", ETag: `"v1"`})
		if err != nil || !res.NotModified {
			t.Fatalf("conditional Get = %+v, %v; want NotModified", res, err)
		}
	})
	t.Run("gzip", func(t *testing.T) {
		res, err := c.Get(ctx, Request{URL: srv.URL + "/gzip"})
		if err != nil || string(res.Body) != "compressed body" {
			t.Fatalf("Get(/gzip) = %v, %v", res, err)
		}
	})
	t.Run("retry 503", func(t *testing.T) {
		res, err := c.Get(ctx, Request{URL: srv.URL + "/busy"})
		if err != nil || string(res.Body) != "finally" {
			t.Fatalf("Get(/busy) = %v, %v; want success after retries", res, err)
		}
	})
	for _, tc := range []struct {
		path  string
		check func(error) bool
	}{
		{"/404", func(err error) bool { var se *StatusError; return errors.As(err, &se) && se.Code == 404 }},
		{"/500", func(err error) bool { var se *StatusError; return errors.As(err, &se) && se.Code == 500 }},
		{"/slow", func(err error) bool {
			return strings.Contains(err.Error(), "Timeout") || errors.Is(err, context.DeadlineExceeded)
		}},
		{"/big", func(err error) bool { return errors.Is(err, ErrTooLarge) }},
		{"/bomb", func(err error) bool { return errors.Is(err, ErrTooLarge) }},
		{"/loop", func(err error) bool { return errors.Is(err, errTooManyRedi) }},
	} {
		t.Run(tc.path, func(t *testing.T) {
			_, err := c.Get(ctx, Request{URL: srv.URL + tc.path})
			if err == nil || !tc.check(err) {
				t.Fatalf("Get(%s) error = %v, want the matching error", tc.path, err)
			}
			if !strings.Contains(err.Error(), srv.URL+tc.path) {
				t.Errorf("error %q does not name the URL", err)
			}
		})
	}
	t.Run("offline", func(t *testing.T) {
		var hits atomic.Int32
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
		defer s.Close()
		off := NewClient(ClientOptions{Offline: true})
		if _, err := off.Get(ctx, Request{URL: s.URL}); !errors.Is(err, ErrOffline) {
			t.Fatalf("offline Get error = %v, want ErrOffline", err)
		}
		if hits.Load() != 0 {
			t.Errorf("offline client sent %d requests", hits.Load())
		}
	})
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"7", 7 * time.Second}, {"junk", 0}, {"-3", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
	} {
		if got := retryAfter(tc.in, now); got != tc.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestIsHTML(t *testing.T) {
	for in, want := range map[string]bool{
		"text/html; charset=utf-8": true, "": true, "application/xhtml+xml": true,
		"application/pdf": false, "application/json": false, "text/plain": false,
	} {
		if got := IsHTML(in); got != want {
			t.Errorf("IsHTML(%q) = %v, want %v", in, got, want)
		}
	}
}
