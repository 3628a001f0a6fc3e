package fetch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
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
		parsing: make(chan struct{}, runtime.GOMAXPROCS(0)), inflight: make(chan struct{}, max(maxInflight, s.concurrency()))}
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
	// parsing bounds the feeds parsed at once to the CPUs: parsing is CPU
	// work, and 100 feeds fetched at once parsed side by side each held
	// their parser's garbage at the same time (a cold sync of 100 × 500
	// peaked at 140 MB RSS).
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
	more:
		for batching && len(batch) < maxFeedBatch {
			select {
			case fs, ok := <-saves:
				if !ok {
					break more
				}
				batch = append(batch, fs)
			default:
				break more
			}
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

// articleJob is one article URL and every entry that points to it. done,
// art and err are set under syncRun.mu when the fetch has ended, so that an
// entry of another feed with the same URL takes the result instead of a
// second fetch.
type articleJob struct {
	url     string
	feed    string
	title   string
	entries []string
	done    bool
	art     *Article
	err     error
	// pictures are the image URLs of the fetched article, for entries
	// that join the job after it is done.
	pictures []string
}

// articlePass is the state of a Run's article pass, which starts with each
// feed as soon as that feed is stored: one slow feed does not hold back the
// articles of the others. Fields other than the channels are guarded by
// syncRun.mu.
type articlePass struct {
	wg       sync.WaitGroup
	results  chan []ArticleResult
	saved    chan struct{}
	jobs     map[string]*articleJob // by article URL
	total    int                    // articles queued so far
	budget   int                    // articles this sync may still start
	share    int                    // articles one feed may start before every feed had its turn
	deferred map[string][]Entry     // pending entries over a feed's share, by feed
	order    []string               // feeds with deferred entries, in order
	private  map[string]bool        // feeds on loopback or private addresses
	pics     chan pictureJob        // to the picture workers; nil without pictures
	picsDone sync.WaitGroup
}

// pictureJob is the images of one fetched article, for the entries it
// belongs to.
type pictureJob struct {
	ctx     context.Context // the article's (PublicOnly for a public feed)
	feed    string
	entries []string
	urls    []string
}

// pictureWorkers decode, scale and encode pictures (35–70 ms for a 1600
// px photo). Two keep up 25 pictures/s on 2 cores; since articles never
// wait for them, the article pass still runs at 850 articles/s
// (BenchmarkSyncCacheArticlesPictures).
const pictureWorkers = 2

// startArticles starts the article pass: the goroutine that stores results.
// MaxArticles is shared fairly: each of the feeds may start its share at
// once, and what is left after every feed had its turn goes round-robin to
// the entries that waited.
func (r *syncRun) startArticles(ctx context.Context, feeds int) {
	r.arts = &articlePass{
		results:  make(chan []ArticleResult, r.s.concurrency()),
		saved:    make(chan struct{}),
		jobs:     map[string]*articleJob{},
		budget:   r.s.maxArticles(),
		share:    max(1, r.s.maxArticles()/max(1, feeds)),
		deferred: map[string][]Entry{},
		private:  map[string]bool{},
	}
	go func() {
		defer close(r.arts.saved)
		r.saveArticles(ctx, r.arts.results)
	}()
	if ps, ok := r.s.Store.(PictureStore); ok && r.s.Pictures {
		// An article never waits for pictures: jobs queue without bound
		// (they are a few URLs each) and the workers take them in order.
		r.arts.pics = make(chan pictureJob)
		jobs := unbounded(r.arts.pics)
		for range pictureWorkers {
			r.arts.picsDone.Go(func() {
				for j := range jobs {
					r.storePictures(ps, j)
				}
			})
		}
	}
}

// unbounded passes what arrives on in to the returned channel in order,
// queueing without limit so that senders never wait; the returned channel
// closes after in has closed and the queue is empty.
func unbounded[T any](in <-chan T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		var q []T
		for in != nil || len(q) > 0 {
			var send chan<- T
			var next T
			if len(q) > 0 {
				send, next = out, q[0]
			}
			select {
			case v, ok := <-in:
				if !ok {
					in = nil
					continue
				}
				q = append(q, v)
			case send <- next:
				q = q[1:]
			}
		}
	}()
	return out
}

