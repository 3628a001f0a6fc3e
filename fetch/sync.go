package fetch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Defaults of a Syncer's zero fields.
const (
	DefaultConcurrency = 16 // requests in flight at once
	DefaultPerHost     = 4  // requests in flight per host
	DefaultMaxAttempts = 3  // article fetches before an entry is given up
	defaultBatch       = 50 // articles stored per transaction
	// DefaultMaxItems caps the items taken from one feed in one sync, the
	// newest first. Real feeds list 10 to a few hundred; an archive feed
	// of thousands still gives its newest 1000, and a hostile feed of
	// 150,000 items cannot make a sync store and fetch all of them.
	DefaultMaxItems = 1000
	// DefaultMaxArticles caps the full articles fetched in one sync, shared
	// fairly among the feeds; the rest are fetched by the next sync (and
	// the reader fetches any article it opens).
	DefaultMaxArticles = 1000
	// DefaultMaxRetryWait caps the wait before retrying a 429 or 503 within
	// a sync. A longer Retry-After fails the request at once (the next sync
	// tries again) and holds back the host's other requests of this sync,
	// instead of holding a connection slot for half a minute.
	DefaultMaxRetryWait = 5 * time.Second
)

// feedAccept is the Accept header of feed requests.
const feedAccept = "application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"

// pageAccept is the Accept header of article requests.
const pageAccept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

// ExtractFunc turns a fetched page into an Article; Extract is the usual one.
type ExtractFunc func(pageURL string, page []byte) (Article, error)

// FeedBatchStore is a Store that can store several feed results in one
// transaction; cache.Store is one. The Syncer then stores the feeds that
// finished while it was writing the previous ones together, which costs
// far less than a transaction per feed.
type FeedBatchStore interface {
	Store
	// SaveFeeds stores the results in order, each as SaveFeed would, and
	// returns SaveFeed's answer for each. One result's failure must not
	// lose another's entries.
	SaveFeeds(ctx context.Context, results []FeedResult) []SavedFeed
}

// FeedStatesStore is a Store that reads the validators of many feeds in
// one query; cache.Store is one. Run then asks once instead of once per
// feed: in a new process, each of the feeds asking at once made the
// database open a connection of its own (and read its schema), most of a
// warm sync's work.
type FeedStatesStore interface {
	Store
	// FeedStates returns the state of each of feedURLs the store knows,
	// by URL; the others have none yet (the zero FeedState).
	FeedStates(ctx context.Context, feedURLs []string) (map[string]FeedState, error)
}

// SavedFeed is what SaveFeed returned for one result of SaveFeeds.
type SavedFeed struct {
	NewIDs []string
	Err    error
}

// maxFeedBatch caps the feed results stored in one SaveFeeds call.
const maxFeedBatch = 64

// minBatchEntries and batchWait make a cold sync's transactions larger
// while feeds arrive slowly: a feed result with new entries that arrives
// while the writer is idle waits up to batchWait for more results until
// the batch holds minBatchEntries entries. Each transaction rewrites the
// index pages it touched and adds a segment to the full-text index, so
// storing 100 feeds × 500 news-sized entries one feed per transaction cost
// 2.0-2.3 s of the writer's CPU, 1.0-1.1 s 15 feeds at a time and
// 0.84-0.90 s 50 feeds at a time (cache's BenchmarkSaveFeedsColdNews100x500
// with those batch sizes). When feeds are parsed faster than they are
// stored, the batches grow by themselves (every result that arrived while
// a transaction ran goes into the next), and a longer wait only idles the
// writer at the start: a whole cold sync of 100 × 500 news-sized items took
// 1.13-1.17 s with 3,000 entries and 50 ms, 1.15-1.16 s with 100 ms, 1.23-1.35
// s with 8,000 entries and 100 ms, 1.17-1.20 s without waiting. Results
// without entries (a 304, a failure) never wait.
const (
	minBatchEntries = 3000
	batchWait       = 50 * time.Millisecond
)

