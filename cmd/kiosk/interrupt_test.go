package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runMainWith runs runMain over cmd, sending sig (if any) once cmd has
// started, and returns the status and stderr. A command that never returns
// must still let runMain return.
func runMainWith(t *testing.T, cmd func(context.Context, *env, []string) error, sig os.Signal) (int, string, bool) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	sigs := make(chan os.Signal, 2)
	started := make(chan struct{})
	wrapped := func(ctx context.Context, e *env, args []string) error {
		close(started)
		return cmd(ctx, e, args)
	}
	restored := false
	restore := func() error { restored = true; return nil }
	status := make(chan int, 1)
	go func() { status <- runMain(e, nil, sigs, wrapped, 50*time.Millisecond, restore) }()
	if sig != nil {
		<-started
		sigs <- sig
	}
	select {
	case code := <-status:
		return code, errb.String(), restored
	case <-time.After(10 * time.Second): // generous: the grace is 50ms
		t.Fatal("runMain did not return within 10s of the signal")
		return 0, "", false
	}
}

func TestRunMainExitsWhenTheCommandIgnoresTheSignal(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	ignoresCtx := func(context.Context, *env, []string) error {
		<-block // CPU-bound work that never looks at ctx, as far as runMain can tell
		return nil
	}
	for _, tc := range []struct {
		sig  os.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		code, stderr, restored := runMainWith(t, ignoresCtx, tc.sig)
		if code != tc.want || stderr != "kiosk: interrupted\n" || !restored {
			t.Errorf("runMain(%v, command ignoring ctx) = %d, %q, restored %v; want %d, one line, restored", tc.sig, code, stderr, restored, tc.want)
		}
	}
}

func TestRunMainCancelsTheCommand(t *testing.T) {
	observesCtx := func(ctx context.Context, _ *env, _ []string) error {
		<-ctx.Done()
		return ctx.Err()
	}
	code, stderr, restored := runMainWith(t, observesCtx, syscall.SIGINT)
	if code != 130 || stderr != "kiosk: interrupted\n" || restored {
		t.Errorf("runMain(SIGINT, command observing ctx) = %d, %q, restored %v; want 130, one line, terminal left to the command", code, stderr, restored)
	}
}

func TestRunMainStatus(t *testing.T) {
	code, stderr, _ := runMainWith(t, func(context.Context, *env, []string) error { return nil }, nil)
	if code != 0 || stderr != "" {
		t.Errorf("runMain(ok) = %d, %q; want 0, nothing", code, stderr)
	}
	code, stderr, _ = runMainWith(t, func(context.Context, *env, []string) error { return errors.New("boom\x1b[31m") }, nil)
	if code != 1 || stderr != "kiosk: boom\n" {
		t.Errorf("runMain(error) = %d, %q; want 1, one clean line", code, stderr)
	}
}

// A real kiosk read of a page whose body never ends stops within a second
// or so of one SIGINT or SIGTERM, well before the HTTP timeout (20s).
func TestReadStopsOnFirstSignal(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			requested := make(chan struct{}, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.WriteHeader(http.StatusOK)
				w.Write([]byte("<!DOCTYPE html><html><head><title>Endlos</title></head><body><p>Es geht immer weiter"))
				w.(http.Flusher).Flush()
				requested <- struct{}{}
				<-r.Context().Done() // hang until the client gives up
			}))
			defer srv.Close()
			defer srv.CloseClientConnections()
			dir := t.TempDir()
			cmd, _, stderr := kioskCmd(t, "--config", filepath.Join(dir, "config.toml"), "--data-dir", filepath.Join(dir, "data"),
				"read", srv.URL+"/endlos", "--format", "text")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			select {
			case <-requested:
			case <-time.After(20 * time.Second):
				t.Fatal("kiosk read never requested the page")
			}
			sent := time.Now()
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			took := time.Since(sent)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.want {
				t.Errorf("kiosk read after %v = %v, want exit status %d", tc.sig, err, tc.want)
			}
			if got := strings.TrimSpace(stderr.String()); got != "kiosk: interrupted" {
				t.Errorf("stderr = %q, want the one line kiosk: interrupted", got)
			}
			if took > 5*time.Second { // generous: the grace is 1s
				t.Errorf("kiosk read took %v to stop after %v", took, tc.sig)
			}
		})
	}
}
