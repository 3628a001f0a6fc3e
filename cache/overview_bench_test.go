package cache_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/cache/cachetest"
)

// The routine's benchmarks (feeds overview, mark all read, next unread) run
// on generated caches without full articles, built once under os.TempDir
// (cachetest.SharedFeeds). Reproduce with:
//
//	go test ./cache/ -run '^$' -bench 'Overview|MarkAll|Undo|NextUnread' -benchtime 20x
const (
	overviewFeeds   = 500
	overviewEntries = 200_000
)

func overviewStore(b *testing.B) *cache.Store {
	b.Helper()
	s, err := cache.OpenReadOnly(context.Background(), cachetest.SharedFeeds(b, overviewFeeds, overviewEntries))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkOverview reads what the feeds overview shows (Overview: every
// feed with its counts and last error, and the counts of all feeds) for
// 500 feeds and 200,000 entries. The target is 20 ms. "feeds-and-counts"
// is the same from Feeds and two Counts, for comparison.
func BenchmarkOverview(b *testing.B) {
	b.Run("overview", func(b *testing.B) {
		s := overviewStore(b)
		ctx := context.Background()
		defer reportCPU(b)()
		for b.Loop() {
			ov, err := s.Overview(ctx)
			if err != nil || len(ov.Feeds) != overviewFeeds || ov.Total != overviewEntries {
				b.Fatalf("Overview = %d feeds, %d entries, %v", len(ov.Feeds), ov.Total, err)
			}
		}
	})
	b.Run("feeds-and-counts", func(b *testing.B) {
		s := overviewStore(b)
		ctx := context.Background()
		defer reportCPU(b)()
		for b.Loop() {
			feeds, err := s.Feeds(ctx)
			if err != nil || len(feeds) != overviewFeeds {
				b.Fatalf("Feeds = %d feeds, %v", len(feeds), err)
			}
			for _, q := range []cache.Query{{}, {Unread: true}} {
				if _, err := s.Count(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// writableCopy copies a shared cache into the benchmark's temp dir.
func writableCopy(b *testing.B, shared string) *cache.Store {
	b.Helper()
	path := filepath.Join(b.TempDir(), "kiosk.db")
	in, err := os.Open(shared)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	s, err := cache.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkMarkAllRead marks a view of 50,000 unread entries (two feeds,
// all of them) read; the undo after each runs outside the timer. The
// target is 200 ms.
func BenchmarkMarkAllRead(b *testing.B) {
	s := writableCopy(b, cachetest.SharedFeeds(b, 2, 50_000))
	ctx := context.Background()
	var cpu int64
	for b.Loop() {
		c0 := cpuTime(b)
		ids, err := s.MarkQueryRead(ctx, cache.Query{})
		cpu += int64(cpuTime(b) - c0)
		if err != nil || len(ids) != 50_000 {
			b.Fatalf("MarkQueryRead = %d IDs, %v", len(ids), err)
		}
		b.StopTimer()
		if _, err := s.SetReadIDs(ctx, ids, false); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkUndoMarkAll marks the 50,000 entries of a mark-all unread
// again, by ID, as ctrl+z does; the mark-all before each runs outside the
// timer.
func BenchmarkUndoMarkAll(b *testing.B) {
	s := writableCopy(b, cachetest.SharedFeeds(b, 2, 50_000))
	ctx := context.Background()
	var cpu int64
	for b.Loop() {
		b.StopTimer()
		ids, err := s.MarkQueryRead(ctx, cache.Query{})
		if err != nil || len(ids) != 50_000 {
			b.Fatalf("MarkQueryRead = %d IDs, %v", len(ids), err)
		}
		b.StartTimer()
		c0 := cpuTime(b)
		changed, err := s.SetReadIDs(ctx, ids, false)
		cpu += int64(cpuTime(b) - c0)
		if err != nil || len(changed) != len(ids) {
			b.Fatalf("SetReadIDs = %d, %v", len(changed), err)
		}
	}
	b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkNextUnread finds the next unread entry after one deep in the
// list of all feeds (its offset is counted) and in one feed, in the
// 200,000-entry cache.
func BenchmarkNextUnread(b *testing.B) {
	for _, bc := range []struct {
		name string
		q    cache.Query
		from string
	}{
		{"all-top", cache.Query{}, ""},
		{"all-deep", cache.Query{}, cachetest.ID(150_000)},
		{"feed-deep", cache.Query{Feed: cachetest.FeedURL(2)}, cachetest.ID(150_002)},
		{"read-feed", cache.Query{Feed: cachetest.FeedURL(3)}, ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := overviewStore(b)
			ctx := context.Background()
			defer reportCPU(b)()
			for b.Loop() {
				_, _, err := s.NextUnread(ctx, bc.q, bc.from, false)
				if err != nil && bc.name != "read-feed" {
					b.Fatal(err)
				}
			}
		})
	}
}
