package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// batchStore is a memStore that also stores several feeds at once. Its
// first SaveFeed waits until the site has answered every feed, so that the
// other results queue up behind it; a feed whose URL contains "refuse"
// fails, in SaveFeed and in SaveFeeds.
type batchStore struct {
	*memStore
	wait    func()
	mu      sync.Mutex
	first   bool
	singles int
	batches [][]string // feed URLs of each SaveFeeds call
}

func (b *batchStore) SaveFeed(ctx context.Context, res FeedResult) ([]string, error) {
	b.mu.Lock()
	first := !b.first
	b.first = true
	b.singles++
	b.mu.Unlock()
	if first && b.wait != nil {
		b.wait()
	}
	if strings.Contains(res.Feed.URL, "refuse") {
		return nil, errors.New("refused by the store")
	}
	return b.memStore.SaveFeed(ctx, res)
}

func (b *batchStore) SaveFeeds(ctx context.Context, results []FeedResult) []SavedFeed {
	b.mu.Lock()
	first := !b.first
	b.first = true
	b.mu.Unlock()
	if first && b.wait != nil {
		b.wait()
	}
	var urls []string
	out := make([]SavedFeed, len(results))
	for i, res := range results {
		urls = append(urls, res.Feed.URL)
		if strings.Contains(res.Feed.URL, "refuse") {
			out[i].Err = errors.New("refused by the store")
			continue
		}
		out[i].NewIDs, out[i].Err = b.memStore.SaveFeed(ctx, res)
	}
	b.mu.Lock()
	b.batches = append(b.batches, urls)
	b.mu.Unlock()
	return out
}

// TestSyncBatchesFeeds checks that with a FeedBatchStore the feeds that
// finish while one is being stored go to the store together, that every
// feed is stored exactly once with its new entries counted, and that the
// feeds the store refuses fail alone. Two are refused, so that at least
// one of them is in a batch whichever feed comes first.
func TestSyncBatchesFeeds(t *testing.T) {
	site := newTestSite()
	const n = 8
	var feeds []string
	for i := range n {
		name := fmt.Sprintf("f%d", i)
		if i == 2 || i == 5 {
			name = fmt.Sprintf("refuse%d", i)
		}
		path := "/" + name + ".xml"
		site.set(path, "application/rss+xml", rssWithLinks(name, fmt.Sprintf("https://example.org/%s/1", name), fmt.Sprintf("https://example.org/%s/2", name)))
		feeds = append(feeds, "https://example.org"+path)
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	store := &batchStore{memStore: newMemStore()}
	store.wait = func() {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			served := 0
			for _, u := range feeds {
				ok, _ := site.count(strings.TrimPrefix(u, "https://example.org"))
				served += ok
			}
			if served == n {
				break
			}
			time.Sleep(time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond) // time for the other feeds to be parsed and queued
	}
	var events []Event
	sum, err := (&Syncer{Client: testClient(srv), Store: store}).Run(t.Context(), feeds, func(ev Event) {
		if ev.Kind == EventFeedDone {
			events = append(events, ev)
		}
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if sum.FeedsOK != n-2 || sum.FeedsFailed != 2 || sum.NewEntries != 2*(n-2) {
		t.Errorf("summary = %+v", sum)
	}
	for _, f := range sum.Failures {
		if !strings.Contains(f.Feed, "refuse") || !strings.Contains(f.Err.Error(), "refused by the store") {
			t.Errorf("failure %+v", f)
		}
	}
	stored := store.singles
	largest, refusedInBatch := 0, 0
	for _, b := range store.batches {
		stored += len(b)
		largest = max(largest, len(b))
		for _, u := range b {
			if strings.Contains(u, "refuse") {
				refusedInBatch++
			}
		}
	}
	if stored != n || len(events) != n {
		t.Errorf("%d feeds stored, %d events; want %d", stored, len(events), n)
	}
	if largest < 2 {
		t.Errorf("batches %v: the feeds that finished during the first write were not stored together", store.batches)
	}
	if refusedInBatch == 0 {
		t.Errorf("batches %v: no refused feed was stored in a batch", store.batches)
	}
	for _, u := range feeds {
		if strings.Contains(u, "refuse") {
			continue
		}
		if got := len(store.feedEntries(u)); got != 2 {
			t.Errorf("feed %s: %d entries stored, want 2", u, got)
		}
	}
	for _, ev := range events {
		if want := 2; ev.Err == nil && ev.New != want {
			t.Errorf("event for %s: New = %d, want %d", ev.Feed, ev.New, want)
		}
	}
}

// TestSyncCoalescesFeedsWithEntries checks that feeds with new entries
// that finish one after another, a few milliseconds apart, are stored in
// one transaction instead of one each (see minBatchEntries), and that a
// sync whose feeds all answer 304 still stores each as it comes.
func TestSyncCoalescesFeedsWithEntries(t *testing.T) {
	site := newTestSite()
	const n = 5
	var feeds []string
	for i := range n {
		path := fmt.Sprintf("/f%d.xml", i)
		site.set(path, "application/rss+xml", rssWithLinks(fmt.Sprintf("f%d", i), fmt.Sprintf("https://example.org/%d/1", i)))
		feeds = append(feeds, "https://example.org"+path)
	}
	// Feed i answers 8·i ms late: without waiting for more, the writer
	// would store each on its own as it arrives.
	var stagger atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/f%d.xml", &i); err == nil && stagger.Load() {
			time.Sleep(time.Duration(i) * 8 * time.Millisecond)
		}
		site.ServeHTTP(w, r)
	}))
	defer srv.Close()
	stagger.Store(true)
	store := &batchStore{memStore: newMemStore()}
	sum, err := (&Syncer{Client: testClient(srv), Store: store}).Run(t.Context(), feeds, nil)
	if err != nil || sum.NewEntries != n {
		t.Fatalf("Run = %+v, %v; want %d new entries", sum, err, n)
	}
	if calls := store.singles + len(store.batches); calls > 2 {
		t.Errorf("%d feeds with new entries stored in %d transactions (%d alone, batches %v); want them together", n, calls, store.singles, store.batches)
	}

	// All 304: nothing to wait for, each result is stored as it comes.
	store.singles, store.batches = 0, nil
	sum, err = (&Syncer{Client: testClient(srv), Store: store}).Run(t.Context(), feeds, nil)
	if err != nil || sum.FeedsNotModified != n {
		t.Fatalf("second Run = %+v, %v; want %d feeds not modified", sum, err, n)
	}
	if calls := store.singles + len(store.batches); calls < 3 {
		t.Errorf("%d unchanged feeds 8 ms apart stored in %d transactions (%d alone, batches %v); want each as it came", n, calls, store.singles, store.batches)
	}
}
