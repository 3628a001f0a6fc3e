package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// fixtureSite plays www.heise.de and www.telepolis.de: feeds with ETags,
// article pages, and a broken feed. It counts what is asked of it.
type fixtureSite struct {
	t        *testing.T
	mu       sync.Mutex
	feeds    map[string][]byte // by path
	requests []string          // host+path?query of every request
	pages    map[string]int    // 200 answers per page path
	notMod   int
}

func newFixtureSite(t *testing.T) *fixtureSite {
	s := &fixtureSite{t: t, feeds: map[string][]byte{}, pages: map[string]int{}}
	s.feeds["/rss/heise-atom.xml"] = readTestdata(t, "sync/heise-atom-small.xml")
	s.feeds["/news-atom.xml"] = readTestdata(t, "sync/telepolis-atom.xml")
	return s
}

// pagesDir holds the article pages the tests serve: the extractor's
// fixtures, kept once, with their owner.
const pagesDir = "../../fetch/testdata/pages"

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (s *fixtureSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Host+r.URL.RequestURI())
	feed, isFeed := s.feeds[r.URL.Path]
	s.mu.Unlock()
	switch {
	case r.URL.Path == "/broken.xml":
		http.Error(w, "database on fire", http.StatusInternalServerError)
	case isFeed:
		etag := `"` + strings.Repeat("0", 4) + string(rune('a'+len(feed)%26)) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			s.mu.Lock()
			s.notMod++
			s.mu.Unlock()
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write(feed)
	case strings.HasPrefix(r.URL.Path, "/news/") || strings.HasPrefix(r.URL.Path, "/tests/"):
		s.page(w, r, "heise-news-9691259-2024.html", "9691259")
	case strings.HasPrefix(r.URL.Path, "/imgs/"):
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(fixtureJPEG)
	case strings.HasPrefix(r.URL.Path, "/features/"):
		s.page(w, r, "constructed-telepolis-9675153-2024.html", "9675153")
	default:
		http.NotFound(w, r)
	}
}

// page serves a fixture page as the article at r's path: the fixture's
// content ID is replaced by the path's, so that every page has the identity
// its URL promises, as on the real site.
func (s *fixtureSite) page(w http.ResponseWriter, r *http.Request, name, fixtureID string) {
	s.mu.Lock()
	s.pages[r.URL.Path]++
	s.mu.Unlock()
	page, err := os.ReadFile(filepath.Join(pagesDir, name))
	if err != nil {
		s.t.Fatal(err)
	}
	if id := fetch.HeiseContentID("https://www.heise.de" + r.URL.Path); id != "" {
		page = bytes.ReplaceAll(page, []byte(fixtureID), []byte(id))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(page)
}

func (s *fixtureSite) setFeed(path string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feeds[path] = body
}

func (s *fixtureSite) snapshot() (requests int, pages map[string]int, notMod int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pages = map[string]int{}
	for k, v := range s.pages {
		pages[k] = v
	}
	return len(s.requests), pages, s.notMod
}

// redirectAll sends every request to one test server, whatever its host.
type redirectAll struct {
	target *url.URL
	rt     http.RoundTripper
}

func (h redirectAll) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = h.target.Scheme, h.target.Host
	return h.rt.RoundTrip(r)
}

// syncEnv runs kiosk with the fixture site standing in for the internet.
func syncEnv(t *testing.T, srv *httptest.Server, dir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	target, perr := url.Parse(srv.URL)
	if perr != nil {
		t.Fatal(perr)
	}
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	e.http = fetch.ClientOptions{Transport: redirectAll{target, srv.Client().Transport}, Timeout: 5 * time.Second, RetryBase: time.Millisecond}
	all := append([]string{"--config", filepath.Join(dir, "config.toml"), "--data-dir", filepath.Join(dir, "data")}, args...)
	err = run(t.Context(), e, all)
	return out.String(), errb.String(), err
}

