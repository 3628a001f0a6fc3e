package cache_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// BenchmarkSaveFeedsCold100x500 is the writer's part of a cold sync of 100
// feeds × 500 items (issue 13): 50,000 new entries like those of
// scripts/feedserver (title, link, GUID, date, a teaser) stored into an
// empty cache in transactions of 15 feeds, as kiosk sync's writer batches
// them while feeds arrive. Reproduce with:
//
//	go test ./cache/ -run '^$' -bench SaveFeedsCold -benchtime 5x
func BenchmarkSaveFeedsCold100x500(b *testing.B) {
	benchSaveFeedsCold(b, nil)
}

// BenchmarkSaveFeedsColdNews100x500 is BenchmarkSaveFeedsCold100x500 with
// news-sized entries: each is an entry of the real heise Atom feed in
// testdata (its summary, authors and lead picture) made unique by title,
// GUID, link and date, as scripts/feedserver -like serves them.
//
//	go test ./cache/ -run '^$' -bench SaveFeedsColdNews -benchtime 5x
func BenchmarkSaveFeedsColdNews100x500(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "heise-atom-2024-10-24.xml"))
	if err != nil {
		b.Fatal(err)
	}
	_, like, err := fetch.ParseFeed("https://www.heise.de/rss/heise-atom.xml", raw)
	if err != nil || len(like) == 0 {
		b.Fatalf("parse the model feed: %d entries, %v", len(like), err)
	}
	benchSaveFeedsCold(b, like)
}

// benchSaveFeedsCold stores 100 feeds × 500 entries into empty caches in
// SaveFeeds calls of 15 feeds; like, when given, are the model entries.
func benchSaveFeedsCold(b *testing.B, like []fetch.Entry) {
	const feeds, items, batch = 100, 500, 15
	ctx := context.Background()
	at := time.Date(2026, 11, 29, 4, 0, 0, 0, time.UTC)
	start := time.Date(2024, 10, 24, 12, 0, 0, 0, time.UTC)
	results := make([]fetch.FeedResult, feeds)
	for f := range results {
		u := fmt.Sprintf("http://127.0.0.1:8080/feed%d.xml", f)
		res := fetch.FeedResult{Feed: fetch.Feed{URL: u, Title: fmt.Sprintf("Feed f%d", f), SiteURL: fmt.Sprintf("http://127.0.0.1:8080/f%d/", f)}, FetchedAt: at}
		for i := range items {
			guid := fmt.Sprintf("f%d-%d", f, i)
			link := fmt.Sprintf("http://127.0.0.1:8080/f%d/a/%d.html", f, i)
			e := fetch.Entry{
				Title:   fmt.Sprintf("f%d item %d", f, i),
				Summary: fmt.Sprintf("Teaser of item %d with some words so it looks like a real summary of an article.", i),
			}
			if like != nil {
				e = like[(f*items+i)%len(like)]
				e.Title = fmt.Sprintf("%s (f%d, %d)", e.Title, f, i)
			}
			e.ID, e.Feed, e.GUID, e.URL = fetch.EntryID(u, "", guid, link), u, guid, link
			e.Published, e.Updated = start.Add(-time.Duration(i)*time.Minute), time.Time{}
			res.Entries = append(res.Entries, e)
		}
		results[f] = res
	}
	dir := b.TempDir()
	n := 0
	defer reportCPU(b)()
	for b.Loop() {
		b.StopTimer()
		s, err := cache.Open(ctx, filepath.Join(dir, fmt.Sprintf("cold%d.db", n)))
		n++
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for i := 0; i < feeds; i += batch {
			for _, saved := range s.SaveFeeds(ctx, results[i:min(i+batch, feeds)]) {
				if saved.Err != nil || len(saved.NewIDs) != items {
					b.Fatalf("SaveFeeds = %d new, %v; want %d new", len(saved.NewIDs), saved.Err, items)
				}
			}
		}
		b.StopTimer()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