// storePictures fetches, checks and stores one article's pictures; each
// failure is counted and listed, the others are kept.
func (r *syncRun) storePictures(ps PictureStore, j pictureJob) {
	o := r.s.PictureOptions.withDefaults()
	var pics []Picture
	for _, u := range j.urls {
		if j.ctx.Err() != nil {
			return // cancelled: the next sync fetches the article and its pictures again
		}
		pctx, cancel := context.WithTimeout(j.ctx, o.Timeout)
		resp, err := r.get(pctx, Request{URL: u, Accept: "image/webp,image/png,image/jpeg,image/gif;q=0.8,*/*;q=0.1", MaxBody: o.MaxBytes})
		cancel()
		var p Picture
		if err == nil {
			if p, err = MakePicture(resp.Body, resp.ContentType, o); err != nil {
				err = fmt.Errorf("picture %s: %w", u, err)
			}
		}
		r.mu.Lock()
		if err != nil {
			r.sum.PicturesFailed++
			r.sum.Failures = append(r.sum.Failures, Failure{Feed: j.feed, URL: u, Err: err})
		} else {
			r.sum.PicturesStored++
		}
		r.mu.Unlock()
		if err == nil {
			p.URL = u
			pics = append(pics, p)
		}
	}
	if len(pics) == 0 {
		return // nothing new: pictures stored before (a re-fetched article) stay
	}
	r.storeMu.Lock()
	err := ps.SavePictures(context.WithoutCancel(j.ctx), j.entries, pics)
	r.storeMu.Unlock()
	if err != nil {
		r.mu.Lock()
		r.sum.Failures = append(r.sum.Failures, Failure{Err: fmt.Errorf("store pictures: %w", err)})
		r.mu.Unlock()
	}
}

// queueArticles starts the fetches of a stored feed's pending articles,
// newest first, up to the feed's share of the budget.
func (r *syncRun) queueArticles(ctx context.Context, feedURL string) {
	pending, err := r.s.Store.PendingArticles(ctx, []string{feedURL}, r.s.maxAttempts())
	if err != nil {
		r.mu.Lock()
		r.sum.Failures = append(r.sum.Failures, Failure{Feed: feedURL, Err: fmt.Errorf("list pending articles: %w", err)})
		r.mu.Unlock()
		return
	}
	if len(pending) == 0 {
		return
	}
	private := onPrivateHost(ctx, feedURL)
	r.mu.Lock()
	r.arts.private[feedURL] = private
	r.mu.Unlock()
	r.launch(ctx, pending, r.arts.share, feedURL)
}

// launch starts fetch jobs for entries, at most limit new ones (and never
// beyond the budget); entries over the limit wait in deferred[feed] when
// feed is set. Entries whose URL is already being fetched join that job.
func (r *syncRun) launch(ctx context.Context, entries []Entry, limit int, feed string) {
	p := r.arts
	var start []*articleJob
	var late []ArticleResult
	var latePics []pictureJob
	r.mu.Lock()
	for _, e := range entries {
		u := ArticleURL(e.URL)
		if u == "" {
			continue
		}
		if j, ok := p.jobs[u]; ok {
			switch {
			case j.done:
				late = append(late, jobResult(j, e.ID, r.s.now()))
				if len(j.pictures) > 0 {
					pctx := ctx
					if !p.private[e.Feed] {
						pctx = PublicOnly(ctx)
					}
					latePics = append(latePics, pictureJob{ctx: pctx, feed: e.Feed, entries: []string{e.ID}, urls: j.pictures})
				}
			case !slices.Contains(j.entries, e.ID):
				j.entries = append(j.entries, e.ID)
			}
			continue
		}
		if len(start) >= limit || p.budget == 0 {
			if feed != "" {
				if _, ok := p.deferred[feed]; !ok {
					p.order = append(p.order, feed)
				}
				p.deferred[feed] = append(p.deferred[feed], e)
			}
			continue
		}
		j := &articleJob{url: u, feed: e.Feed, title: e.Title, entries: []string{e.ID}}
		p.jobs[u] = j
		p.budget--
		start = append(start, j)
	}
	p.total += len(start)
	total := p.total
	r.mu.Unlock()
	if len(late) > 0 {
		p.results <- late
	}
	for _, pj := range latePics {
		p.pics <- pj
	}
	if len(start) == 0 {
		return
	}
	r.emit(Event{Kind: EventArticlesStart, Total: total})
	for _, j := range start {
		p.wg.Go(func() {
			actx := ctx
			r.mu.Lock()
			private := p.private[j.feed]
			r.mu.Unlock()
			if !private {
				actx = PublicOnly(ctx)
			}
			if rs := r.fetchArticle(actx, j); rs != nil {
				p.results <- rs
			}
		})
	}
}

