package cache_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/cache/cachetest"
)

// The benchmarks run on a generated cache of benchEntries entries with
// 5 KB German bodies, built once under os.TempDir and reused (see
// cachetest.Shared). Reproduce with:
//
//	go test ./cache/ -run '^$' -bench . -benchtime 20x
const benchEntries = 100_000

func sharedStore(b *testing.B) (*cache.Store, string) {
	b.Helper()
	path := cachetest.Shared(b, benchEntries)
	s, err := cache.OpenReadOnly(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, path
}

// reportCPU reports the CPU time per iteration since start, a steadier
// figure than the wall clock when other work shares the machine. Call it
// with defer at the start of a benchmark, after its setup.
func reportCPU(b *testing.B) func() {
	start := cpuTime(b)
	return func() {
		b.ReportMetric(float64((cpuTime(b)-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkOpenListPage500 opens the cache and reads the newest 500 entries,
// as the TUI does on start.
func BenchmarkOpenListPage500(b *testing.B) {
	_, path := sharedStore(b)
	ctx := context.Background()
	defer reportCPU(b)()
	for b.Loop() {
		s, err := cache.OpenReadOnly(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		items, err := s.List(ctx, cache.Query{Limit: 500})
		if err != nil || len(items) != 500 {
			b.Fatalf("List = %d, %v", len(items), err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func benchList(b *testing.B, q cache.Query) {
	s, _ := sharedStore(b)
	ctx := context.Background()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := s.List(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListPage50(b *testing.B)   { benchList(b, cache.Query{}) }
func BenchmarkListDeepPage(b *testing.B) { benchList(b, cache.Query{Offset: 50_000, Limit: 50}) }
func BenchmarkListFeed(b *testing.B)     { benchList(b, cache.Query{Feed: cachetest.TelepolisFeed}) }
func BenchmarkListUnread(b *testing.B)   { benchList(b, cache.Query{Unread: true}) }
func BenchmarkListFeedUnread(b *testing.B) {
	benchList(b, cache.Query{Feed: cachetest.TelepolisFeed, Unread: true})
}
func BenchmarkListMatch(b *testing.B) { benchList(b, cache.Query{Match: "übertragung"}) }

func BenchmarkCount(b *testing.B) {
	for _, q := range []struct {
		name string
		q    cache.Query
	}{
		{"all", cache.Query{}},
		{"unread", cache.Query{Unread: true}},
		{"feed", cache.Query{Feed: cachetest.TelepolisFeed}},
		{"feed-unread", cache.Query{Feed: cachetest.TelepolisFeed, Unread: true}},
	} {
		b.Run(q.name, func(b *testing.B) {
			s, _ := sharedStore(b)
			defer reportCPU(b)()
			for b.Loop() {
				if _, err := s.Count(context.Background(), q.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchSearch(b *testing.B, query string, wantMin int) {
	s, _ := sharedStore(b)
	ctx := context.Background()
	defer reportCPU(b)()
	for b.Loop() {
		hits, err := s.Search(ctx, query, 20)
		if err != nil || len(hits) < wantMin {
			b.Fatalf("Search(%q) = %d hits, %v", query, len(hits), err)
		}
	}
}

// BenchmarkSearchRare searches a word in 1 % of the articles.
func BenchmarkSearchRare(b *testing.B) { benchSearch(b, cachetest.RareWord, 20) }

// BenchmarkSearchCommon searches a word in 90 % of the articles.
func BenchmarkSearchCommon(b *testing.B) { benchSearch(b, cachetest.CommonWord, 20) }

// BenchmarkSearchTwoWords searches two words, one common and one rare.
func BenchmarkSearchTwoWords(b *testing.B) {
	benchSearch(b, cachetest.CommonWord+" "+cachetest.BodyWord, 20)
}

// BenchmarkSearchPrefix searches a prefix of a common compound start.
func BenchmarkSearchPrefix(b *testing.B) { benchSearch(b, "Fernseh*", 20) }

// BenchmarkStoreBatch1000 stores 1,000 entries with their articles as one
// sync batch (SaveFeed per feed, then one SaveArticles) into a cache that
// already holds 10,000.
func BenchmarkStoreBatch1000(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "kiosk.db")
	s, err := cache.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := cachetest.Fill(ctx, s, 0, 10_000); err != nil {
		b.Fatal(err)
	}
	next := 10_000
	var cpu time.Duration
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		batch := cachetest.MakeBatch(next, next+1000)
		next += 1000
		cpu0 := cpuTime(b)
		b.StartTimer()
		if err := batch.Store(ctx, s); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime(b) - cpu0
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	if st, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(st.Size())/float64(next), "file-bytes/article")
	}
}

// cpuTime is the CPU time (user and system) the process used so far: on a
// shared machine a steadier measure than the wall clock.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFileSize reports the size of the generated cache per article.
func BenchmarkFileSize(b *testing.B) {
	s, path := sharedStore(b)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	n, err := s.Count(context.Background(), cache.Query{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
	}
	b.ReportMetric(float64(st.Size())/float64(n), "bytes/article")
	b.ReportMetric(float64(st.Size())/1e6, "MB")
}

// BenchmarkFeeds lists the feeds with their total and unread counts, as
// the TUI's feed list does.
func BenchmarkFeeds(b *testing.B) {
	s, _ := sharedStore(b)
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := s.Feeds(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkItem reads one entry by ID, as the reader does.
func BenchmarkItem(b *testing.B) {
	s, _ := sharedStore(b)
	for b.Loop() {
		if _, err := s.Item(context.Background(), cachetest.ID(54321)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkArticle reads one full article by ID.
func BenchmarkArticle(b *testing.B) {
	s, _ := sharedStore(b)
	for b.Loop() {
		if _, err := s.Article(context.Background(), cachetest.ID(54321)); err != nil {
			b.Fatal(err)
		}
	}
}
