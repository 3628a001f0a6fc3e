package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
	"github.com/kiosk-reader/kiosk/fetch/remote"
	"github.com/kiosk-reader/kiosk/ui"
)

// cmdTUI runs the reader over the cache, syncing in the background unless
// --offline is set or the config turns refresh_on_start off.
func cmdTUI(ctx context.Context, e *env) (err error) {
	releaseGC := holdGC(startGCHold)
	defer releaseGC()
	// An existing cache is opened, and the list's first screenful read
	// from it, while the config is read and the terminal set up: the first
	// frame waits for none of them in turn. A new cache is created only
	// once the config is known to be good.
	rows := terminalHeight(e.stdout)
	opening := e.openExistingStoreAsync(ctx, rows)
	cfg, err := e.loadConfig()
	if err != nil {
		return errors.Join(err, opening.discard())
	}
	store, readOnly, first, err := opening.wait()
	if errors.Is(err, cache.ErrOutdated) {
		store, err = nil, nil // upgraded by openStoreForTUI now that the config is good
	}
	if err == nil && store == nil {
		if store, readOnly, err = e.openStoreForTUI(ctx); err == nil {
			first = ui.Prefetch(ctx, store, rows)
		}
	}
	if err != nil {
		return err
	}
	defer func() {
		first.Wait() // no read in flight when the cache closes
		err = errors.Join(err, store.Close())
	}()
	browser := cfg.Browser
	if browser == "" {
		browser = ui.EnvBrowser(e.getenv)
	}
	saveTo, err := saveDir(cfg, e.getenv)
	if err != nil {
		return err
	}
	src := newTUISource(e, cfg, store)
	src.readOnly = readOnly
	if cfg.hasServer() {
		// The password is asked for now, while the terminal is still
		// ours (a password manager may prompt); a failure shows in the
		// status line at each sync, and the cache reads as always.
		if err := src.useServer(ctx, e, cfg, !e.g.offline && !readOnly); err != nil {
			return err
		}
	}
	refresh := time.Duration(cfg.RefreshInterval)
	if readOnly {
		refresh = 0 // every sync would fail; the one at start says why
	}
	m := ui.New(src, ui.Options{
		Offline: e.g.offline,
		// A read-only cache's "sync" fails at once, without the network:
		// its error is how the status line says the cache is read-only.
		RefreshOnStart:  cfg.RefreshOnStart || readOnly,
		StartScreen:     cfg.StartScreen,
		NoColor:         e.getenv("NO_COLOR") != "",
		Browser:         ui.Browser(browser),
		Keys:            cfg.keyBindings(),
		SaveDir:         saveTo,
		RefreshInterval: refresh,
		// A cron kiosk sync shows up within a second; a poll costs
		// microseconds (cache.BenchmarkChanged).
		WatchInterval: time.Second,
		Images:        cfg.Images == "on",
		ImageProtocol: cfg.ImageProtocol,
		FirstPage:     first,
		// The feeds, the rest of the first page and the article renderer
		// wait until the first frame is on the screen (drawing it takes
		// about a millisecond, longer on a busy machine).
		StartDelay: 15 * time.Millisecond,
		Started:    releaseGC,
	})
	return ui.Run(ctx, m)
}

// tuiSource adapts the cache and fetch to ui.Source.
type tuiSource struct {
	*cache.Store
	client      *fetch.Client
	feeds       []string // the configured feed URLs, for a sync of all feeds
	concurrency int
	names       map[string]string // feed URL → the config's name, the title the list shows
	maxItems    int               // entries a sync takes per feed
	feedMax     map[string]int    // feed URL → its own max_items
	pictures    bool              // store articles' pictures at sync
	picOpts     fetch.PictureOptions
	offline     bool
	readOnly    bool // the cache could only be opened read-only: no sync
	// With a [server]: its client (nil when it could not be made, see
	// serverErr), the config, and the subscriptions' categories.
	server     remote.Client
	serverErr  error
	cfg        Config
	categories map[string]string // feed URL → the server's category
	// mu guards feeds, names and categories, which a server sync renews
	// while the reader may be drawing the overview.
	mu sync.Mutex
}

// feedList returns the subscriptions: URLs, names and categories.
func (s *tuiSource) feedList() ([]string, map[string]string, map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.feeds, s.names, s.categories
}

var _ ui.Source = (*tuiSource)(nil)

func newTUISource(e *env, cfg Config, store *cache.Store) *tuiSource {
	feeds := make([]string, 0, len(cfg.Feeds))
	for _, f := range cfg.Feeds {
		feeds = append(feeds, f.URL)
	}
	return &tuiSource{Store: store, client: e.client(), feeds: feeds, concurrency: cfg.Concurrency, names: cfg.names(), maxItems: cfg.MaxItems, feedMax: cfg.feedMaxItems(), offline: e.g.offline,
		pictures: cfg.Images == "on", picOpts: cfg.pictureOptions()}
}

// Article returns the cached full article, else the feed's teaser with a
// notice saying why the full text is missing.
func (s *tuiSource) Article(ctx context.Context, id string) (fetch.Article, error) {
	a, err := s.Store.Article(ctx, id)
	if err == nil || !errors.Is(err, cache.ErrNotFound) {
		return a, err
	}
	it, err := s.Store.Item(ctx, id)
	if err != nil {
		return fetch.Article{}, err
	}
	return teaserArticle(it), nil
}