// finishArticles hands what is left of the budget round-robin to the
// entries that waited, waits for every fetch and store, and says how many
// articles wait for the next sync.
func (r *syncRun) finishArticles(ctx context.Context) {
	p := r.arts
	for ctx.Err() == nil {
		r.mu.Lock()
		var round []Entry
		for _, f := range p.order {
			if q := p.deferred[f]; len(q) > 0 && len(round) < p.budget {
				round = append(round, q[0])
				p.deferred[f] = q[1:]
			}
		}
		r.mu.Unlock()
		if len(round) == 0 {
			break
		}
		r.launch(ctx, round, len(round), "")
	}
	p.wg.Wait()
	if p.pics != nil {
		close(p.pics)
		p.picsDone.Wait()
	}
	close(p.results)
	<-p.saved
	r.mu.Lock()
	defer r.mu.Unlock()
	waiting := 0
	for _, q := range p.deferred {
		for _, e := range q {
			if _, ok := p.jobs[ArticleURL(e.URL)]; !ok {
				waiting++
			}
		}
	}
	if waiting > 0 {
		r.sum.Notices = append(r.sum.Notices, Notice{Text: fmt.Sprintf("%d more articles wait for the next sync (at most %d per sync)", waiting, r.s.maxArticles())})
	}
}

// jobResult is the result of a finished job for one of its entries.
func jobResult(j *articleJob, id string, now time.Time) ArticleResult {
	ar := ArticleResult{EntryID: id, FetchedAt: now, Err: j.err}
	if j.err == nil && j.art != nil {
		art := *j.art
		ar.Article = &art
	}
	return ar
}

// fetchArticle fetches and extracts one article and reports it; nil when ctx
// was cancelled before it started, so that nothing is recorded as failed.
func (r *syncRun) fetchArticle(ctx context.Context, j *articleJob) []ArticleResult {
	resp, err := r.get(ctx, Request{URL: j.url, Accept: pageAccept})
	if err != nil && ctx.Err() != nil {
		return nil // cancelled: try again next time, without counting an attempt
	}
	if errors.Is(err, errHeldOff) {
		// Not the article's fault: reported, but no attempt is counted.
		r.mu.Lock()
		r.artsDone++
		r.sum.ArticlesFailed++
		r.sum.Failures = append(r.sum.Failures, Failure{Feed: j.feed, URL: j.url, Err: err})
		if r.progress != nil {
			r.progress(Event{Kind: EventArticleDone, Feed: j.feed, Title: j.title, URL: j.url, Done: r.artsDone, Total: r.arts.total, Err: err})
		}
		r.mu.Unlock()
		return nil
	}
	var a Article
	var bytes int64
	if err == nil {
		bytes = resp.Bytes
		if !IsHTML(resp.ContentType) {
			err = fmt.Errorf("fetch article %s: %w (%s)", j.url, ErrNotHTML, CleanLine(resp.ContentType))
		} else if a, err = r.s.extract()(resp.URL, resp.Body); err != nil {
			err = fmt.Errorf("extract article %s: %w", j.url, err)
		}
	}
	now := r.s.now()

	var urls []string
	if err == nil && r.arts.pics != nil {
		urls = PictureURLs(a, r.s.PictureOptions.withDefaults().PerArticle)
	}
	r.mu.Lock()
	j.done, j.err, j.pictures = true, err, urls
	if err == nil {
		j.art = &a
	}
	if len(urls) > 0 {
		// Every entry that joined the job so far; later ones get their own
		// picture job when they join (launch).
		r.arts.pics <- pictureJob{ctx: ctx, feed: j.feed, entries: slices.Clone(j.entries), urls: urls}
	}
	out := make([]ArticleResult, 0, len(j.entries))
	for _, id := range j.entries {
		out = append(out, jobResult(j, id, now))
	}
	r.artsDone++
	r.sum.Bytes += bytes
	if err != nil {
		r.sum.ArticlesFailed++
		r.sum.Failures = append(r.sum.Failures, Failure{Feed: j.feed, URL: j.url, Err: err})
	} else {
		r.sum.ArticlesFetched++
	}
	title := j.title
	if a.Title != "" {
		title = a.Title
	}
	if r.progress != nil {
		r.progress(Event{Kind: EventArticleDone, Feed: j.feed, Title: title, URL: j.url, Done: r.artsDone, Total: r.arts.total, Bytes: bytes, Err: err})
	}
	r.mu.Unlock()
	return out
}

