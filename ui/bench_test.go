package ui

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/cache/cachetest"
)

// The benchmarks run over the generated 100,000-entry cache that the cache
// package's benchmarks share (cachetest.Shared; built once under
// os.TempDir). Reproduce with:
//
//	go test ./ui -run '^$' -bench . -benchtime 2000x
const benchEntries = 100_000

// benchSource opens the shared cache read-only.
func benchSource(b *testing.B) storeSource {
	b.Helper()
	path := cachetest.Shared(b, benchEntries)
	st, err := cache.OpenReadOnly(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := st.Close(); err != nil {
			b.Error(err)
		}
	})
	return storeSource{Store: st, readOnly: true}
}

// reportLatencies reports the median and the 99th percentile.
func reportLatencies(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Nanoseconds()), "median-ns")
	b.ReportMetric(float64(d[len(d)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkListKeypress100k measures what the UI thread does for one j in
// the list of 100,000 entries: Update and View. Page reads that a key asks
// for run after the measurement, as they do in the background in kiosk.
func BenchmarkListKeypress100k(b *testing.B) {
	m := start(b, New(benchSource(b), Options{Width: 120, Height: 40, Offline: true, NoColor: false}))
	if m.list.length() != benchEntries {
		b.Fatalf("list length %d, want %d", m.list.length(), benchEntries)
	}
	down := keyMsg("j")
	var lat []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		nm, cmd := m.Update(down)
		m = nm.(Model)
		_ = m.View()
		lat = append(lat, time.Since(t0))
		if cmd != nil {
			b.StopTimer()
			m = runCmds(b, m, cmd)
			b.StartTimer()
		}
	}
	b.StopTimer()
	reportLatencies(b, lat)
	if m.list.cursor == 0 {
		b.Fatal("the cursor did not move")
	}
}

// BenchmarkListJumpEnd100k measures G (bottom) and g (top) in the list: the
// key itself, not the page read it starts.
func BenchmarkListJumpEnd100k(b *testing.B) {
	m := start(b, New(benchSource(b), Options{Width: 120, Height: 40, Offline: true}))
	keys := []tea.KeyPressMsg{keyMsg("G"), keyMsg("g")}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		t0 := time.Now()
		nm, cmd := m.Update(keys[i%2])
		m = nm.(Model)
		_ = m.View()
		lat = append(lat, time.Since(t0))
		i++
		b.StopTimer()
		m = runCmds(b, m, cmd)
		b.StartTimer()
	}
	b.StopTimer()
	reportLatencies(b, lat)
}

// openAndRender opens item i of the window and runs the article read and
// the render, returning the model showing the rendered frame.
func openAndRender(b *testing.B, m Model, i int) Model {
	it, ok := m.list.item(i)
	if !ok {
		b.Fatalf("item %d is not loaded", i)
	}
	m = send(b, m, openArticleMsg{item: it})
	if !strings.HasPrefix(m.reader.shown.id, it.ID+"@") {
		b.Fatalf("article %s was not rendered (shown %q)", it.ID, m.reader.shown.id)
	}
	_ = m.View()
	return m
}

// BenchmarkOpenArticle100 opens a different cached article each time and
// renders it at 100 columns: the cache read, Markdown, glamour and the frame.
func BenchmarkOpenArticle100(b *testing.B) {
	m := start(b, New(benchSource(b), Options{Width: 120, Height: 40, Offline: true}))
	if m.reader.bodyWidth() != 100 {
		b.Fatalf("body width %d, want 100", m.reader.bodyWidth())
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		t0 := time.Now()
		m = openAndRender(b, m, i%pageSize)
		lat = append(lat, time.Since(t0))
		i++
	}
	b.StopTimer()
	reportLatencies(b, lat)
}

// BenchmarkReopenArticle100 shows an article that was shown before: from the
// reader's caches, without a command.
func BenchmarkReopenArticle100(b *testing.B) {
	m := start(b, New(benchSource(b), Options{Width: 120, Height: 40, Offline: true}))
	m = openAndRender(b, m, 0)
	it, _ := m.list.item(0)
	var lat []time.Duration
	for b.Loop() {
		t0 := time.Now()
		nm, cmd := m.Update(openArticleMsg{item: it})
		m = nm.(Model)
		_ = m.View()
		lat = append(lat, time.Since(t0))
		if !strings.HasPrefix(m.reader.shown.id, it.ID+"@") {
			b.Fatal("the article was not shown at once")
		}
		b.StopTimer()
		m = runCmds(b, m, cmd) // only the read flag write, if any
		b.StartTimer()
	}
	b.StopTimer()
	reportLatencies(b, lat)
}

// BenchmarkMemory100kAfter50Articles opens the 100,000-entry cache, reads 50
// articles, and reports the Go heap in use and the process RSS afterwards.
func BenchmarkMemory100kAfter50Articles(b *testing.B) {
	for b.Loop() {
		m := start(b, New(benchSource(b), Options{Width: 120, Height: 40, Offline: true}))
		for i := 0; i < 50; i++ {
			m = openAndRender(b, m, i)
			m = press(b, m, "G", "esc", "j")
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
		b.ReportMetric(float64(ms.Sys)/(1<<20), "gosys-MB")
		if rss, err := rssMB(); err == nil {
			b.ReportMetric(rss, "rss-MB")
		}
		runtime.KeepAlive(m)
	}
}

// rssMB reads the resident set size of this process from /proc.
func rssMB() (float64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("read status: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.Atoi(f[1])
			if err != nil {
				return 0, fmt.Errorf("parse VmRSS: %w", err)
			}
			return float64(kb) / 1024, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/self/status")
}

// BenchmarkFirstFrame100k opens the 100,000-entry cache and makes the first
// frames of the list: rows-ms is open + the first page + View, which is what
// the first frame waits for; counted-ms adds the count (a separate command
// in kiosk, running at the same time as the page read).
func BenchmarkFirstFrame100k(b *testing.B) {
	path := cachetest.Shared(b, benchEntries)
	ctx := context.Background()
	var rows, counted []time.Duration
	for b.Loop() {
		t0 := time.Now()
		st, err := cache.OpenReadOnly(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		src := storeSource{Store: st, readOnly: true}
		m := New(src, Options{Width: 120, Height: 40, Offline: true})
		nm, _ := m.Update(loadPageCmd(backend{ctx: ctx, src: src}, 0, cache.Query{Limit: pageSize}, "")())
		m = nm.(Model)
		if !strings.Contains(m.View().Content, "1/…") {
			b.Fatalf("first frame:\n%s", m.View().Content)
		}
		rows = append(rows, time.Since(t0))
		nm, _ = m.Update(countCmd(backend{ctx: ctx, src: src}, 0, cache.Query{})())
		m = nm.(Model)
		if !strings.Contains(m.View().Content, "1/100000") {
			b.Fatalf("counted frame:\n%s", m.View().Content)
		}
		counted = append(counted, time.Since(t0))
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
	}
	slices.Sort(rows)
	slices.Sort(counted)
	b.ReportMetric(float64(rows[len(rows)/2].Microseconds())/1000, "rows-ms")
	b.ReportMetric(float64(counted[len(counted)/2].Microseconds())/1000, "counted-ms")
}

// BenchmarkFirstFramePrefetch100k is the reader's start path: the first
// screenful (40 rows) and the count read ahead (Prefetch), then the first
// frame with both.
func BenchmarkFirstFramePrefetch100k(b *testing.B) {
	path := cachetest.Shared(b, benchEntries)
	ctx := context.Background()
	var frames []time.Duration
	for b.Loop() {
		t0 := time.Now()
		st, err := cache.OpenReadOnly(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		src := storeSource{Store: st, readOnly: true}
		first := Prefetch(ctx, src, 40)
		m := New(src, Options{Width: 120, Height: 40, Offline: true, FirstPage: first})
		nm, _ := m.Update(first.waitCmd(ctx)())
		m = nm.(Model)
		if !strings.Contains(m.View().Content, "1/100000") {
			b.Fatalf("first frame:\n%s", m.View().Content)
		}
		frames = append(frames, time.Since(t0))
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
	}
	slices.Sort(frames)
	b.ReportMetric(float64(frames[len(frames)/2].Microseconds())/1000, "frame-ms")
}
