package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testSite serves feeds and pages from memory with ETag and Last-Modified
// validators, and counts the requests per path.
type testSite struct {
	mu       sync.Mutex
	docs     map[string]testDoc // by path
	hits     map[string]int     // by path, 200 answers
	notMod   map[string]int     // by path, 304 answers
	queries  map[string][]string
	inFlight atomic.Int32
	maxIn    atomic.Int32
	delay    time.Duration
}

type testDoc struct {
	body  []byte
	ctype string
	gzip  bool
	etag  string
}

func newTestSite() *testSite {
	return &testSite{docs: map[string]testDoc{}, hits: map[string]int{}, notMod: map[string]int{}, queries: map[string][]string{}}
}

func (s *testSite) set(path, ctype string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := sha256.Sum256(body)
	s.docs[path] = testDoc{body: body, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

// gzipped makes path answer gzip-encoded to clients that accept it.
func (s *testSite) gzipped(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[path]
	d.gzip = true
	s.docs[path] = d
}

func (s *testSite) count(path string) (ok, notModified int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path], s.notMod[path]
}

func (s *testSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxIn.Load()
		if n <= m || s.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	if s.delay > 0 {
		time.Sleep(s.delay)
	}
	s.mu.Lock()
	d, ok := s.docs[r.URL.Path]
	s.queries[r.URL.Path] = append(s.queries[r.URL.Path], r.URL.RawQuery)
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := d.etag
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", "Thu, 24 Oct 2024 10:00:00 GMT")
	if r.Header.Get("If-None-Match") == etag {
		s.mu.Lock()
		s.notMod[r.URL.Path]++
		s.mu.Unlock()
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.mu.Lock()
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	w.Header().Set("Content-Type", d.ctype)
	if d.gzip && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		if _, err := zw.Write(d.body); err != nil {
			return
		}
		if err := zw.Close(); err != nil {
			return
		}
		return
	}
	if _, err := w.Write(d.body); err != nil {
		return
	}
}

// testPage is a small article page; testExtract reads its title back.
func testPage(title string) []byte {
	return []byte("<!DOCTYPE html><html><head><title>" + title + "</title></head><body><article><h1>" + title +
		"</h1><p>" + strings.Repeat("Some words of the article body. ", 20) + "</p></article></body></html>")
}

// testExtract is a stand-in extractor that takes the <title>, so that these
// tests check the sync logic and not the extraction rules.
func testExtract(pageURL string, page []byte) (Article, error) {
	s := string(page)
	i, j := strings.Index(s, "<title>"), strings.Index(s, "</title>")
	if i < 0 || j < i {
		return Article{}, errors.New("no title")
	}
	return Article{URL: pageURL, Title: s[i+7 : j], Body: "body", Rule: "test"}, nil
}

// testClient returns a client that sends every request to srv, whatever
// the host in its URL, so no test can reach the internet.
func testClient(srv *httptest.Server) *Client {
	return NewClient(ClientOptions{Transport: localTransport(srv), Timeout: 2 * time.Second, RetryBase: time.Millisecond, Retries: -1})
}

func localTransport(srv *httptest.Server) http.RoundTripper {
	target, err := url.Parse(srv.URL)
	if err != nil {
		panic(err) // httptest URLs always parse
	}
	return hostTransport{target, srv.Client().Transport}
}

// rssWithLinks returns an RSS feed whose items link to the given URLs.
func rssWithLinks(title string, links ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>https://example.org/</link>`, title)
	for i, l := range links {
		fmt.Fprintf(&b, `<item><title>%s %d</title><link>%s</link><pubDate>Thu, 24 Oct 2024 10:%02d:00 GMT</pubDate></item>`, title, i, l, i%60)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func TestSyncTwice(t *testing.T) {
	site := newTestSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	var feeds []string
	for f := range 3 {
		var links []string
		for i := range 5 {
			p := fmt.Sprintf("/f%d/a%d.html", f, i)
			site.set(p, "text/html; charset=utf-8", testPage(fmt.Sprintf("Article %d of feed %d", i, f)))
			links = append(links, srv.URL+p+"?utm_source=feed")
		}
		site.set(fmt.Sprintf("/feed%d.xml", f), "application/rss+xml", rssWithLinks(fmt.Sprintf("Feed %d", f), links...))
		feeds = append(feeds, srv.URL+fmt.Sprintf("/feed%d.xml", f))
	}
	site.gzipped("/feed1.xml")

	store := newMemStore()
	var events []Event
	s := &Syncer{Client: testClient(srv), Store: store, Articles: true, Extract: testExtract, Names: map[string]string{feeds[2]: "My\x1b[1m third"}}
	sum, err := s.Run(t.Context(), feeds, func(ev Event) { events = append(events, ev) })
	if err != nil {
		t.Fatalf("first Run: %v", err)
	}
	if sum.FeedsOK != 3 || sum.FeedsFailed != 0 || sum.NewEntries != 15 || sum.ArticlesFetched != 15 || sum.ArticlesFailed != 0 || sum.Bytes == 0 {
		t.Errorf("first Summary = %+v", sum)
	}
	for f := range 3 {
		if got := len(store.feedEntries(feeds[f])); got != 5 {
			t.Errorf("feed %d: %d entries stored, want 5", f, got)
		}
	}
	if len(store.articles) != 15 {
		t.Errorf("%d articles stored, want 15", len(store.articles))
	}
	for id, a := range store.articles {
		e := store.entries[id]
		if !strings.HasPrefix(a.Title, "Article ") || strings.Contains(a.URL, "utm_source") || a.URL != strings.TrimSuffix(e.URL, "?utm_source=feed") {
			t.Errorf("article of %s (%s) = %+v", id, e.URL, a)
		}
	}
	checkEvents(t, events, 3, 15)
	if got := store.feeds[feeds[0]].feed.Title; got != "Feed 0" {
		t.Errorf("title of feed 0 = %q, want the feed's own", got)
	}
	if got := store.feeds[feeds[2]].feed.Title; got != "My third" {
		t.Errorf("title of feed 2 = %q, want the (cleaned) name given", got)
	}

	// Second run: every feed answers 304 and no page is fetched again.
	events = nil
	sum, err = s.Run(t.Context(), feeds, func(ev Event) { events = append(events, ev) })
	if err != nil {
		t.Fatalf("second Run: %v", err)
	}
	if sum.FeedsOK != 3 || sum.FeedsNotModified != 3 || sum.NewEntries != 0 || sum.ArticlesFetched != 0 {
		t.Errorf("second Summary = %+v", sum)
	}
	for f := range 3 {
		if ok, nm := site.count(fmt.Sprintf("/feed%d.xml", f)); ok != 1 || nm != 1 {
			t.Errorf("feed %d: %d full and %d 304 answers, want 1 and 1", f, ok, nm)
		}
		for i := range 5 {
			if ok, _ := site.count(fmt.Sprintf("/f%d/a%d.html", f, i)); ok != 1 {
				t.Errorf("page %d of feed %d fetched %d times, want 1", i, f, ok)
			}
		}
	}
	checkEvents(t, events, 3, 0)
}

// checkEvents checks the order and counts of a run's progress events.
func checkEvents(t *testing.T, events []Event, feeds, articles int) {
	t.Helper()
	if len(events) < 2 || events[0].Kind != EventStart || events[0].Total != feeds || events[len(events)-1].Kind != EventDone || events[len(events)-1].Summary == nil {
		t.Fatalf("events do not start with EventStart{Total: %d} and end with EventDone: %+v", feeds, events)
	}
	var feedDone, artDone, artStart, lastTotal int
	for _, ev := range events {
		switch ev.Kind {
		case EventFeedDone:
			feedDone++
			if ev.Done != feedDone || ev.Total != feeds {
				t.Errorf("feed event Done/Total = %d/%d, want %d/%d", ev.Done, ev.Total, feedDone, feeds)
			}
		case EventArticlesStart:
			// One per feed with articles to fetch, as soon as it is stored;
			// Total counts the articles queued so far.
			artStart++
			if ev.Total <= lastTotal || ev.Total > articles {
				t.Errorf("EventArticlesStart.Total = %d after %d, want growing up to %d", ev.Total, lastTotal, articles)
			}
			lastTotal = ev.Total
		case EventArticleDone:
			artDone++
			if ev.Done != artDone || ev.URL == "" {
				t.Errorf("article event %+v", ev)
			}
		}
	}
	if feedDone != feeds || artDone != articles || lastTotal != articles || (articles > 0 && (artStart < 1 || artStart > feeds)) {
		t.Errorf("%d feed, %d article, %d articles-start events (last total %d); want %d, %d, 1 to %d", feedDone, artDone, artStart, lastTotal, feeds, articles, feeds)
	}
}

func TestSyncBadFeeds(t *testing.T) {
	site := newTestSite()
	mux := http.NewServeMux()
	mux.Handle("/", site)
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		var code int
		if _, err := fmt.Sscan(r.PathValue("code"), &code); err != nil {
			code = 500
		}
		http.Error(w, "nope", code)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		if _, err := w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>`)); err != nil {
			return
		}
		item := bytes.Repeat([]byte(`<item><title>x</title><link>https://huge.example/x</link></item>`), 1000)
		for written := 0; written < 50<<20; written += len(item) {
			if _, err := w.Write(item); err != nil {
				return
			}
		}
	})
	bomb := gzipBomb(t, 20<<20) // 20 MB after decoding, twice the body cap
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		if _, err := w.Write(bomb); err != nil {
			return
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop2", http.StatusFound)
	})
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	site.set("/good.xml", "application/rss+xml", rssWithLinks("Good", srv.URL+"/a/1.html", srv.URL+"/a/2.html"))
	site.set("/malformed.xml", "application/rss+xml", readFeedFixture(t, "malformed.xml"))
	site.set("/page.html", "text/html", readFeedFixture(t, "page.html"))
	site.set("/empty.xml", "application/rss+xml", nil)
	site.set("/big.xml", "application/rss+xml", genRSS("big", 10000, 0))
	site.set("/dates.xml", "application/rss+xml", readFeedFixture(t, "dates.xml"))
	site.set("/escapes.xml", "application/atom+xml", readFeedFixture(t, "escapes.xml"))

	good := []string{"/good.xml", "/big.xml", "/dates.xml", "/escapes.xml"}
	bad := map[string]string{ // path: words the failure must name, one of them when split by |
		"/malformed.xml": "feed cut off",
		"/page.html":     "HTML page",
		"/empty.xml":     "empty",
		"/status/404":    "404",
		"/status/410":    "410",
		"/status/500":    "500",
		"/slow":          "deadline exceeded|Timeout exceeded",
		"/huge":          "too large",
		"/bomb":          "too large",
		"/loop":          "redirects",
	}
	var feeds []string
	for _, p := range good {
		feeds = append(feeds, srv.URL+p)
	}
	for p := range bad {
		feeds = append(feeds, srv.URL+p)
	}

	store := newMemStore()
	c := NewClient(ClientOptions{Transport: localTransport(srv), Timeout: 2 * time.Second, RetryBase: time.Millisecond, Retries: -1})
	s := &Syncer{Client: c, Store: store}
	sum, err := s.Run(t.Context(), feeds, nil)
	if err != nil {
		t.Fatalf("Run with some good feeds = %v, want nil", err)
	}
	if sum.FeedsOK != len(good) || sum.FeedsFailed != len(bad) {
		t.Errorf("FeedsOK %d, FeedsFailed %d; want %d, %d: %+v", sum.FeedsOK, sum.FeedsFailed, len(good), len(bad), sum.Failures)
	}
	for p, word := range bad {
		var found bool
		for _, f := range sum.Failures {
			if f.Feed == srv.URL+p {
				found = true
				if !containsAny(f.Err.Error(), strings.Split(word, "|")) {
					t.Errorf("failure of %s = %q, want it to mention %q", p, f.Err, word)
				}
			}
		}
		if !found {
			t.Errorf("no failure recorded for %s", p)
		}
		if store.feedErr(srv.URL+p) == nil {
			t.Errorf("store has no error on feed %s", p)
		}
	}
	// big.xml lists 10,000 items: the newest DefaultMaxItems are taken, and the summary says so.
	for p, n := range map[string]int{"/good.xml": 2, "/big.xml": DefaultMaxItems, "/dates.xml": 5, "/escapes.xml": 1} {
		if got := len(store.feedEntries(srv.URL + p)); got != n {
			t.Errorf("%s: %d entries stored, want %d", p, got, n)
		}
	}
	for _, e := range store.feedEntries(srv.URL + "/big.xml") {
		if e.Published.Before(time.Date(2024, 10, 24, 12, 0, 0, 0, time.UTC).Add(-DefaultMaxItems * time.Minute)) {
			t.Errorf("big.xml: an old item was taken over a newer one: %s %s", e.Title, e.Published)
			break
		}
	}
	if len(sum.Notices) != 1 || sum.Notices[0].Feed != srv.URL+"/big.xml" || !strings.Contains(sum.Notices[0].Text, "10000 items") {
		t.Errorf("Notices = %+v, want one about big.xml's 10000 items", sum.Notices)
	}
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// gzipBomb returns a gzip stream that starts a feed and decodes to n bytes.
func gzipBomb(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>`)); err != nil {
		t.Fatal(err)
	}
	spaces := bytes.Repeat([]byte{' '}, 1<<20)
	for range n >> 20 {
		if _, err := zw.Write(spaces); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSyncBadAnswerKeepsCache(t *testing.T) {
	site := newTestSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	feedURL := srv.URL + "/feed.xml"
	site.set("/feed.xml", "application/rss+xml", rssWithLinks("Feed", "https://x.example/1", "https://x.example/2"))
	store := newMemStore()
	s := &Syncer{Client: testClient(srv), Store: store}
	if _, err := s.Run(t.Context(), []string{feedURL}, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"malformed", readFeedFixture(t, "malformed.xml")},
		{"html", readFeedFixture(t, "page.html")},
		{"empty", nil},
		{"gone", nil},
	} {
		if tc.name == "gone" {
			site.mu.Lock()
			delete(site.docs, "/feed.xml")
			site.mu.Unlock()
		} else {
			site.set("/feed.xml", "application/rss+xml", tc.body)
		}
		sum, err := s.Run(t.Context(), []string{feedURL}, nil)
		if err == nil || sum.FeedsFailed != 1 {
			t.Errorf("%s: Run = %+v, %v; want the only feed failed", tc.name, sum, err)
		}
		last := store.results[len(store.results)-1]
		if last.Err == nil || last.NotModified || last.Feed.URL != feedURL {
			t.Errorf("%s: stored result %+v, want the error recorded", tc.name, last)
		}
		if got := len(store.feedEntries(feedURL)); got != 2 {
			t.Errorf("%s: %d entries left, want 2", tc.name, got)
		}
		// The old validators are kept, so a failed answer does not turn into a 304 later.
		if st, _ := store.FeedState(t.Context(), feedURL); st.ETag == "" {
			t.Errorf("%s: ETag lost", tc.name)
		}
	}
}

func TestSyncArticleOncePerURL(t *testing.T) {
	site := newTestSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	site.set("/shared.html", "text/html", testPage("Shared"))
	site.set("/own.html", "text/html", testPage("Own"))
	site.set("/a.xml", "application/rss+xml", rssWithLinks("A", srv.URL+"/shared.html?utm_campaign=a", srv.URL+"/own.html"))
	site.set("/b.xml", "application/rss+xml", rssWithLinks("B", srv.URL+"/shared.html#top"))
	store := newMemStore()
	s := &Syncer{Client: testClient(srv), Store: store, Articles: true, Extract: testExtract}
	// Each feed's entry of the shared page has its own ID (IDs are scoped
	// to their feed); the page is still fetched once for all three.
	site.set("/c.xml", "application/rss+xml", []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>C</title><item><title>S</title><guid>c-1</guid><link>`+srv.URL+`/shared.html?fbclid=1</link></item></channel></rss>`))
	sum, err := s.Run(t.Context(), []string{srv.URL + "/a.xml", srv.URL + "/b.xml", srv.URL + "/c.xml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := site.count("/shared.html"); ok != 1 {
		t.Errorf("shared page fetched %d times, want 1", ok)
	}
	if sum.ArticlesFetched != 2 {
		t.Errorf("ArticlesFetched = %d, want 2", sum.ArticlesFetched)
	}
	var shared int
	for id, a := range store.articles {
		if a.Title == "Shared" {
			shared++
			if store.entries[id].URL == "" {
				t.Errorf("article for unknown entry %s", id)
			}
		}
	}
	if shared != 3 {
		t.Errorf("the shared article is stored for %d entries, want 3 (one per feed)", shared)
	}
}