func openTestCache(t *testing.T, dir string) *cache.Store {
	t.Helper()
	s, err := cache.OpenReadOnly(t.Context(), filepath.Join(dir, "data", "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSyncEndToEnd(t *testing.T) {
	site := newFixtureSite(t)
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	writeCfg(t, filepath.Join(dir, "config.toml"), `
[[feed]]
name = "heise online"
url = "https://www.heise.de/rss/heise-atom.xml"

[[feed]]
name = "Telepolis"
url = "https://www.telepolis.de/news-atom.xml"

[[feed]]
name = "Broken"
url = "https://broken.example/broken.xml"
`)

	// First sync: every feed and article stored, the broken feed named.
	_, stderr, err := syncEnv(t, srv, dir, "sync")
	if err != nil {
		t.Fatalf("first sync: %v\n%s", err, stderr)
	}
	for _, s := range []string{"feeds: 2 ok (0 unchanged), 1 failed; 5 new entries; articles: 5 fetched, 0 failed",
		"failed: https://broken.example/broken.xml: fetch feed: get https://broken.example/broken.xml: HTTP 500"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("first sync stderr lacks %q:\n%s", s, stderr)
		}
	}
	store := openTestCache(t, dir)
	items, err := store.List(t.Context(), cache.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 5 {
		t.Fatalf("%d entries cached, want 5 (4 heise, 1 Telepolis; one shared)", len(items))
	}
	for _, it := range items {
		if !it.Offline || it.ArticleErr != "" {
			t.Errorf("entry %s (%s): offline %v, error %q", it.ID, it.URL, it.Offline, it.ArticleErr)
		}
		if it.Paywalled != (it.ID == "9985333") || strings.Contains(it.Title, "heise+") || strings.Contains(it.URL, "wt_mc") {
			t.Errorf("entry %s: title %q, URL %s, paywalled %v", it.ID, it.Title, it.URL, it.Paywalled)
		}
	}
	_, pages, _ := site.snapshot()
	if len(pages) != 5 {
		t.Errorf("pages fetched: %v, want 5 distinct", pages)
	}
	for p, n := range pages {
		if n != 1 {
			t.Errorf("%s fetched %d times, want once although two feeds list one of them", p, n)
		}
	}
	site.mu.Lock()
	for _, r := range site.requests {
		if strings.Contains(r, "wt_mc") {
			t.Errorf("request with tracking parameters: %s", r)
		}
		if (strings.Contains(r, "/news/") || strings.Contains(r, "/features/")) && !strings.HasSuffix(r, "?seite=all") {
			t.Errorf("article request without seite=all: %s", r)
		}
	}
	site.mu.Unlock()
	for _, it := range items {
		if a, err := store.Article(t.Context(), it.ID); err != nil || a.ID != it.ID {
			t.Errorf("article of entry %s: ID %q, %v", it.ID, a.ID, err)
		}
	}
	a, err := store.Article(t.Context(), "9675153")
	if err != nil || !strings.Contains(a.Title, "Schoigu") || len(a.Body) < 500 {
		t.Errorf("Telepolis article = %q (%d bytes of body), %v", a.Title, len(a.Body), err)
	}

	// The config's names are the feeds' titles in the cache, so list --feed NAME works.
	out, _, err := syncEnv(t, srv, dir, "list", "--feed", "heise online", "--json")
	if err != nil || strings.Count(out, `"id"`) != 4 {
		t.Errorf("list --feed \"heise online\" = %s, %v; want its 4 entries", out, err)
	}

	// Second sync: 304s and no page fetched again.
	before, pagesBefore, _ := site.snapshot()
	_, stderr, err = syncEnv(t, srv, dir, "sync")
	if err != nil {
		t.Fatalf("second sync: %v\n%s", err, stderr)
	}
	after, pagesAfter, notMod := site.snapshot()
	if notMod != 2 || after-before != 3 {
		t.Errorf("second sync: %d requests, %d answered 304; want 3 requests (2 feeds + the broken one), 2 304s", after-before, notMod)
	}
	if len(pagesAfter) != len(pagesBefore) {
		t.Errorf("second sync fetched pages again: %v", pagesAfter)
	}
	if !strings.Contains(stderr, "feeds: 2 ok (2 unchanged), 1 failed; 0 new entries; articles: 0 fetched") {
		t.Errorf("second sync stderr:\n%s", stderr)
	}

	// --offline sends nothing.
	before, _, _ = site.snapshot()
	if _, _, err := syncEnv(t, srv, dir, "--offline", "sync"); err == nil || !strings.Contains(err.Error(), "--offline") {
		t.Errorf("offline sync = %v, want a refusal naming --offline", err)
	}
	if after, _, _ := site.snapshot(); after != before {
		t.Errorf("offline sync sent %d requests", after-before)
	}

	// A bad answer deletes nothing: the heise feed turns into HTML, Telepolis into garbage.
	site.setFeed("/rss/heise-atom.xml", []byte("<!DOCTYPE html><html><body>Wartung</body></html>"))
	site.setFeed("/news-atom.xml", []byte("<?xml version=\"1.0\"?><feed><entry>"))
	_, stderr, err = syncEnv(t, srv, dir, "sync", "--no-articles")
	if err == nil || !strings.Contains(err.Error(), "all 3 feeds failed") {
		t.Errorf("sync with only bad answers = %v, want every feed failed", err)
	}
	if !strings.Contains(stderr, "not a feed: an HTML page") {
		t.Errorf("stderr does not name the HTML answer:\n%s", stderr)
	}
	items, err = store.List(t.Context(), cache.Query{Limit: 100})
	if err != nil || len(items) != 5 {
		t.Errorf("after bad answers: %d entries, %v; want the 5 cached ones", len(items), err)
	}
}

func TestSyncFeedFlag(t *testing.T) {
	site := newFixtureSite(t)
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir() // no config file: the defaults, heise online and Telepolis
	_, stderr, err := syncEnv(t, srv, dir, "sync", "--feed", "Telepolis", "--no-articles")
	if err != nil {
		t.Fatalf("sync --feed Telepolis: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "feeds: 1 ok (0 unchanged), 0 failed; 2 new entries; articles: 0 fetched") {
		t.Errorf("stderr:\n%s", stderr)
	}
	_, pages, _ := site.snapshot()
	if len(pages) != 0 {
		t.Errorf("--no-articles fetched pages: %v", pages)
	}
	for _, args := range [][]string{{"sync", "--feed", "no such feed"}, {"sync", "extra"}} {
		if _, _, err := syncEnv(t, srv, dir, args...); err == nil {
			t.Errorf("kiosk %v succeeded", args)
		}
	}
	// An unsubscribed URL is refused and leaves no stray feed in the cache.
	if _, _, err := syncEnv(t, srv, dir, "sync", "--feed", "https://www.heise.de/rss/heise-atom.xml?other"); err == nil || !strings.Contains(err.Error(), "not a subscribed feed") {
		t.Errorf("sync --feed of an unsubscribed URL = %v", err)
	}
	feeds, err := openTestCache(t, dir).Feeds(t.Context())
	if err != nil || len(feeds) != 1 {
		t.Errorf("feeds in the cache = %+v, %v; want only Telepolis", feeds, err)
	}
}

func TestSyncAllFailExit(t *testing.T) {
	site := newFixtureSite(t)
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	writeCfg(t, filepath.Join(dir, "config.toml"), "[[feed]]\nurl = \"https://broken.example/broken.xml\"\n[[feed]]\nurl = \"https://www.heise.de/missing.xml\"\n")
	_, stderr, err := syncEnv(t, srv, dir, "sync")
	if err == nil || !strings.Contains(err.Error(), "all 2 feeds failed") {
		t.Errorf("sync = %v, want all feeds failed", err)
	}
	for _, s := range []string{"HTTP 500", "HTTP 404", "feed failed: https://broken.example/broken.xml"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
}

func TestSyncPrinter(t *testing.T) {
	events := []fetch.Event{
		{Kind: fetch.EventStart, Total: 2},
		{Kind: fetch.EventFeedDone, Feed: "https://a.example/f", Title: "A\x1b[31m red", New: 3, Done: 1, Total: 2, Bytes: 2000},
		{Kind: fetch.EventFeedDone, Feed: "https://b.example/f", Done: 2, Total: 2, Err: errors.New("HTTP 500\x1b]0;title\x07")},
		{Kind: fetch.EventArticlesStart, Total: 1},
		{Kind: fetch.EventArticleDone, URL: "https://a.example/1", Done: 1, Total: 1, Bytes: 20000},
	}
	sum := fetch.Summary{FeedsOK: 1, FeedsFailed: 1, NewEntries: 3, ArticlesFetched: 1, Bytes: 22000, Duration: 1500 * time.Millisecond,
		Failures: []fetch.Failure{{Feed: "https://b.example/f", Err: errors.New("HTTP 500\x1b]0;title\x07")}}}
	for _, tty := range []bool{false, true} {
		var buf bytes.Buffer
		p := &syncPrinter{w: &buf, tty: tty}
		for _, ev := range events {
			p.event(ev)
		}
		p.finish(sum)
		out := buf.String()
		if strings.Contains(out, "\x1b[31m") || strings.Contains(out, "\x07") || strings.Contains(out, "]0;") {
			t.Errorf("tty %v: escape sequences from the network reached the terminal: %q", tty, out)
		}
		if !strings.Contains(out, "feeds: 1 ok (0 unchanged), 1 failed; 3 new entries; articles: 1 fetched, 0 failed; 22.0 kB in 1.5s\n  failed: https://b.example/f: HTTP 500\n") {
			t.Errorf("tty %v: summary missing in %q", tty, out)
		}
		if tty {
			if !strings.Contains(out, "\r\x1b[Kfeeds 2/2 · articles 1/1 · 22.0 kB") || strings.Contains(out, "feed ok:") {
				t.Errorf("terminal output = %q, want one updating line", out)
			}
		} else {
			if strings.Contains(out, "\r") || !strings.Contains(out, "feed ok: A red <https://a.example/f>: 3 new\n") || !strings.Contains(out, "feed failed: https://b.example/f: HTTP 500\n") {
				t.Errorf("plain output = %q", out)
			}
		}
	}
}

func TestOPMLImportURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/subs.opml" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/x-opml")
		w.Write([]byte(`<?xml version="1.0"?><opml version="2.0"><head><title>s</title></head><body>
<outline text="Go" xmlUrl="https://go.dev/blog/feed.atom"/></body></opml>`))
	}))
	defer srv.Close()
	dir := t.TempDir()
	if _, stderr, err := syncEnv(t, srv, dir, "opml", "import", "https://subs.example/subs.opml"); err != nil || !strings.Contains(stderr, "1 feed added") {
		t.Fatalf("opml import URL = %v\n%s", err, stderr)
	}
	out, _, err := syncEnv(t, srv, dir, "feeds", "list")
	// No config file before: the new one holds just what was imported.
	if err != nil || !strings.Contains(out, "https://go.dev/blog/feed.atom") || strings.Contains(out, "heise online") {
		t.Errorf("feeds list after import = %q, %v", out, err)
	}
	if _, _, err := syncEnv(t, srv, dir, "opml", "import", "https://subs.example/missing.opml"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("import of a missing URL = %v", err)
	}
}

func TestSyncPrinterCapsArticleFailures(t *testing.T) {
	sum := fetch.Summary{Failures: []fetch.Failure{{Feed: "https://f.example/feed", Err: errors.New("HTTP 500")}}}
	for i := range 25 {
		sum.Failures = append(sum.Failures, fetch.Failure{Feed: "https://f.example/feed", URL: fmt.Sprintf("https://f.example/%d", i), Err: errors.New("HTTP 404")})
	}
	for _, tc := range []struct {
		tty   bool
		lines int
	}{{false, 26}, {true, 21}} {
		var buf bytes.Buffer
		(&syncPrinter{w: &buf, tty: tc.tty}).finish(sum)
		out := buf.String()
		if got := strings.Count(out, "  failed: "); got != tc.lines {
			t.Errorf("tty %v: %d failure lines, want %d:\n%s", tc.tty, got, tc.lines, out)
		}
		if tc.tty != strings.Contains(out, "… and 5 more failed articles") {
			t.Errorf("tty %v: output %q", tc.tty, out)
		}
	}
}
