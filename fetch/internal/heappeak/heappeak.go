// Package heappeak samples the live heap for tests and benchmarks: a cheap
// stand-in for peak RSS that fetch's and extract's bounds are checked with.
package heappeak

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// Sampler samples the live heap while it runs and reports the highest
// value seen: a cheap stand-in for peak RSS in a benchmark.
type Sampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

// Start starts sampling every 200 µs, after a GC so that earlier
// garbage does not count.
func Start() *Sampler {
	runtime.GC()
	h := &Sampler{stop: make(chan struct{})}
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
func (h *Sampler) Stop() uint64 {
	close(h.stop)
	h.done.Wait()
	return h.peak
}