func TestSyncArticleRetries(t *testing.T) {
	site := newTestSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	site.set("/feed.xml", "application/rss+xml", rssWithLinks("F", srv.URL+"/missing.html", srv.URL+"/pdf"))
	site.set("/pdf", "application/pdf", []byte("%PDF-1.4"))
	store := newMemStore()
	s := &Syncer{Client: testClient(srv), Store: store, Articles: true, MaxAttempts: 2, Extract: testExtract}
	for run := range 4 {
		sum, err := s.Run(t.Context(), []string{srv.URL + "/feed.xml"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := 2
		if run >= 2 {
			want = 0 // given up after MaxAttempts
		}
		if sum.ArticlesFailed != want {
			t.Errorf("run %d: ArticlesFailed = %d, want %d", run, sum.ArticlesFailed, want)
		}
	}
	if ok, _ := site.count("/pdf"); ok != 2 {
		t.Errorf("/pdf fetched %d times, want 2", ok)
	}
	for id, err := range store.lastErr {
		if store.entries[id].URL == srv.URL+"/pdf" && !errors.Is(err, ErrNotHTML) {
			t.Errorf("error on the PDF entry = %v, want ErrNotHTML", err)
		}
	}
	// A page that appears later is fetched once its entry changes in the feed.
	site.set("/missing.html", "text/html", testPage("Found"))
	site.set("/feed.xml", "application/rss+xml", bytes.Replace(site.docs["/feed.xml"].body, []byte("F 0"), []byte("F 0 updated"), 1))
	sum, err := s.Run(t.Context(), []string{srv.URL + "/feed.xml"}, nil)
	if err != nil || sum.ArticlesFetched != 1 {
		t.Errorf("after the entry changed: %+v, %v; want 1 article fetched", sum, err)
	}
}

func TestSyncAllFail(t *testing.T) {
	site := newTestSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	s := &Syncer{Client: testClient(srv), Store: newMemStore(), Articles: true, Extract: testExtract}
	sum, err := s.Run(t.Context(), []string{srv.URL + "/a", srv.URL + "/b"}, nil)
	if err == nil || !strings.Contains(err.Error(), "all 2 feeds failed") || !strings.Contains(err.Error(), "404") {
		t.Errorf("Run = %v, want every feed failed with the reason", err)
	}
	if sum.FeedsFailed != 2 || len(sum.Failures) != 2 {
		t.Errorf("Summary = %+v", sum)
	}
	// No feeds is not a failure.
	if _, err := s.Run(t.Context(), nil, nil); err != nil {
		t.Errorf("Run with no feeds = %v", err)
	}
}

func TestSyncOffline(t *testing.T) {
	site := newTestSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	site.set("/feed.xml", "application/rss+xml", rssWithLinks("F", srv.URL+"/a.html"))
	c := NewClient(ClientOptions{Transport: localTransport(srv), Offline: true})
	s := &Syncer{Client: c, Store: newMemStore(), Articles: true, Extract: testExtract}
	sum, err := s.Run(t.Context(), []string{srv.URL + "/feed.xml"}, nil)
	if err == nil || !errors.Is(err, ErrOffline) || sum.FeedsFailed != 1 {
		t.Errorf("offline Run = %+v, %v; want ErrOffline", sum, err)
	}
	site.mu.Lock()
	defer site.mu.Unlock()
	if len(site.queries) != 0 {
		t.Errorf("offline sync sent requests: %v", site.queries)
	}
}

func TestSyncCancel(t *testing.T) {
	site := newTestSite()
	site.delay = 50 * time.Millisecond
	srv := httptest.NewServer(site)
	defer srv.Close()
	var feeds []string
	for i := range 20 {
		p := fmt.Sprintf("/f%d.xml", i)
		site.set(p, "application/rss+xml", rssWithLinks("F", "https://x.example/1"))
		feeds = append(feeds, srv.URL+p)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 80*time.Millisecond)
	defer cancel()
	s := &Syncer{Client: testClient(srv), Store: newMemStore(), PerHost: 2}
	if _, err := s.Run(ctx, feeds, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled Run = %v, want context.DeadlineExceeded", err)
	}
}

func TestSyncLimits(t *testing.T) {
	site := newTestSite()
	site.delay = 10 * time.Millisecond
	srv := httptest.NewServer(site)
	defer srv.Close()
	var feeds []string
	for i := range 12 {
		p := fmt.Sprintf("/f%d.xml", i)
		site.set(p, "application/rss+xml", rssWithLinks("F", fmt.Sprintf("https://x.example/%d", i)))
		feeds = append(feeds, srv.URL+p)
	}
	for _, tc := range []struct{ global, perHost, want int }{{8, 3, 3}, {2, 4, 2}} {
		site.maxIn.Store(0)
		s := &Syncer{Client: testClient(srv), Store: newMemStore(), Concurrency: tc.global, PerHost: tc.perHost}
		if _, err := s.Run(t.Context(), feeds, nil); err != nil {
			t.Fatal(err)
		}
		if got := site.maxIn.Load(); got != int32(tc.want) {
			t.Errorf("Concurrency %d, PerHost %d: %d requests in flight at most, want %d", tc.global, tc.perHost, got, tc.want)
		}
	}
}

// hostTransport sends every request to one test server, whatever its host,
// so that feeds full of real heise URLs can be served locally.
type hostTransport struct {
	target *url.URL
	rt     http.RoundTripper
}

func (h hostTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = h.target.Scheme, h.target.Host
	return h.rt.RoundTrip(r)
}

func TestSyncHeiseFeed(t *testing.T) {
	var mu sync.Mutex
	queries := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/rss/heise-atom.xml" {
			w.Header().Set("Content-Type", "application/atom+xml")
			if _, err := w.Write(readFeedFixture(t, "heise-atom-2024-10-24.xml")); err != nil {
				return
			}
			return
		}
		mu.Lock()
		queries[r.Host+r.URL.Path] = r.URL.RawQuery
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		if _, err := w.Write(testPage(r.URL.Path)); err != nil {
			return
		}
	}))
	defer srv.Close()
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	store := newMemStore()
	s := &Syncer{Client: testClient(srv), Store: store, Articles: true, Extract: testExtract}
	sum, err := s.Run(t.Context(), []string{heiseFeedURL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.NewEntries != 152 || sum.ArticlesFetched != 152 || sum.ArticlesFailed != 0 {
		t.Errorf("Summary = %+v", sum)
	}
	if len(queries) != 152 {
		t.Errorf("%d distinct pages requested, want 152", len(queries))
	}
	for p, q := range queries {
		// The Host is the test server's; the path tells a heise article.
		if strings.HasPrefix(p, target.Host+"/news/") || strings.HasPrefix(p, target.Host+"/tests/") || strings.HasPrefix(p, target.Host+"/ratgeber/") {
			if q != "seite=all" {
				t.Errorf("%s requested with query %q, want seite=all", p, q)
			}
		}
		if strings.Contains(q, "wt_mc") || strings.Contains(q, "utm_") {
			t.Errorf("%s requested with tracking query %q", p, q)
		}
	}
}

func TestArticleURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.heise.de/news/Foo-9993848.html?wt_mc=rss.red.ho.ho.atom.beitrag.beitrag", "https://www.heise.de/news/Foo-9993848.html?seite=all"},
		{"https://www.heise.de/tests/Foo-9985333.html", "https://www.heise.de/tests/Foo-9985333.html?seite=all"},
		{"https://www.heise.de/news/Foo-9993848.html?seite=2", "https://www.heise.de/news/Foo-9993848.html?seite=all"},
		{"https://www.telepolis.de/features/Bar-9675153.html?utm_source=x#c", "https://www.telepolis.de/features/Bar-9675153.html?seite=all"},
		{"https://www.heise.de/-9675153", "https://www.heise.de/-9675153"},
		{"https://www.techstage.de/test/foo/4q6s3ry?seite=all", "https://www.techstage.de/test/foo/4q6s3ry?seite=all"},
		{"https://example.org/a-1234567.html?utm_medium=rss&id=3", "https://example.org/a-1234567.html?id=3"},
		{"javascript:alert(1)", ""},
		{"/relative", ""},
	}
	for _, tt := range tests {
		if got := ArticleURL(tt.in); got != tt.want {
			t.Errorf("ArticleURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSyncRetriesBusyFeed(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "0")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		case 2:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		default:
			w.Header().Set("Content-Type", "application/rss+xml")
			if _, err := w.Write(rssWithLinks("Busy", "https://busy.example/1")); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c := NewClient(ClientOptions{Transport: localTransport(srv), RetryBase: time.Millisecond, Retries: 2})
	sum, err := (&Syncer{Client: c, Store: newMemStore()}).Run(t.Context(), []string{srv.URL + "/feed.xml"}, nil)
	if err != nil || sum.FeedsOK != 1 || sum.NewEntries != 1 || calls.Load() != 3 {
		t.Errorf("Run = %+v, %v after %d requests; want success on the third", sum, err, calls.Load())
	}
}
