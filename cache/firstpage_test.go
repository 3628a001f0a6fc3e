package cache_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/cache/cachetest"
)

// TestFirstPage: FirstPage gives what List and Count give, and leaves the
// connection it read on with the page cache it had.
func TestFirstPage(t *testing.T) {
	ctx := t.Context()
	s, err := cache.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	if err := cachetest.Fill(ctx, s, 0, 300); err != nil {
		t.Fatal(err)
	}
	cache.OneConnection(s) // FirstPage's connection is the one read below
	before, err := cache.PageCacheSize(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []cache.Query{{Limit: 30}, {Limit: 30, Unread: true}, {Limit: 500}} {
		items, n, err := s.FirstPage(ctx, q)
		if err != nil {
			t.Fatalf("FirstPage(%+v): %v", q, err)
		}
		want, err := s.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		wantN, err := s.Count(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		same := func(a, b cache.Item) bool {
			return a.ID == b.ID && a.Title == b.Title && slices.Equal(a.FeedTitles, b.FeedTitles)
		}
		if !slices.EqualFunc(items, want, same) || n != wantN {
			t.Errorf("FirstPage(%+v) = %d items, count %d; List and Count give %d, %d", q, len(items), n, len(want), wantN)
		}
	}
	after, err := cache.PageCacheSize(s)
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("cache_size after FirstPage = %d, want the %d it had", after, before)
	}
}