// maxInflight caps the feeds fetched, parsed or waiting for the writer at
// once (or the Syncer's Concurrency when that is larger): a cold sync
// fetches and parses faster than SQLite stores, and every feed waiting
// held its entries (100 feeds × 500 entries: ~30 MB of live heap).
const maxInflight = 32

// Syncer fetches feeds and the full articles of their entries into a Store.
// Its zero limits mean the defaults above; Client and Store are required.
type Syncer struct {
	Client      *Client
	Store       Store
	Concurrency int  // requests in flight at once
	PerHost     int  // requests in flight per host
	MaxAttempts int  // an article that failed this often is not retried
	Articles    bool // also fetch the full article of every pending entry
	BatchSize   int  // articles stored per transaction
	MaxItems    int  // items taken per feed per sync, newest first; 0 means DefaultMaxItems
	// FeedMaxItems overrides MaxItems for single feeds, by feed URL.
	FeedMaxItems map[string]int
	MaxArticles  int // full articles fetched per sync; 0 means DefaultMaxArticles
	// Pictures also stores each fetched article's images (with a
	// PictureStore), bounded by PictureOptions; a failed picture never
	// fails its article.
	Pictures       bool
	PictureOptions PictureOptions
	// MaxRetryWait caps one wait before a retry of a 429 or 503; 0 means
	// DefaultMaxRetryWait. A longer Retry-After fails the request.
	MaxRetryWait time.Duration
	// Names maps feed URLs to the user's names for them (from the config),
	// stored as the feed's title instead of the title the feed gives itself.
	Names map[string]string
	// Extract turns an article page into an Article; nil means Extract.
	Extract ExtractFunc
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
	// StoredOnly fetches no feed: the entries are in the Store already
	// (a feed server's sync put them there), and Run only fetches the
	// full articles of the given feeds' pending entries.
	StoredOnly bool
}

