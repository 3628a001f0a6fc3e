package fetch

import (
	"context"
	"slices"
	"sync"
)

// memStore is an in-memory Store with the semantics the cache promises:
// entries are upserted and never deleted by a fetch, a failed or 304 result
// only records the error or the validators, and an entry's article is
// pending until fetched (or failed maxAttempts times).
type memStore struct {
	mu       sync.Mutex
	feeds    map[string]*memFeed
	entries  map[string]Entry
	order    []string // entry IDs in first-seen order
	articles map[string]*Article
	attempts map[string]int
	lastErr  map[string]error // per entry
	results  []FeedResult     // every SaveFeed call, entries dropped
	saves    int              // SaveArticles calls
}

type memFeed struct {
	feed    Feed
	err     error
	entries []string
}

func newMemStore() *memStore {
	return &memStore{
		feeds:    map[string]*memFeed{},
		entries:  map[string]Entry{},
		articles: map[string]*Article{},
		attempts: map[string]int{},
		lastErr:  map[string]error{},
	}
}

func (m *memStore) FeedState(ctx context.Context, feedURL string) (FeedState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.feeds[feedURL]
	if !ok {
		return FeedState{}, nil
	}
	return FeedState{ETag: f.feed.ETag, LastModified: f.feed.LastModified}, nil
}

func (m *memStore) SaveFeed(ctx context.Context, res FeedResult) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	rec := res
	rec.Entries = nil
	m.results = append(m.results, rec)
	f, ok := m.feeds[res.Feed.URL]
	if !ok {
		f = &memFeed{feed: Feed{URL: res.Feed.URL}}
		m.feeds[res.Feed.URL] = f
	}
	f.err = res.Err
	if res.Err != nil {
		return nil, nil
	}
	f.feed.ETag, f.feed.LastModified = res.Feed.ETag, res.Feed.LastModified
	if res.NotModified {
		return nil, nil
	}
	if res.Feed.Title != "" {
		f.feed.Title = res.Feed.Title
	}
	var newIDs []string
	for _, e := range res.Entries {
		old, ok := m.entries[e.ID]
		if !ok {
			newIDs = append(newIDs, e.ID)
			m.order = append(m.order, e.ID)
		} else if old.URL != e.URL || old.Title != e.Title {
			delete(m.articles, e.ID) // changed in the feed: fetch again
			m.attempts[e.ID] = 0
		}
		m.entries[e.ID] = e
		if !slices.Contains(f.entries, e.ID) {
			f.entries = append(f.entries, e.ID)
		}
	}
	return newIDs, nil
}

func (m *memStore) PendingArticles(ctx context.Context, feedURLs []string, maxAttempts int) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Entry
	for _, id := range m.order {
		e := m.entries[id]
		if len(feedURLs) > 0 && !slices.Contains(feedURLs, e.Feed) {
			continue
		}
		if m.articles[id] != nil || m.attempts[id] >= maxAttempts {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

func (m *memStore) SaveArticles(ctx context.Context, results []ArticleResult) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.saves++
	for _, r := range results {
		if r.Err != nil {
			m.attempts[r.EntryID]++
			m.lastErr[r.EntryID] = r.Err
			continue
		}
		m.articles[r.EntryID] = r.Article
		delete(m.lastErr, r.EntryID)
	}
	return nil
}

// feedEntries returns the stored entries of a feed.
func (m *memStore) feedEntries(feedURL string) []Entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.feeds[feedURL]
	if !ok {
		return nil
	}
	out := make([]Entry, 0, len(f.entries))
	for _, id := range f.entries {
		out = append(out, m.entries[id])
	}
	return out
}

func (m *memStore) feedErr(feedURL string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.feeds[feedURL]; ok {
		return f.err
	}
	return nil
}
