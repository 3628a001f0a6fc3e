package main

import (
	"bytes"
	"errors"
	"io/fs"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
	"github.com/kiosk-reader/kiosk/ui"
)

// tuiEnv returns an env whose HTTP goes to srv, with a config of heise and
// Telepolis in dir.
func tuiEnv(t *testing.T, srv *httptest.Server, dir string, offline bool) *env {
	t.Helper()
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	writeCfg(t, filepath.Join(dir, "config.toml"), `
[[feed]]
name = "heise online"
url = "https://www.heise.de/rss/heise-atom.xml"

[[feed]]
name = "Telepolis"
url = "https://www.telepolis.de/news-atom.xml"
`)
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	e.http = fetch.ClientOptions{Transport: redirectAll{target, srv.Client().Transport}, Timeout: 5 * time.Second, RetryBase: time.Millisecond}
	e.g = globals{config: filepath.Join(dir, "config.toml"), dataDir: filepath.Join(dir, "data"), offline: offline}
	return e
}

// openTUISource opens the cache read-write as cmdTUI does and builds the source.
func openTUISource(t *testing.T, e *env) *tuiSource {
	t.Helper()
	cfg, err := e.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	store, err := e.openStore(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Error(err)
		}
	})
	return newTUISource(e, cfg, store)
}

func TestTUISourceOverSyncedCache(t *testing.T) {
	site := newFixtureSite(t)
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	if _, stderr, err := syncEnv(t, srv, dir, "sync", "--no-articles"); err != nil {
		t.Fatalf("sync --no-articles: %v\n%s", err, stderr)
	}
	src := openTUISource(t, tuiEnv(t, srv, dir, false))
	ctx := t.Context()
	items, err := src.List(ctx, cache.Query{Limit: 10})
	if err != nil || len(items) == 0 {
		t.Fatalf("List = %d items, %v", len(items), err)
	}
	it := items[0]

	// No full text yet: the teaser, saying so.
	a, err := src.Article(ctx, it.ID)
	if err != nil || a.Title != it.Title || !strings.Contains(a.Notice, "nicht im Cache") {
		t.Fatalf("Article(%s) without full text = %q, notice %q, %v", it.ID, a.Title, a.Notice, err)
	}
	if _, err := src.Article(ctx, "404404404"); !errors.Is(err, cache.ErrNotFound) {
		t.Errorf("Article(unknown) error = %v, want ErrNotFound", err)
	}

	// A referenced page that is not cached is fetched and extracted.
	_, before, _ := site.snapshot()
	page, err := src.OpenURL(ctx, it.URL)
	if err != nil || page.Body == "" || len(page.References) == 0 {
		t.Fatalf("OpenURL(%s) = body %d bytes, %d refs, %v", it.URL, len(page.Body), len(page.References), err)
	}
	if _, after, _ := site.snapshot(); len(after) <= len(before) && sumPages(after) <= sumPages(before) {
		t.Errorf("OpenURL did not fetch the page: pages %v → %v", before, after)
	}
	if _, err := src.OpenURL(ctx, "https://www.heise.de/nothing-here"); err == nil {
		t.Error("OpenURL of a missing page succeeded")
	}

	// Sync of all configured feeds fetches the full articles.
	var events []fetch.Event
	sum, err := src.Sync(ctx, nil, func(ev fetch.Event) { events = append(events, ev) })
	if err != nil || sum.FeedsOK != 2 || sum.ArticlesFetched == 0 || len(events) == 0 {
		t.Fatalf("Sync(nil) = %+v, %d events, %v", sum, len(events), err)
	}
	a, err = src.Article(ctx, it.ID)
	if err != nil || a.Notice != "" || a.Body == "" {
		t.Fatalf("Article after sync = notice %q, body %d bytes, %v", a.Notice, len(a.Body), err)
	}

	// Now OpenURL answers from the cache, without the network.
	_, before, _ = site.snapshot()
	if page, err := src.OpenURL(ctx, it.URL); err != nil || page.Body != a.Body {
		t.Errorf("OpenURL(cached %s) = %d bytes of body, %v; want the cached article", it.URL, len(page.Body), err)
	}
	if _, after, _ := site.snapshot(); sumPages(after) != sumPages(before) {
		t.Errorf("OpenURL of a cached article went to the network")
	}
}

func sumPages(p map[string]int) int {
	n := 0
	for _, v := range p {
		n += v
	}
	return n
}

func TestTUISourceOffline(t *testing.T) {
	site := newFixtureSite(t)
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	if _, stderr, err := syncEnv(t, srv, dir, "sync"); err != nil {
		t.Fatalf("sync: %v\n%s", err, stderr)
	}
	src := openTUISource(t, tuiEnv(t, srv, dir, true))
	requests, _, _ := site.snapshot()
	if _, err := src.OpenURL(t.Context(), "https://example.org/not-cached"); !errors.Is(err, fetch.ErrOffline) {
		t.Errorf("offline OpenURL error = %v, want ErrOffline", err)
	}
	if _, err := src.Sync(t.Context(), nil, func(fetch.Event) {}); !errors.Is(err, fetch.ErrOffline) {
		t.Errorf("offline Sync error = %v, want ErrOffline", err)
	}
	if n, _, _ := site.snapshot(); n != requests {
		t.Errorf("offline source made %d requests", n-requests)
	}
}

