package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSyncRetryAfterReleasesSlot is issue 8 item 11: eight feeds of one host
// answering 503 with Retry-After: 30 took two minutes, each holding its
// host slot while it waited. A Retry-After beyond MaxRetryWait now fails
// the feed at once and holds back the host's other requests of this sync.
func TestSyncRetryAfterReleasesSlot(t *testing.T) {
	var mu sync.Mutex
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	var feeds []string
	for i := range 8 {
		feeds = append(feeds, fmt.Sprintf("%s/feed%d.xml", srv.URL, i))
	}
	store := newMemStore()
	s := &Syncer{Client: NewClient(ClientOptions{}), Store: store, PerHost: 1}
	start := time.Now()
	sum, err := s.Run(t.Context(), feeds, nil)
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Run took %s, want the waits not taken", took)
	}
	if err == nil || sum.FeedsFailed != 8 {
		t.Fatalf("Run = %+v, %v; want all 8 failed", sum, err)
	}
	if hits < 1 || hits > 8 {
		t.Errorf("server got %d requests, want 1 to 8 (no retries)", hits)
	}
	var asked, held int
	for _, f := range sum.Failures {
		switch {
		case strings.Contains(f.Err.Error(), "retry after 30s"):
			asked++
		case errors.Is(f.Err, errHeldOff):
			held++
		default:
			t.Errorf("failure %v names neither the Retry-After nor the hold-off", f.Err)
		}
	}
	if asked != hits || asked+held != 8 {
		t.Errorf("%d failures name the Retry-After, %d the hold-off, after %d requests", asked, held, hits)
	}
}