// OpenURL returns a referenced page: the cached article when the URL is a
// cached entry with its full text, else the page fetched and extracted.
func (s *tuiSource) OpenURL(ctx context.Context, raw string) (fetch.Article, error) {
	a, err := cachedArticleForURL(ctx, s.Store, raw)
	if err == nil {
		return a, nil
	}
	if !errors.Is(err, cache.ErrNotFound) {
		return fetch.Article{}, err
	}
	if s.offline {
		return fetch.Article{}, fmt.Errorf("open %s: %w", raw, fetch.ErrOffline)
	}
	return s.client.Page(ctx, fetch.StripTracking(raw))
}

// Sync fetches feeds (nil: every configured feed) and their new articles.
func (s *tuiSource) Sync(ctx context.Context, feedURLs []string, progress func(fetch.Event)) (fetch.Summary, error) {
	if s.offline {
		return fetch.Summary{}, fmt.Errorf("sync: %w", fetch.ErrOffline)
	}
	if s.readOnly {
		return fetch.Summary{}, fmt.Errorf("the cache %s is read-only (its directory or file is not writable): no sync, and read or starred marks are not saved", s.Path())
	}
	if s.cfg.hasServer() {
		return s.syncServer(ctx, feedURLs, progress)
	}
	if feedURLs == nil {
		feedURLs, _, _ = s.feedList()
	}
	return s.syncer().Run(ctx, feedURLs, progress)
}

// syncer is the Syncer of a sync from the reader: feeds and full articles
// as the config asks, the feeds named as the overview names them.
func (s *tuiSource) syncer() *fetch.Syncer {
	_, names, _ := s.feedList()
	return &fetch.Syncer{
		Client: s.client, Store: s.Store, Concurrency: s.concurrency, Names: names, Articles: true,
		MaxItems: s.maxItems, FeedMaxItems: s.feedMax, Pictures: s.pictures, PictureOptions: s.picOpts,
	}
}

// useServer makes the source sync through the configured server and name
// the feeds as the server does; connect false (offline, read-only) only
// reads the subscriptions the cache has from the last sync.
func (s *tuiSource) useServer(ctx context.Context, e *env, cfg Config, connect bool) error {
	s.cfg = cfg
	if connect {
		s.server, s.serverErr = e.serverClient(ctx, cfg)
	}
	return s.loadServerFeeds(ctx)
}

// loadServerFeeds takes the feed list, names and categories from the
// subscriptions stored at the last server sync.
func (s *tuiSource) loadServerFeeds(ctx context.Context) error {
	subs, err := s.Store.ServerFeeds(ctx)
	if err != nil {
		return err
	}
	feeds := make([]string, 0, len(subs))
	names := make(map[string]string, len(subs))
	cats := make(map[string]string, len(subs))
	for _, sub := range subs {
		feeds = append(feeds, sub.URL)
		names[sub.URL] = sub.Title
		cats[sub.URL] = sub.Category
	}
	// Grouped by category (folder), in the server's order within one.
	slices.SortStableFunc(feeds, func(a, b string) int { return strings.Compare(strings.ToLower(cats[a]), strings.ToLower(cats[b])) })
	s.mu.Lock()
	s.feeds, s.names, s.categories = feeds, names, cats
	s.mu.Unlock()
	return nil
}

// syncServer is a background sync with the server: pull, push, articles.
func (s *tuiSource) syncServer(ctx context.Context, only []string, progress func(fetch.Event)) (fetch.Summary, error) {
	if s.server == nil {
		err := s.serverErr
		if err == nil {
			err = errors.New("no server connection")
		}
		return fetch.Summary{}, fmt.Errorf("sync with %s: %w", s.cfg.Server.URL, err)
	}
	_, sum, err := serverSync(ctx, s.server, s.cfg, s.Store, s.syncer(), only, true, progress)
	if lerr := s.loadServerFeeds(ctx); lerr != nil {
		err = errors.Join(err, lerr)
	}
	return sum, err
}

// terminalHeight is the height of the terminal w writes to, 0 when w is not
// one: the rows the list's first frame can show.
func terminalHeight(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	_, h, err := term.GetSize(f.Fd())
	if err != nil {
		return 0
	}
	return h
}

// startHeapLimit bounds the heap while holdGC holds the collector: a sync
// that starts with the reader cannot grow it past this before the first
// frame.
const startHeapLimit = 64 << 20

// startGCHold is the longest the reader holds the collector (holdGC).
const startGCHold = time.Second

// holdGC keeps the garbage collector from running until the function it
// returns is called (once the reader's first frame is on the screen) or
// most has passed (a first page held up by a locked cache while a sync
// runs), unless the heap reaches startHeapLimit first. Until that frame the process
// allocates a few megabytes; a collection among them cost the first frame
// ~1.4 ms at 50,000 entries (median of 21 alternating runs with GOGC=off
// against GOGC=100, load 3.5), its write barriers and assists landing on
// the frame's drawing. The settings the process had (GOGC, GOMEMLIMIT) come
// back afterwards.
func holdGC(most time.Duration) (release func()) {
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(-1) // the current limit, unchanged
	debug.SetMemoryLimit(min(limit, startHeapLimit))
	var once sync.Once
	restore := func() {
		once.Do(func() {
			debug.SetGCPercent(percent)
			debug.SetMemoryLimit(limit)
		})
	}
	t := time.AfterFunc(most, restore)
	return func() {
		t.Stop()
		restore()
	}
}