// TestTUIEndToEnd syncs from the fixture site, then runs the reader offline
// over that cache: the list shows, enter opens the newest article, Q quits.
func TestTUIEndToEnd(t *testing.T) {
	site := newFixtureSite(t)
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	if _, stderr, err := syncEnv(t, srv, dir, "sync"); err != nil {
		t.Fatalf("sync: %v\n%s", err, stderr)
	}
	src := openTUISource(t, tuiEnv(t, srv, dir, true))
	items, err := src.List(t.Context(), cache.Query{Limit: 1})
	if err != nil || len(items) != 1 {
		t.Fatalf("List = %v, %v", items, err)
	}
	a, err := src.Article(t.Context(), items[0].ID)
	if err != nil || a.Lead == "" {
		t.Fatalf("Article(%s) = lead %q, %v", items[0].ID, a.Lead, err)
	}
	m := ui.New(src, ui.Options{Offline: true, RefreshOnStart: true, Browser: func(string) error { return nil }})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	wait := func(want ...string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			for _, w := range want {
				if !bytes.Contains(b, []byte(w)) {
					return false
				}
			}
			return true
		}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	wait(firstWords(items[0].Title, 3), "offline")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait(firstWords(a.Lead, 3))
	tm.Send(tea.KeyPressMsg{Code: 'Q', Text: "Q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if !tm.FinalModel(t).(ui.Model).WaitWrites(5 * time.Second) {
		t.Error("the mark was not written within 5 s of quitting")
	}
	it, err := src.Item(t.Context(), items[0].ID)
	if err != nil || !it.Read {
		t.Errorf("the opened article is not marked read: %v, %v", it.Read, err)
	}
}

// firstWords is the first n words of s.
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(n, len(f))], " ")
}

// TestTUIBadConfig: a config with a mistake stops the reader before it
// starts, whether the cache exists (it is opened while the config is read,
// and closed again) or not (it is not created).
func TestTUIBadConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	writeCfg(t, cfg, "keep_days = \"soon\"\n")
	data := filepath.Join(dir, "data")
	e := &env{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	e.g = globals{config: cfg, dataDir: data, offline: true}
	if err := cmdTUI(t.Context(), e); err == nil || !strings.Contains(err.Error(), "keep_days") {
		t.Fatalf("bad config: err = %v, want one naming keep_days", err)
	}
	if _, err := os.Stat(filepath.Join(data, "kiosk.db")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a bad config created the cache: %v", err)
	}

	store, err := cache.Open(t.Context(), filepath.Join(data, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	if err := cmdTUI(t.Context(), e); err == nil || !strings.Contains(err.Error(), "keep_days") {
		t.Fatalf("bad config, existing cache: err = %v, want one naming keep_days", err)
	}
	// The cache opened meanwhile was closed: its last connection gone,
	// SQLite has removed the write-ahead log.
	if _, err := os.Stat(filepath.Join(data, "kiosk.db-wal")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the cache was left open (its -wal file is there): %v", err)
	}
}

// TestTUIBadConfigOlderCache: a config with a mistake leaves a cache made
// by an older kiosk (schema 9) as it was, so that the older kiosk can still
// read it: the reader opens an existing cache early only when it needs no
// upgrade.
func TestTUIBadConfigOlderCache(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	writeCfg(t, cfg, "keep_days = \"soon\"\n")
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	old, err := os.ReadFile(filepath.Join("testdata", "v9.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(data, "kiosk.db")
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	e := &env{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	e.g = globals{config: cfg, dataDir: data, offline: true}
	if err := cmdTUI(t.Context(), e); err == nil || !strings.Contains(err.Error(), "keep_days") {
		t.Fatalf("bad config: err = %v, want one naming keep_days", err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(old, after) {
		t.Errorf("a bad config changed the older cache (migrated it?)")
	}
}

// gcPercent is the collector's current GOGC setting (-1: off).
func gcPercent(t *testing.T) int64 {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Fatalf("no %s metric", s[0].Name)
	}
	return int64(s[0].Value.Uint64())
}

// TestHoldGC: while the collector is held it does not run by itself and the
// heap is bounded; releasing it (once or twice) brings back the settings
// the process had.
func TestHoldGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 40))
	release := holdGC(time.Hour)
	if p := gcPercent(t); p != -1 {
		t.Errorf("GC percent while held = %d, want -1 (off)", p)
	}
	if l := debug.SetMemoryLimit(-1); l != startHeapLimit {
		t.Errorf("memory limit while held = %d, want %d", l, startHeapLimit)
	}
	release()
	release()
	if p := gcPercent(t); p != 150 {
		t.Errorf("GC percent after release = %d, want the 150 it was", p)
	}
	if l := debug.SetMemoryLimit(-1); l != 1<<40 {
		t.Errorf("memory limit after release = %d, want the %d it was", l, int64(1<<40))
	}
}

// TestHoldGCEnds: a hold nobody releases ends by itself.
func TestHoldGCEnds(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(120))
	holdGC(20 * time.Millisecond)
	for deadline := time.Now().Add(5 * time.Second); gcPercent(t) != 120; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("GC percent %d 5 s after a hold of 20 ms began, want the 120 it was", gcPercent(t))
		}
	}
}