// get does one GET within the host limits. It retries a 429 or 503 after
// the wait the server asks for (or a backoff), without holding a slot while
// it waits; a wait longer than MaxRetryWait fails the request at once and
// holds back the host's other requests of this sync until then.
func (r *syncRun) get(ctx context.Context, req Request) (*Response, error) {
	for attempt := 0; ; attempt++ {
		release, err := r.lim.acquire(ctx, req.URL)
		if err != nil {
			return nil, fmt.Errorf("get %s: %w", req.URL, err)
		}
		resp, wait, err := r.s.Client.getOnce(ctx, req)
		release()
		if err == nil || wait < 0 || attempt >= r.s.Client.retries() {
			return resp, err
		}
		if wait == 0 {
			// No Retry-After: our own backoff, capped.
			wait = min(r.s.Client.o.RetryBase<<attempt, r.s.maxRetryWait())
		}
		if wait > r.s.maxRetryWait() {
			r.lim.holdOff(req.URL, r.s.now().Add(wait))
			return nil, fmt.Errorf("%w (the server asks to retry after %s)", err, wait.Round(time.Second))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("get %s: %w", req.URL, ctx.Err())
		case <-t.C:
		}
	}
}

// saveArticles stores results in batches until results is closed. Work
// already done is stored even when ctx is cancelled.
func (r *syncRun) saveArticles(ctx context.Context, results <-chan []ArticleResult) {
	size := r.s.BatchSize
	if size <= 0 {
		size = defaultBatch
	}
	batch := make([]ArticleResult, 0, size)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		r.storeMu.Lock()
		err := r.s.Store.SaveArticles(context.WithoutCancel(ctx), batch)
		r.storeMu.Unlock()
		if err != nil {
			r.mu.Lock()
			r.sum.Failures = append(r.sum.Failures, Failure{Err: fmt.Errorf("store %d articles: %w", len(batch), err)})
			r.mu.Unlock()
		}
		batch = batch[:0]
	}
	for rs := range results {
		batch = append(batch, rs...)
		if len(batch) >= size {
			flush()
		}
	}
	flush()
}

// ArticleURL is the URL kiosk fetches for an entry's article: tracking
// parameters removed, and for heise online and Telepolis articles
// "?seite=all", which puts a multi-page article on one page and changes
// nothing on a single-page one. It returns "" for a URL that is not http(s).
func ArticleURL(raw string) string {
	u, err := url.Parse(StripTracking(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	if HeiseContentID(u.String()) != "" && strings.HasSuffix(u.Path, ".html") {
		q := u.Query()
		q.Set("seite", "all")
		u.RawQuery = q.Encode()
	}
	return u.String()
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

// hostLimiter bounds requests in flight, in total and per host, and holds
// back the requests to a host that asked to be left alone for a while.
type hostLimiter struct {
	global  chan struct{}
	perHost int
	now     func() time.Time
	mu      sync.Mutex
	hosts   map[string]chan struct{}
	until   map[string]time.Time // host → the time its Retry-After ends
}

func newHostLimiter(global, perHost int, now func() time.Time) *hostLimiter {
	return &hostLimiter{global: make(chan struct{}, global), perHost: perHost, now: now, hosts: map[string]chan struct{}{}, until: map[string]time.Time{}}
}

// errHeldOff is acquire's answer for a host whose Retry-After has not ended.
var errHeldOff = errors.New("not sent: the server asked to wait")

// hostOf is the limiter's key for a URL.
func hostOf(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		return strings.ToLower(u.Host)
	}
	return rawURL
}

// holdOff makes acquire refuse rawURL's host until t.
func (l *hostLimiter) holdOff(rawURL string, t time.Time) {
	host := hostOf(rawURL)
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.After(l.until[host]) {
		l.until[host] = t
	}
}

// acquire waits for a slot for rawURL's host and a global one; the host slot
// comes first so that a busy host does not hold global slots while waiting.
func (l *hostLimiter) acquire(ctx context.Context, rawURL string) (release func(), err error) {
	host := hostOf(rawURL)
	l.mu.Lock()
	h, ok := l.hosts[host]
	if !ok {
		h = make(chan struct{}, l.perHost)
		l.hosts[host] = h
	}
	until := l.until[host]
	l.mu.Unlock()
	if now := l.now(); now.Before(until) {
		return nil, fmt.Errorf("%w %s more", errHeldOff, until.Sub(now).Round(time.Second))
	}
	select {
	case h <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	l.mu.Lock()
	until = l.until[host] // another request may have been told to wait meanwhile
	l.mu.Unlock()
	if now := l.now(); now.Before(until) {
		<-h
		return nil, fmt.Errorf("%w %s more", errHeldOff, until.Sub(now).Round(time.Second))
	}
	select {
	case l.global <- struct{}{}:
	case <-ctx.Done():
		<-h
		return nil, ctx.Err()
	}
	return func() { <-l.global; <-h }, nil
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
