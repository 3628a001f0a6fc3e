package cache_test

import (
	"testing"

	"github.com/kiosk-reader/kiosk/fetch"
)

// TestFeedStates reads the validators of several feeds at once: the stored
// ones by the URL as asked (spaces around it included), none for a feed
// the cache does not know, and the same answer FeedState gives one by one.
func TestFeedStates(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	saveFeed(t, s, heiseFeed, "heise online", t0, entry("1", "Eins", t0))
	if _, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: fetch.Feed{URL: tpFeed, ETag: `"tp"`}, NotModified: true, FetchedAt: t0}); err != nil {
		t.Fatal(err)
	}
	unknown := "https://example.org/new.xml"
	got, err := s.FeedStates(ctx, []string{" " + heiseFeed, tpFeed, unknown})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Errorf("FeedStates = %v; want two feeds", got)
	}
	for asked, url := range map[string]string{" " + heiseFeed: heiseFeed, tpFeed: tpFeed} {
		one, err := s.FeedState(ctx, url)
		if err != nil || got[asked] != one || one == (fetch.FeedState{}) {
			t.Errorf("FeedStates[%q] = %+v, FeedState = %+v, %v", asked, got[asked], one, err)
		}
	}
	if st, ok := got[unknown]; ok {
		t.Errorf("FeedStates[%s] = %+v; want none", unknown, st)
	}
}
