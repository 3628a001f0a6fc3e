package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/cache/cachetest"
)

// BenchmarkSyncProcess runs whole "kiosk sync --no-articles" processes
// (start, cache open, sync, prune, close) against 100 generated feeds × 500
// items served from loopback by this test process (issue 13's targets:
// cold ≤ 2.5 s and ≤ 100 MiB, warm ≤ 60 ms whatever the cache's size):
//
//   - cold: a new data dir each run; 50,000 new entries;
//   - warm-50k: every feed answers 304, the cache holds their 50,000 entries;
//   - warm-200k: the same with 150,000 entries of 300 other feeds besides
//     (a copy of cachetest.SharedFeeds).
//
// It reports the peak RSS (sampled from /proc every millisecond) and the
// CPU time per run. Reproduce with:
//
//	go test ./cmd/kiosk/ -run '^$' -bench SyncProcess -benchtime 10x
//
// KIOSK_BENCH_BIN=path runs that binary instead of building one.
func BenchmarkSyncProcess(b *testing.B) {
	bin := buildKiosk(b)
	_, urls := benchFeedServer(b, 100, 500)
	dir := b.TempDir()
	config := filepath.Join(dir, "kiosk.toml")
	var cfg strings.Builder
	for _, u := range urls {
		fmt.Fprintf(&cfg, "[[feed]]\nurl = %q\n\n", u)
	}
	if err := os.WriteFile(config, []byte(cfg.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, data string) (cpu time.Duration, rss int64, summary string) {
		var stderr bytes.Buffer
		var err error
		cmd := exec.Command(bin, "--config", config, "--data-dir", data, "sync", "--no-articles")
		cmd.Stdout = io.Discard
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		rss = watchPeakRSS(cmd.Process.Pid, func() error { return cmd.Wait() }, &err)
		if err != nil {
			b.Fatalf("kiosk sync: %v\n%s", err, stderr.String())
		}
		return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), rss, stderr.String()
	}
	report := func(b *testing.B, cpu time.Duration, maxRSS int64) {
		b.ReportMetric(float64(maxRSS)/1024, "MB-maxrss")
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
	b.Run("cold", func(b *testing.B) {
		var cpu time.Duration
		var maxRSS int64
		i := 0
		for b.Loop() {
			b.StopTimer()
			data := filepath.Join(dir, fmt.Sprintf("cold%d", i))
			i++
			b.StartTimer()
			c, rss, sum := run(b, data)
			if !strings.Contains(sum, "50000 new entries") {
				b.Fatalf("cold sync: %s", sum)
			}
			b.StopTimer()
			if err := os.RemoveAll(data); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			cpu += c
			maxRSS = max(maxRSS, rss)
		}
		report(b, cpu, maxRSS)
	})
	for _, size := range []struct {
		name  string
		extra string // a shared cache to start from, "" for none
	}{
		{"warm-50k", ""},
		{"warm-200k", cachetest.SharedFeeds(b, 300, 150_000)},
	} {
		b.Run(size.name, func(b *testing.B) {
			data := filepath.Join(dir, size.name)
			if err := os.MkdirAll(data, 0o755); err != nil {
				b.Fatal(err)
			}
			if size.extra != "" {
				copyBenchFile(b, size.extra, filepath.Join(data, "kiosk.db"))
			}
			if _, _, sum := run(b, data); !strings.Contains(sum, "50000 new entries") {
				b.Fatalf("first sync: %s", sum)
			}
			var cpu time.Duration
			var maxRSS int64
			for b.Loop() {
				c, rss, sum := run(b, data)
				if !strings.Contains(sum, "100 ok (100 unchanged)") {
					b.Fatalf("warm sync: %s", sum)
				}
				cpu += c
				maxRSS = max(maxRSS, rss)
			}
			report(b, cpu, maxRSS)
		})
	}
}

// watchPeakRSS reads the peak RSS (VmHWM, KiB) of process pid from /proc
// every millisecond until wait returns, and stores wait's error in errp.
// The child's rusage cannot tell it: Linux starts a child's maxrss at its
// parent's when it execs, and the benchmark process is bigger than a warm
// sync.
func watchPeakRSS(pid int, wait func() error, errp *error) int64 {
	done := make(chan error, 1)
	go func() { done <- wait() }()
	status := fmt.Sprintf("/proc/%d/status", pid)
	var peak int64
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		if b, err := os.ReadFile(status); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					var kb int64
					if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb); err == nil {
						peak = max(peak, kb)
					}
				}
			}
		}
		select {
		case *errp = <-done:
			return peak
		case <-t.C:
		}
	}
}

// buildKiosk builds the kiosk binary into the benchmark's temp dir, or
// returns $KIOSK_BENCH_BIN when set, to compare two builds with the same
// benchmark.
func buildKiosk(b *testing.B) string {
	b.Helper()
	if bin := os.Getenv("KIOSK_BENCH_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(b.TempDir(), "kiosk")
	gobin, err := exec.LookPath("go")
	if err != nil {
		b.Skipf("no go tool to build kiosk: %v", err)
	}
	build := exec.Command(gobin, "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		b.Fatalf("go build: %v", err)
	}
	return bin
}

func copyBenchFile(b *testing.B, from, to string) {
	b.Helper()
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}
