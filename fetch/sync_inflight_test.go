package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestSyncBoundsFeedsInFlight holds the store's first write until the site
// has answered maxInflight feeds, and checks that no further feed is
// fetched while it waits: feeds fetched faster than they are stored wait
// unfetched, not in memory. Every feed is still stored in the end.
func TestSyncBoundsFeedsInFlight(t *testing.T) {
	site := newTestSite()
	n := maxInflight + 8
	var feeds []string
	for i := range n {
		path := fmt.Sprintf("/f%d.xml", i)
		site.set(path, "application/rss+xml", rssWithLinks(fmt.Sprintf("f%d", i), fmt.Sprintf("https://example.org/%d", i)))
		feeds = append(feeds, "https://example.org"+path)
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	served := func() int {
		total := 0
		for i := range n {
			ok, _ := site.count(fmt.Sprintf("/f%d.xml", i))
			total += ok
		}
		return total
	}
	var whileBlocked int
	store := &batchStore{memStore: newMemStore()}
	store.wait = func() {
		deadline := time.Now().Add(5 * time.Second)
		for served() < maxInflight && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond) // a chance for any further fetch to happen
		whileBlocked = served()
	}
	sum, err := (&Syncer{Client: testClient(srv), Store: store}).Run(t.Context(), feeds, nil)
	if err != nil || sum.FeedsOK != n || sum.NewEntries != n {
		t.Fatalf("Run = %+v, %v; want %d feeds with one entry each", sum, err, n)
	}
	if whileBlocked != maxInflight {
		t.Errorf("%d feeds fetched while the first write waited, want %d (maxInflight)", whileBlocked, maxInflight)
	}
}

// statesStore is a memStore that reads every feed's validators at once
// (FeedStatesStore) and counts the calls of each way.
type statesStore struct {
	*memStore
	single, batch atomic.Int32
	fail          bool // FeedStates fails
}

func (s *statesStore) FeedState(ctx context.Context, feedURL string) (FeedState, error) {
	s.single.Add(1)
	return s.memStore.FeedState(ctx, feedURL)
}

func (s *statesStore) FeedStates(ctx context.Context, feedURLs []string) (map[string]FeedState, error) {
	s.batch.Add(1)
	if s.fail {
		return nil, errors.New("database is locked")
	}
	out := map[string]FeedState{}
	for _, u := range feedURLs {
		st, err := s.memStore.FeedState(ctx, u)
		if err != nil {
			return nil, err
		}
		if st != (FeedState{}) {
			out[u] = st
		}
	}
	return out, nil
}

// TestSyncReadsStatesOnce syncs three feeds twice into a FeedStatesStore:
// the validators are read with one FeedStates call per run and no
// FeedState, and the second run's requests are conditional (every feed
// answers 304). When FeedStates fails, each feed asks FeedState.
func TestSyncReadsStatesOnce(t *testing.T) {
	site := newTestSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	var feeds []string
	for f := range 3 {
		site.set(fmt.Sprintf("/feed%d.xml", f), "application/rss+xml", rssWithLinks(fmt.Sprintf("Feed %d", f), fmt.Sprintf("https://example.org/%d", f)))
		feeds = append(feeds, srv.URL+fmt.Sprintf("/feed%d.xml", f))
	}
	store := &statesStore{memStore: newMemStore()}
	s := &Syncer{Client: testClient(srv), Store: store}
	for run, want := range []int{0, 3} {
		sum, err := s.Run(t.Context(), feeds, nil)
		if err != nil || sum.FeedsOK != 3 || sum.FeedsNotModified != want {
			t.Fatalf("run %d = %+v, %v; want 3 ok, %d not modified", run+1, sum, err, want)
		}
	}
	if b, one := store.batch.Load(), store.single.Load(); b != 2 || one != 0 {
		t.Errorf("FeedStates called %d times, FeedState %d; want 2 and 0", b, one)
	}
	store.fail = true
	sum, err := s.Run(t.Context(), feeds, nil)
	if err != nil || sum.FeedsNotModified != 3 {
		t.Fatalf("run with failing FeedStates = %+v, %v; want 3 not modified", sum, err)
	}
	if one := store.single.Load(); one != 3 {
		t.Errorf("after FeedStates failed, FeedState was called %d times, want 3", one)
	}
}