// Run syncs the given feeds: a conditional GET of each, concurrently within
// the global and per-host limits, every result stored with SaveFeed (or
// SaveFeeds, see FeedBatchStore); when s.Articles is set, the full article
// of every pending entry of a feed, fetched as soon as that feed is stored,
// each URL once, at most MaxArticles shared fairly among the feeds. A
// failure is recorded on its feed or entry and never stops the rest.
// progress, when not nil, receives the events in order from one goroutine
// at a time. Run returns an error only when every feed failed or ctx was
// cancelled; the Summary is valid either way.
func (s *Syncer) Run(ctx context.Context, feedURLs []string, progress func(Event)) (Summary, error) {
	start := s.now()
	r := &syncRun{s: s, progress: progress, lim: newHostLimiter(s.concurrency(), s.perHost(), s.now), saves: make(chan feedSave),
		parsing: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1)), inflight: make(chan struct{}, max(maxInflight, s.concurrency()))}
	feeds := dedupeURLs(feedURLs)
	r.emit(Event{Kind: EventStart, Total: len(feeds)})
	if fs, ok := s.Store.(FeedStatesStore); ok && len(feeds) > 1 && !s.StoredOnly {
		// On an error each feed asks FeedState itself, and reports
		// the error on its feed if it persists.
		if states, err := fs.FeedStates(ctx, feeds); err == nil {
			r.states = states
		}
	}

	if s.Articles && len(feeds) > 0 {
		r.startArticles(ctx, len(feeds))
	}
	// One goroutine stores what the feed goroutines fetched.
	stored := make(chan struct{})
	go func() {
		defer close(stored)
		r.storeFeeds(context.WithoutCancel(ctx), r.saves)
	}()

	var feedErrs []error
	var wg sync.WaitGroup
	for _, u := range feeds {
		wg.Go(func() {
			if err := r.syncFeed(ctx, u, len(feeds)); err != nil {
				r.mu.Lock()
				feedErrs = append(feedErrs, err)
				r.mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(r.saves)
	<-stored

	if r.arts != nil {
		r.finishArticles(ctx)
	}

	r.sum.Duration = s.now().Sub(start)
	// Feed failures first, then articles, each by URL: the same run reads the same.
	slices.SortStableFunc(r.sum.Failures, func(a, b Failure) int {
		return cmp.Or(cmp.Compare(failureKind(a), failureKind(b)), strings.Compare(a.Feed, b.Feed), strings.Compare(a.URL, b.URL))
	})
	sum := r.sum
	r.emit(Event{Kind: EventDone, Summary: &sum})
	if err := ctx.Err(); err != nil {
		return sum, fmt.Errorf("sync: %w", err)
	}
	if len(feeds) > 0 && len(feedErrs) == len(feeds) {
		return sum, fmt.Errorf("sync: all %d feeds failed: %w", len(feeds), errors.Join(firstErrs(feedErrs, 3)...))
	}
	return sum, nil
}

// syncRun is the state of one Run.
type syncRun struct {
	s        *Syncer
	progress func(Event)
	lim      *hostLimiter

	mu        sync.Mutex // guards sum, the done counters and calls of progress
	sum       Summary
	feedsDone int
	artsDone  int

	storeMu sync.Mutex    // one write transaction at a time
	saves   chan feedSave // to storeFeeds
	// states are the feeds' validators read before the fetches (see
	// FeedStatesStore); nil when each feed asks the store itself.
	states map[string]FeedState
	// parsing bounds the feeds parsed at once to the CPUs but one: parsing
	// is CPU work, and 100 feeds fetched at once parsed side by side each
	// held their parser's garbage at the same time (a cold sync of 100 ×
	// 500 peaked at 140 MB RSS). The one left is the writer's (storeFeeds),
	// the slowest step of a cold sync: with as many parsers as CPUs it
	// shared its CPU with them, and a cold sync of 100 × 500 took 10 %
	// longer (0.97-1.02 s against 0.91-0.92 s on 2 CPUs).
	parsing chan struct{}
	// inflight bounds the feeds between the start of their fetch and the
	// end of their store (see syncFeed) to maxInflight.
	inflight chan struct{}
	arts     *articlePass // nil without Syncer.Articles
}

// feedSave asks storeFeeds to store one feed result and to send the outcome to reply.
type feedSave struct {
	res   FeedResult
	reply chan SavedFeed
}

// emit sends an event to the progress callback, one at a time.
func (r *syncRun) emit(ev Event) {
	if r.progress == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.progress(ev)
}

// syncFeed fetches, parses and stores one feed. The returned error is also
// recorded in the summary, on the feed in the store, and in an event.
func (r *syncRun) syncFeed(ctx context.Context, feedURL string, total int) error {
	var res FeedResult
	var bytes int64
	var err error
	// A feed holds a slot from before its fetch until it is stored, so
	// that feeds fetched faster than the writer stores them wait unfetched
	// instead of in memory.
	held := false
	select {
	case r.inflight <- struct{}{}:
		held = true
		res, bytes, err = r.fetchFeed(ctx, feedURL)
	case <-ctx.Done():
		res = FeedResult{Feed: Feed{URL: feedURL}, FetchedAt: r.s.now()}
		err = fmt.Errorf("fetch feed: %w", ctx.Err())
	}
	if err != nil {
		res.Err = err
	}
	var newIDs []string
	if ctx.Err() == nil || err == nil {
		reply := make(chan SavedFeed, 1)
		r.saves <- feedSave{res: res, reply: reply}
		saved := <-reply
		if saved.Err != nil {
			err = errors.Join(err, fmt.Errorf("store feed %s: %w", feedURL, saved.Err))
		}
		newIDs = saved.NewIDs
	}
	if held {
		<-r.inflight
	}

	r.mu.Lock()
	r.feedsDone++
	ev := Event{Kind: EventFeedDone, Feed: feedURL, Title: res.Feed.Title, New: len(newIDs), Done: r.feedsDone, Total: total, Bytes: bytes, Err: err}
	r.sum.Bytes += bytes
	if err != nil {
		r.sum.FeedsFailed++
		r.sum.Failures = append(r.sum.Failures, Failure{Feed: feedURL, Err: err})
	} else {
		r.sum.FeedsOK++
		r.sum.NewEntries += len(newIDs)
		if res.NotModified {
			r.sum.FeedsNotModified++
		}
	}
	for _, n := range res.Notices {
		r.sum.Notices = append(r.sum.Notices, Notice{Feed: feedURL, Text: n})
	}
	if r.progress != nil {
		r.progress(ev)
	}
	r.mu.Unlock()
	if err == nil && r.arts != nil && ctx.Err() == nil {
		r.queueArticles(ctx, feedURL)
	}
	return err
}

// storeFeeds stores feed results until saves is closed, one transaction at
// a time. With a FeedBatchStore, every result that arrived while the
// previous transaction ran goes into the next one (up to maxFeedBatch), so
// a slow writer stores more per transaction instead of falling behind.
func (r *syncRun) storeFeeds(ctx context.Context, saves <-chan feedSave) {
	bs, batching := r.s.Store.(FeedBatchStore)
	for first := range saves {
		batch := []feedSave{first}
		entries := len(first.res.Entries)
		var wait *time.Timer
	more:
		for batching && len(batch) < min(maxFeedBatch, cap(r.inflight)) {
			var fs feedSave
			var ok bool
			select {
			case fs, ok = <-saves: // queued already
			default:
				if entries == 0 || entries >= minBatchEntries {
					break more
				}
				// Too few entries for a transaction of their own: wait a
				// little for the feeds being parsed.
				if wait == nil {
					wait = time.NewTimer(batchWait)
				}
				select {
				case fs, ok = <-saves:
				case <-wait.C:
					break more
				}
			}
			if !ok {
				break more
			}
			batch = append(batch, fs)
			entries += len(fs.res.Entries)
		}
		if wait != nil {
			wait.Stop()
		}
		r.storeMu.Lock()
		var saved []SavedFeed
		if len(batch) > 1 {
			results := make([]FeedResult, len(batch))
			for i, fs := range batch {
				results[i] = fs.res
			}
			saved = bs.SaveFeeds(ctx, results)
		} else {
			ids, err := r.s.Store.SaveFeed(ctx, first.res)
			saved = []SavedFeed{{NewIDs: ids, Err: err}}
		}
		r.storeMu.Unlock()
		for i, fs := range batch {
			if i < len(saved) {
				fs.reply <- saved[i]
			} else {
				fs.reply <- SavedFeed{Err: fmt.Errorf("store answered %d of %d feeds", len(saved), len(batch))}
			}
		}
	}
}

// fetchFeed does the conditional GET and the parse. On failure the result
// still carries the feed URL and its old validators, so storing it records
// the error and changes nothing else.
func (r *syncRun) fetchFeed(ctx context.Context, feedURL string) (FeedResult, int64, error) {
	res := FeedResult{Feed: Feed{URL: feedURL}}
	if r.s.StoredOnly {
		res.NotModified, res.FetchedAt = true, r.s.now()
		return res, 0, nil
	}
	st := r.states[feedURL]
	if r.states == nil {
		var err error
		if st, err = r.s.Store.FeedState(ctx, feedURL); err != nil {
			res.FetchedAt = r.s.now()
			return res, 0, fmt.Errorf("read state of feed %s: %w", feedURL, err)
		}
	}
	res.Feed.ETag, res.Feed.LastModified = st.ETag, st.LastModified

	resp, err := r.get(ctx, Request{URL: feedURL, ETag: st.ETag, LastModified: st.LastModified, Accept: feedAccept})
	res.FetchedAt = r.s.now()
	if err != nil {
		return res, 0, fmt.Errorf("fetch feed: %w", err)
	}
	if resp.NotModified {
		res.NotModified = true
		if resp.ETag != "" {
			res.Feed.ETag = resp.ETag
		}
		if resp.LastModified != "" {
			res.Feed.LastModified = resp.LastModified
		}
		return res, resp.Bytes, nil
	}
	r.parsing <- struct{}{}
	feed, entries, fix, err := parseFeedFix(feedURL, resp.URL, resp.Body)
	<-r.parsing
	if err != nil {
		return res, resp.Bytes, err
	}
	if fix.truncated {
		res.Notices = append(res.Notices, fmt.Sprintf("the feed was cut off; kept its %d complete entries", len(entries)))
	}
	if fix.flattened {
		res.Notices = append(res.Notices, fmt.Sprintf("elements nested deeper than %d levels lost their markup", maxFeedDepth))
	}
	// A date in the future is as implausible as none: the cache's first-seen time is better.
	limit := res.FetchedAt.Add(48 * time.Hour)
	for i := range entries {
		if entries[i].Published.After(limit) {
			entries[i].Published = time.Time{}
		}
		if entries[i].Updated.After(limit) {
			entries[i].Updated = time.Time{}
		}
	}
	if limit := r.s.maxItems(feedURL); len(entries) > limit || fix.skipped > 0 {
		res.Notices = append(res.Notices, fmt.Sprintf("the feed lists %d items; took the newest %d (max_items)", max(fix.items, len(entries)), min(limit, len(entries))))
		if fix.skipped > 0 {
			res.Notices = append(res.Notices, fmt.Sprintf("only the first %d items were read", maxFeedItems))
		}
		if len(entries) > limit {
			entries = newestEntries(entries, limit)
		}
	}
	feed.ETag, feed.LastModified = resp.ETag, resp.LastModified
	if name := CleanLine(r.s.Names[feedURL]); name != "" {
		feed.Title = name
	}
	res.Feed, res.Entries = feed, entries
	return res, resp.Bytes, nil
}

func (s *Syncer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// The limits below: a field's value when positive, else its default.

func (s *Syncer) concurrency() int { return cmp.Or(max(s.Concurrency, 0), DefaultConcurrency) }

func (s *Syncer) perHost() int { return cmp.Or(max(s.PerHost, 0), DefaultPerHost) }

func (s *Syncer) maxAttempts() int { return cmp.Or(max(s.MaxAttempts, 0), DefaultMaxAttempts) }

func (s *Syncer) maxItems(feedURL string) int {
	return cmp.Or(max(s.FeedMaxItems[feedURL], 0), max(s.MaxItems, 0), DefaultMaxItems)
}

func (s *Syncer) maxArticles() int { return cmp.Or(max(s.MaxArticles, 0), DefaultMaxArticles) }

func (s *Syncer) maxRetryWait() time.Duration {
	return cmp.Or(max(s.MaxRetryWait, 0), DefaultMaxRetryWait)
}

// newestEntries returns the n newest entries, in their feed order. Entries
// without a date count as older than any dated one, in feed order.
func newestEntries(entries []Entry, n int) []Entry {
	idx := make([]int, len(entries))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ta, tb := entries[a].Published, entries[b].Published
		switch {
		case ta.IsZero() != tb.IsZero():
			if ta.IsZero() {
				return 1
			}
			return -1
		}
		return tb.Compare(ta)
	})
	idx = idx[:n]
	slices.Sort(idx)
	out := make([]Entry, n)
	for i, k := range idx {
		out[i] = entries[k]
	}
	return out
}

func (s *Syncer) extract() ExtractFunc {
	if s.Extract != nil {
		return s.Extract
	}
	return Extract
}

// failureKind orders failures: store errors, feeds, then articles.
func failureKind(f Failure) int {
	switch {
	case f.Feed == "" && f.URL == "":
		return 0
	case f.URL == "":
		return 1
	}
	return 2
}

// dedupeURLs returns the trimmed, non-empty URLs in their first order.
func dedupeURLs(urls []string) []string {
	seen := make(map[string]bool, len(urls))
	out := make([]string, 0, len(urls))
	for _, u := range urls {
		u = strings.TrimSpace(u)
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, u)
	}
	return out
}

func firstErrs(errs []error, n int) []error {
	if len(errs) > n {
		return errs[:n]
	}
	return errs
}
