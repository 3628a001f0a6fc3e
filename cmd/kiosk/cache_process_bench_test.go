package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/cache/cachetest"
)

// benchEntries is the size of the generated cache the process benchmarks
// run against (built once under os.TempDir, see cachetest.Shared).
// Reproduce with:
//
//	go test ./cmd/kiosk/ -run '^$' -bench Process -benchtime 20x
const benchEntries = 100_000

// benchSetup builds the kiosk binary once and makes a data dir whose
// kiosk.db is the shared generated cache.
func benchSetup(b *testing.B) (bin, dataDir string) {
	b.Helper()
	shared := cachetest.Shared(b, benchEntries)
	tmp := b.TempDir()
	bin = filepath.Join(tmp, "kiosk")
	gobin, err := exec.LookPath("go")
	if err != nil {
		b.Skipf("no go tool to build kiosk: %v", err)
	}
	build := exec.Command(gobin, "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		b.Fatalf("go build: %v", err)
	}
	dataDir = filepath.Join(tmp, "data")
	if err := os.Mkdir(dataDir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.Symlink(shared, filepath.Join(dataDir, "kiosk.db")); err != nil {
		b.Fatal(err)
	}
	return bin, dataDir
}

// benchProcess runs the kiosk binary b.N times and reports the peak RSS
// and the CPU time per run (steadier than the wall clock on a busy machine).
func benchProcess(b *testing.B, args ...string) {
	bin, dataDir := benchSetup(b)
	var maxRSS int64
	var cpu time.Duration
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command(bin, append([]string{"--data-dir", dataDir}, args...)...)
		cmd.Stdout = io.Discard
		cmd.Stderr = os.Stderr
		cmd.Env = append(os.Environ(), "COLUMNS=100")
		if err := cmd.Run(); err != nil {
			b.Fatalf("kiosk %v: %v", args, err)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			maxRSS = max(maxRSS, ru.Maxrss) // KiB on Linux
		}
	}
	b.ReportMetric(float64(maxRSS)/1024, "MB-maxrss")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkListProcess is the whole "kiosk list --limit 50" process.
func BenchmarkListProcess(b *testing.B) { benchProcess(b, "list", "--limit", "50") }

// BenchmarkListJSONProcess is "kiosk list --limit 500 --json".
func BenchmarkListJSONProcess(b *testing.B) { benchProcess(b, "list", "--limit", "500", "--json") }

// BenchmarkSearchProcess is a whole "kiosk search" process for a word in
// 1 % of the articles.
func BenchmarkSearchProcess(b *testing.B) { benchProcess(b, "search", cachetest.RareWord) }

// BenchmarkSearchCommonProcess searches a word in 90 % of the articles.
func BenchmarkSearchCommonProcess(b *testing.B) { benchProcess(b, "search", cachetest.CommonWord) }
