package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

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
