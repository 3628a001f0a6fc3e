package cache_test

import (
	"errors"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch"
)

func TestOverview(t *testing.T) {
	s := markStore(t)
	ctx := t.Context()
	for _, id := range []string{"h0", "h4", "t1"} {
		if err := s.SetRead(ctx, id, true); err != nil {
			t.Fatal(err)
		}
	}
	const broken = "https://broken.example/feed.xml"
	long := "fetch feed " + broken + ": 404 Not Found: " + "the server says the feed has moved to a new address that is much longer than a terminal line"
	if _, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: broken}, Err: errors.New(long)}); err != nil {
		t.Fatal(err)
	}
	ov, err := s.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 14 entries (h4 in both feeds counts once), 11 unread.
	if ov.Total != 14 || ov.Unread != 11 {
		t.Errorf("Overview all = %d/%d unread/total, want 11/14", ov.Unread, ov.Total)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.Feeds) != len(feeds) || len(feeds) != 3 {
		t.Fatalf("Overview lists %d feeds, Feeds %d, want 3", len(ov.Feeds), len(feeds))
	}
	for i, f := range ov.Feeds {
		if f != feeds[i] {
			t.Errorf("Overview feed %d = %+v, Feeds says %+v", i, f, feeds[i])
		}
	}
	want := map[string][2]int{broken: {0, 0}, heiseFeed: {8, 10}, tpFeed: {3, 5}}
	for _, f := range ov.Feeds {
		if got := [2]int{f.Unread, f.Total}; got != want[f.URL] {
			t.Errorf("%s: %d/%d unread/total, want %d/%d", f.URL, got[0], got[1], want[f.URL][0], want[f.URL][1])
		}
		if (f.URL == broken) != (f.LastError != "") {
			t.Errorf("%s: last error %q", f.URL, f.LastError)
		}
	}
	for _, f := range ov.Feeds {
		if f.URL == broken && f.LastError != long {
			t.Errorf("the broken feed's error = %q, want it whole: %q", f.LastError, long)
		}
	}
	empty, _ := openTemp(t)
	if ov, err := empty.Overview(ctx); err != nil || len(ov.Feeds) != 0 || ov.Total != 0 {
		t.Errorf("Overview of an empty cache = %+v, %v", ov, err)
	}
}