// TestSyncShortRetryWaitsWithoutSlot checks that a feed retrying after a
// short Retry-After lets the host's other requests go first.
func TestSyncShortRetryWaitsWithoutSlot(t *testing.T) {
	var mu sync.Mutex
	var order []string
	busy := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		order = append(order, r.URL.Path)
		first := busy && r.URL.Path == "/busy.xml"
		busy = busy && !first
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		if _, err := w.Write(rssWithLinks("T", "https://example.org/a")); err != nil {
			return
		}
	}))
	defer srv.Close()
	s := &Syncer{Client: NewClient(ClientOptions{}), Store: newMemStore(), PerHost: 1, Concurrency: 1}
	// busy.xml goes first: with one slot, the others can only be served
	// while it waits if it does not hold the slot.
	sum, err := s.Run(t.Context(), []string{srv.URL + "/busy.xml", srv.URL + "/b.xml", srv.URL + "/c.xml"}, nil)
	if err != nil || sum.FeedsOK != 3 {
		t.Fatalf("Run = %+v, %v", sum, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(order) != 4 || order[3] != "/busy.xml" {
		t.Errorf("requests in order %v, want busy.xml's retry last", order)
	}
}

// TestSyncPublicFeedCannotProbeLAN is issue 8 item 6: a public feed's links
// to loopback and private addresses are not fetched; a feed on such an
// address may link to them (the local fixture sites keep working).
func TestSyncPublicFeedCannotProbeLAN(t *testing.T) {
	site := newTestSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	local := srv.URL // http://127.0.0.1:port
	site.set("/a.html", "text/html", testPage("A"))
	site.set("/b.html", "text/html", testPage("B"))
	site.set("/public.xml", "application/rss+xml", rssWithLinks("Public",
		local+"/a.html", "http://10.1.2.3/admin", "http://[::1]:9/x", "http://localhost:9/x", "http://169.254.169.254/latest/meta-data/", "http://news.example/b.html"))
	site.set("/local.xml", "application/rss+xml", rssWithLinks("Local", local+"/b.html"))

	store := newMemStore()
	// Every host reaches the test server, as DNS would have it.
	s := &Syncer{Client: NewClient(ClientOptions{Transport: localTransport(srv)}), Store: store, Articles: true, Extract: testExtract}
	sum, err := s.Run(t.Context(), []string{"http://news.example/public.xml", local + "/local.xml"}, nil)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	refused := map[string]bool{}
	for _, f := range sum.Failures {
		if errors.Is(f.Err, ErrPrivateAddress) {
			refused[f.URL] = true
		} else {
			t.Errorf("unexpected failure %s: %v", f.URL, f.Err)
		}
	}
	for _, u := range []string{local + "/a.html", "http://10.1.2.3/admin", "http://[::1]:9/x", "http://localhost:9/x", "http://169.254.169.254/latest/meta-data/"} {
		if !refused[u] {
			t.Errorf("%s linked from a public feed was not refused", u)
		}
	}
	// news.example/b.html (public) and local.xml's link to 127.0.0.1 are fetched;
	// b.html is one URL for both, so one request.
	if ok, _ := site.count("/b.html"); ok != 2 {
		t.Errorf("b.html fetched %d times, want 2 (public link, local feed's link)", ok)
	}
	if ok, _ := site.count("/a.html"); ok != 0 {
		t.Errorf("a.html fetched %d times for a public feed, want 0", ok)
	}
	if sum.ArticlesFetched != 2 {
		t.Errorf("ArticlesFetched = %d, want 2", sum.ArticlesFetched)
	}
}

// TestGuardDial checks the dial-time check that catches names resolving to
// private addresses and redirects to them, and that guarded requests never
// share connections with unguarded ones (a keep-alive connection to an
// intranet host, opened for a local feed, must not serve a public feed's
// redirect there).
func TestGuardDial(t *testing.T) {
	for addr, refuse := range map[string]bool{
		"127.0.0.1:80": true, "10.0.0.1:443": true, "192.168.1.1:80": true, "172.16.0.1:80": true,
		"[::1]:80": true, "[fe80::1]:80": true, "[::ffff:127.0.0.1]:80": true, "100.64.0.1:80": true, "0.0.0.0:80": true,
		"93.184.216.34:443": false, "[2606:2800:220:1::1]:443": false,
	} {
		err := refusePrivate(t.Context(), "tcp", addr, nil)
		if (err != nil) != refuse || (refuse && !errors.Is(err, ErrPrivateAddress)) {
			t.Errorf("refusePrivate(%s) = %v, want refused %v", addr, err, refuse)
		}
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	_, port, err := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	c := NewClient(ClientOptions{})
	if c.public.Transport == c.http.Transport {
		t.Fatal("guarded and unguarded requests share a transport (and its idle connections)")
	}
	// The guarded transport refuses the address a name would resolve to.
	conn, err := c.public.Transport.(*http.Transport).DialContext(t.Context(), "tcp", "127.0.0.1:"+port)
	if err == nil {
		conn.Close()
		t.Fatal("the guarded transport dialled 127.0.0.1")
	}
	if !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("dial error %v, want ErrPrivateAddress", err)
	}
	// The other one does not.
	conn, err = c.http.Transport.(*http.Transport).DialContext(t.Context(), "tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatalf("the unguarded transport: %v", err)
	}
	conn.Close()
}

// TestSyncHugeFeed is issue 8 item 6: a feed of 150,000 items made 150,000
// article requests. Items are capped per feed (newest first) and articles
// per sync, shared fairly with the other feeds.
func TestSyncHugeFeed(t *testing.T) {
	if testing.Short() {
		t.Skip("generates an 8 MB feed")
	}
	site := newTestSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>`)
	for i := range 150_000 {
		fmt.Fprintf(&b, "<item><link>%s/h/%d</link></item>", srv.URL, i)
	}
	b.WriteString(`</channel></rss>`)
	site.set("/huge.xml", "application/rss+xml", []byte(b.String()))
	site.set("/small.xml", "application/rss+xml", rssWithLinks("Small", srv.URL+"/s/1", srv.URL+"/s/2"))
	var mu sync.Mutex
	articleRequests := 0
	s := &Syncer{
		Client: NewClient(ClientOptions{}), Store: newMemStore(), Articles: true, MaxArticles: 50,
		Extract: func(pageURL string, page []byte) (Article, error) {
			mu.Lock()
			articleRequests++
			mu.Unlock()
			return Article{Title: pageURL}, nil
		},
	}
	sum, err := s.Run(t.Context(), []string{srv.URL + "/huge.xml", srv.URL + "/small.xml"}, nil)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if sum.NewEntries != DefaultMaxItems+2 {
		t.Errorf("NewEntries = %d, want %d", sum.NewEntries, DefaultMaxItems+2)
	}
	if sum.ArticlesFetched+sum.ArticlesFailed != 50 {
		t.Errorf("articles attempted %d, want 50", sum.ArticlesFetched+sum.ArticlesFailed)
	}
	// The small feed's two articles are among the 50.
	for _, u := range []string{"/s/1", "/s/2"} {
		found := false
		for _, f := range sum.Failures {
			found = found || strings.HasSuffix(f.URL, u)
		}
		if !found { // a 404 from the test site: attempted
			t.Errorf("%s of the small feed was not attempted", u)
		}
	}
	var notes []string
	for _, n := range sum.Notices {
		notes = append(notes, n.Text)
	}
	if all := strings.Join(notes, "\n"); !strings.Contains(all, "150000 items") || !strings.Contains(all, "more articles wait for the next sync") {
		t.Errorf("Notices = %q", notes)
	}
}

// TestNewestEntries checks the item cap's choice.
func TestNewestEntries(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	in := []Entry{{ID: "a", Published: day(1)}, {ID: "b"}, {ID: "c", Published: day(5)}, {ID: "d", Published: day(3)}, {ID: "e"}}
	var got []string
	for _, e := range newestEntries(in, 3) {
		got = append(got, e.ID)
	}
	if strings.Join(got, "") != "acd" {
		t.Errorf("newestEntries = %v, want [a c d] (dated first, feed order kept)", got)
	}
}

// TestSyncArticlesDoNotWaitForSlowFeeds is issue 10's sync point: one feed
// that never answers held back every article of every other feed until it
// timed out. A feed's articles are now fetched as soon as it is stored.
func TestSyncArticlesDoNotWaitForSlowFeeds(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	releasedByArticle := false
	mux := http.NewServeMux()
	var srvURL string
	mux.HandleFunc("/slow.xml", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		if _, err := w.Write(rssWithLinks("Slow")); err != nil {
			return
		}
	})
	mux.HandleFunc("/good.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		if _, err := w.Write(rssWithLinks("Good", srvURL+"/a.html")); err != nil {
			return
		}
	})
	mux.HandleFunc("/a.html", func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { releasedByArticle = true; close(release) })
		w.Header().Set("Content-Type", "text/html")
		if _, err := w.Write(testPage("A")); err != nil {
			return
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	srvURL = srv.URL
	store := newMemStore()
	s := &Syncer{Client: NewClient(ClientOptions{Timeout: 5 * time.Second}), Store: store, Articles: true, Extract: testExtract}
	sum, err := s.Run(t.Context(), []string{srv.URL + "/slow.xml", srv.URL + "/good.xml"}, nil)
	if err != nil || sum.FeedsOK != 2 || sum.ArticlesFetched != 1 {
		t.Fatalf("Run = %+v, %v", sum, err)
	}
	if !releasedByArticle {
		t.Errorf("the good feed's article was not fetched while the slow feed was still loading")
	}
}

// TestSyncArticleShare checks that MaxArticles is shared: every feed gets
// its share first, and what is left goes round-robin.
func TestSyncArticleShare(t *testing.T) {
	site := newTestSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	var big, small []string
	for i := range 30 {
		big = append(big, fmt.Sprintf("%s/big/%d.html", srv.URL, i))
	}
	for i := range 3 {
		small = append(small, fmt.Sprintf("%s/small/%d.html", srv.URL, i))
	}
	site.set("/big.xml", "application/rss+xml", rssWithLinks("Big", big...))
	site.set("/small.xml", "application/rss+xml", rssWithLinks("Small", small...))
	s := &Syncer{Client: testClient(srv), Store: newMemStore(), Articles: true, MaxArticles: 10, Extract: testExtract}
	sum, err := s.Run(t.Context(), []string{srv.URL + "/big.xml", srv.URL + "/small.xml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	perFeed := map[string]int{}
	for _, f := range sum.Failures { // every page is a 404: each attempt is a failure
		perFeed[f.Feed]++
	}
	if perFeed[srv.URL+"/small.xml"] != 3 || perFeed[srv.URL+"/big.xml"] != 7 {
		t.Errorf("articles attempted per feed %v, want small 3 and big 7 (10 in all)", perFeed)
	}
	if len(sum.Notices) != 1 || !strings.Contains(sum.Notices[0].Text, "23 more articles wait") {
		t.Errorf("Notices = %+v", sum.Notices)
	}
}

// picStore is a memStore that keeps pictures.
type picStore struct {
	*memStore
	pmu  sync.Mutex
	pics map[string][]Picture
}

func (s *picStore) SavePictures(ctx context.Context, entryIDs []string, pics []Picture) error {
	s.pmu.Lock()
	defer s.pmu.Unlock()
	for _, id := range entryIDs {
		s.pics[id] = pics
	}
	return nil
}

// TestSyncStoresPictures is issue 11's storage at sync: the hero and inline
// images of every fetched article are stored, bad ones skipped with a
// reason and never failing their article; without Pictures none is.
func TestSyncStoresPictures(t *testing.T) {
	jpg := encodeJPEG(t, testImage(1600, 900, false))
	png := encodePNG(t, testImage(200, 100, true))
	mux := http.NewServeMux()
	var srvURL string
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssWithLinks("Pics", srvURL+"/a.html"))
	})
	mux.HandleFunc("/a.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(testPage("A"))
	})
	mux.HandleFunc("/hero.jpg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(jpg)
	})
	mux.HandleFunc("/inline.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	})
	mux.HandleFunc("/bomb.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(pngBomb(50_000, 50_000))
	})
	mux.HandleFunc("/evil.svg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Write([]byte("<svg/>"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	srvURL = srv.URL
	extract := func(pageURL string, page []byte) (Article, error) {
		return Article{Title: "A", Body: "text", Hero: &Figure{Image: srvURL + "/hero.jpg", Caption: "Hero"},
			Figures: []Figure{{Image: srvURL + "/inline.png"}, {Image: srvURL + "/bomb.png"}, {Image: srvURL + "/evil.svg"}, {Image: srvURL + "/missing.jpg"}}}, nil
	}
	for _, on := range []bool{true, false} {
		store := &picStore{memStore: newMemStore(), pics: map[string][]Picture{}}
		s := &Syncer{Client: NewClient(ClientOptions{}), Store: store, Articles: true, Extract: extract, Pictures: on}
		sum, err := s.Run(t.Context(), []string{srv.URL + "/feed.xml"}, nil)
		if err != nil || sum.ArticlesFetched != 1 {
			t.Fatalf("Run = %+v, %v", sum, err)
		}
		var id string
		for k := range store.articles {
			id = k
		}
		pics := store.pics[id]
		if !on {
			if len(pics) != 0 || sum.PicturesStored != 0 {
				t.Errorf("pictures off: %d stored", len(pics))
			}
			continue
		}
		if sum.PicturesStored != 2 || sum.PicturesFailed != 3 || len(pics) != 2 {
			t.Fatalf("pictures: %d stored, %d failed, %d kept; want 2, 3, 2: %+v", sum.PicturesStored, sum.PicturesFailed, len(pics), sum.Failures)
		}
		if pics[0].URL != srv.URL+"/hero.jpg" || pics[0].Width != DefaultPictureWidth || pics[1].Type != "image/png" {
			t.Errorf("pictures %s %d, %s %s", pics[0].URL, pics[0].Width, pics[1].URL, pics[1].Type)
		}
		for _, f := range sum.Failures {
			if f.URL == "" || !strings.Contains(f.URL, srv.URL) {
				t.Errorf("failure without its picture URL: %+v", f)
			}
		}
	}
}

// TestSyncPicturesForLateEntries: an entry of a second feed that finds its
// article already fetched (IDs are per feed, the page is fetched once) gets
// the pictures too.
func TestSyncPicturesForLateEntries(t *testing.T) {
	jpg := encodeJPEG(t, testImage(300, 200, false))
	mux := http.NewServeMux()
	var srvURL string
	release := make(chan struct{})
	mux.HandleFunc("/fast.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssWithLinks("Fast", srvURL+"/a.html"))
	})
	mux.HandleFunc("/slow.xml", func(w http.ResponseWriter, r *http.Request) {
		<-release // answers once the shared page has been fetched
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssWithLinks("Slow", srvURL+"/a.html"))
	})
	var once sync.Once
	mux.HandleFunc("/a.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(testPage("A"))
	})
	mux.HandleFunc("/p.jpg", func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(release) })
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(jpg)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	srvURL = srv.URL
	extract := func(pageURL string, page []byte) (Article, error) {
		return Article{Title: "A", Hero: &Figure{Image: srvURL + "/p.jpg"}}, nil
	}
	store := &picStore{memStore: newMemStore(), pics: map[string][]Picture{}}
	s := &Syncer{Client: NewClient(ClientOptions{}), Store: store, Articles: true, Extract: extract, Pictures: true}
	if _, err := s.Run(t.Context(), []string{srv.URL + "/fast.xml", srv.URL + "/slow.xml"}, nil); err != nil {
		t.Fatal(err)
	}
	if len(store.articles) != 2 {
		t.Fatalf("%d articles stored, want one per feed's entry", len(store.articles))
	}
	for id := range store.articles {
		if len(store.pics[id]) != 1 {
			t.Errorf("entry %s has its article but %d pictures", id, len(store.pics[id]))
		}
	}
}
