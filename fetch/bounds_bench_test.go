package fetch

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// heapPeak samples the live heap while it runs and reports the highest
// value seen: a cheap stand-in for peak RSS in a benchmark.
type heapPeak struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

// startHeapPeak starts sampling every 200 µs, after a GC so that earlier
// garbage does not count.
func startHeapPeak() *heapPeak {
	runtime.GC()
	h := &heapPeak{stop: make(chan struct{})}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			h.peak = max(h.peak, s[0].Value.Uint64())
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

// Stop ends sampling and returns the peak heap in bytes.
func (h *heapPeak) Stop() uint64 {
	close(h.stop)
	h.done.Wait()
	return h.peak
}

// BenchmarkExtractHostile measures Extract plus Markdown on the hostile
// pages of issue 8 and reports the peak live heap and the Markdown size.
// Before the bounds, the nested quotes page made 6.7 MB of Markdown and
// the reopen page 20 million nodes.
func BenchmarkExtractHostile(b *testing.B) {
	for _, bc := range []struct {
		name string
		page []byte
	}{
		{"nested quotes 150x11000", nestedQuotesPage(150, 11_000)},
		{"2M nested b", deepPage("b", 2_000_000)},
		{"2M nested div", deepPage("div", 2_000_000)},
		{"reopen 400x50000", reopenPage(400, 50_000)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.page)))
			b.ReportAllocs()
			h := startHeapPeak()
			md := 0
			for b.Loop() {
				a, err := Extract("https://example.org/hostile", bc.page)
				if err != nil {
					b.Fatal(err)
				}
				md = len(Markdown(a))
			}
			b.ReportMetric(float64(h.Stop())/1e6, "peak-heap-MB")
			b.ReportMetric(float64(md), "md-bytes")
		})
	}
}
