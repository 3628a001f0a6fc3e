package cachetest

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

// feedsVersion changes whenever what BuildSharedFeeds generates or the
// stored form changes (2: new caches have 8 KiB pages).
const feedsVersion = 2

// FeedURL is the URL of generated feed f of FillFeeds.
func FeedURL(f int) string { return fmt.Sprintf("https://feeds.example/%03d/atom.xml", f) }

// FillFeeds stores n generated entries (without full articles) spread
// round-robin over the given number of feeds, as syncs of those feeds
// would, a few feeds per transaction. Feeds 3, 7, 11, … are then read in
// full, and feeds 7, 57, 107, … have a failed last fetch on top of their
// entries.
func FillFeeds(ctx context.Context, s *cache.Store, feeds, n int) error {
	per := (n + feeds - 1) / feeds
	const feedsPerTx = 25
	for start := 0; start < feeds; start += feedsPerTx {
		var batch []fetch.FeedResult
		for f := start; f < min(start+feedsPerTx, feeds); f++ {
			res := fetch.FeedResult{Feed: fetch.Feed{URL: FeedURL(f), Title: fmt.Sprintf("Feed %03d", f)}, FetchedAt: Base()}
			for k := 0; k < per; k++ {
				i := k*feeds + f
				if i >= n {
					break
				}
				e, _ := Entry(i)
				e.Feed = FeedURL(f)
				res.Entries = append(res.Entries, e)
			}
			batch = append(batch, res)
		}
		for _, saved := range s.SaveFeeds(ctx, batch) {
			if saved.Err != nil {
				return fmt.Errorf("store generated feeds: %w", saved.Err)
			}
		}
	}
	for f := 0; f < feeds; f++ {
		if f%4 == 3 {
			if _, err := s.MarkQueryRead(ctx, cache.Query{Feed: FeedURL(f)}); err != nil {
				return fmt.Errorf("mark generated feed read: %w", err)
			}
		}
		if f%50 == 7 {
			res := fetch.FeedResult{Feed: fetch.Feed{URL: FeedURL(f)}, FetchedAt: Base().Add(time.Hour),
				Err: fmt.Errorf("fetch feed %s: 503 Service Unavailable", FeedURL(f))}
			if _, err := s.SaveFeed(ctx, res); err != nil {
				return fmt.Errorf("store generated failure: %w", err)
			}
		}
	}
	return nil
}

// SharedFeeds returns the path of a generated cache of n entries in the
// given number of feeds (FillFeeds), built the first time under
// os.TempDir and reused later. Open it read-only or copy it.
func SharedFeeds(tb testing.TB, feeds, n int) string {
	tb.Helper()
	path, err := BuildSharedFeeds(context.Background(), feeds, n)
	if err != nil {
		tb.Fatalf("shared cache: %v", err)
	}
	return path
}

// BuildSharedFeeds is SharedFeeds without testing.TB.
func BuildSharedFeeds(ctx context.Context, feeds, n int) (string, error) {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("kiosk-bench-s%d-f%d-feeds%d-n%d.db", cache.SchemaVersion(), feedsVersion, feeds, n))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := buildOnce(ctx, path, func(s *cache.Store) error { return FillFeeds(ctx, s, feeds, n) }); err != nil {
		return "", err
	}
	return path, nil
}
