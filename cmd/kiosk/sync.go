package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// feedList collects repeated --feed flags.
type feedList []string

func (f *feedList) String() string     { return strings.Join(*f, ",") }
func (f *feedList) Set(v string) error { *f = append(*f, v); return nil }

var _ flag.Value = (*feedList)(nil)

// cmdSync runs "kiosk sync": every subscribed feed (or those given with
// --feed), then the full articles of their new entries, into the cache.
func cmdSync(ctx context.Context, e *env, args []string) (err error) {
	fs := newFlagSet("sync", e)
	var only feedList
	fs.Var(&only, "feed", "sync only this feed (`URL` or name from the config); repeatable")
	noArticles := fs.Bool("no-articles", false, "fetch the feeds only, not the full articles")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: kiosk sync [--feed URL]... [--no-articles]\n\n")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("sync: unexpected argument %q (see kiosk sync -h)", pos[0])
	}
	if e.g.offline {
		return errors.New("sync: --offline is set, so nothing was fetched (sync needs the network)")
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	if cfg.hasServer() {
		return syncWithServer(ctx, e, cfg, only, !*noArticles)
	}
	feeds, err := syncTargets(cfg, only)
	if err != nil {
		return err
	}
	if len(feeds) == 0 {
		return fmt.Errorf("sync: no feeds in %s (add one with kiosk feeds add URL)", cfg.Path)
	}

	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()

	p := newSyncPrinter(e.stderr)
	s := newSyncer(e, cfg, store, !*noArticles)
	sum, runErr := s.Run(ctx, feeds, p.event)
	p.finish(sum)
	if runErr == nil {
		return prune(ctx, e, cfg, store)
	}
	return runErr
}

// newSyncer is the Syncer the config asks for.
func newSyncer(e *env, cfg Config, store *cache.Store, articles bool) *fetch.Syncer {
	return &fetch.Syncer{
		Client:         e.client(),
		Store:          store,
		Concurrency:    cfg.Concurrency,
		Articles:       articles,
		Names:          cfg.names(),
		MaxItems:       cfg.MaxItems,
		FeedMaxItems:   cfg.feedMaxItems(),
		Pictures:       cfg.Images == "on",
		PictureOptions: cfg.pictureOptions(),
	}
}

// prune applies keep_days after a sync that worked.
func prune(ctx context.Context, e *env, cfg Config, store *cache.Store) error {
	if cfg.KeepDays <= 0 {
		return nil
	}
	n, err := store.Prune(ctx, cfg.KeepDays, time.Now())
	if err != nil {
		return fmt.Errorf("sync: prune: %w", err)
	}
	if n > 0 {
		fmt.Fprintf(e.stderr, "pruned %s older than %s\n", plural(n, "entry", "entries"), plural(cfg.KeepDays, "day", "days"))
	}
	return nil
}

// syncWithServer is kiosk sync with a [server]: pull and push through the
// server, then the full articles of the new entries. --feed (a
// subscription's URL or title) limits the article pass.
func syncWithServer(ctx context.Context, e *env, cfg Config, only []string, articles bool) (err error) {
	c, err := e.serverClient(ctx, cfg)
	if err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()
	var feeds []string
	if len(only) > 0 {
		subs, err := store.ServerFeeds(ctx)
		if err != nil {
			return err
		}
		for _, o := range only {
			sub, ok := findSubscription(subs, o)
			if !ok {
				return fmt.Errorf("sync: --feed %q is not a subscription on the server (kiosk feeds list shows them)", o)
			}
			feeds = append(feeds, sub.URL)
		}
	}
	p := newSyncPrinter(e.stderr)
	p.feeds = "server"
	// The feeds came from the server: only the article events say
	// anything (the feed pass of the Syncer stores nothing).
	articleEvents := func(ev fetch.Event) {
		if ev.Kind != fetch.EventStart && ev.Kind != fetch.EventFeedDone {
			p.event(ev)
		}
	}
	s := newSyncer(e, cfg, store, true)
	res, sum, runErr := serverSync(ctx, c, cfg, store, s, feeds, articles, articleEvents)
	if res.Subscriptions != nil {
		fmt.Fprintln(e.stderr, serverLine(cfg, res))
	}
	if res.Subscriptions != nil && articles {
		p.finish(sum)
	}
	if runErr != nil {
		return runErr
	}
	return prune(ctx, e, cfg, store)
}

// syncTargets is the list of feed URLs to sync: the config's, or the --feed
// values, each the URL or the name of a configured feed.
func syncTargets(cfg Config, only []string) ([]string, error) {
	if len(only) == 0 {
		urls := make([]string, 0, len(cfg.Feeds))
		for _, f := range cfg.Feeds {
			urls = append(urls, f.URL)
		}
		return urls, nil
	}
	var urls []string
	for _, o := range only {
		found := ""
		for _, f := range cfg.Feeds {
			if f.URL == o || (f.Name != "" && strings.EqualFold(f.Name, o)) {
				found = f.URL
				break
			}
		}
		if found == "" {
			// Syncing an unsubscribed URL would leave a stray feed in the
			// cache that no list or sync ever shows again.
			return nil, fmt.Errorf("sync: --feed %q is not a subscribed feed's name or URL (kiosk feeds add URL subscribes)", o)
		}
		urls = append(urls, found)
	}
	return urls, nil
}

// syncPrinter draws sync progress on stderr: one updating line on a
// terminal, plain lines otherwise (logs, pipes, tests).
type syncPrinter struct {
	w        io.Writer
	tty      bool
	last     time.Time
	feeds    string // "feeds 3/20"
	articles string // "articles 10/152"
	bytes    int64
	width    int // of the last status line, to clear it
	// artsAnnounced: "fetching articles" was printed (not on a terminal).
	artsAnnounced bool
}

func newSyncPrinter(w io.Writer) *syncPrinter {
	return &syncPrinter{w: w, tty: isTerminal(w)}
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// event is the Syncer's progress callback.
func (p *syncPrinter) event(ev fetch.Event) {
	p.bytes += ev.Bytes
	switch ev.Kind {
	case fetch.EventStart:
		p.feeds = fmt.Sprintf("feeds 0/%d", ev.Total)
		if !p.tty {
			fmt.Fprintf(p.w, "syncing %s\n", plural(ev.Total, "feed", "feeds"))
		}
	case fetch.EventFeedDone:
		p.feeds = fmt.Sprintf("feeds %d/%d", ev.Done, ev.Total)
		if !p.tty {
			name := feedLabel(ev)
			switch {
			case ev.Err != nil:
				fmt.Fprintf(p.w, "feed failed: %s: %s\n", name, fetch.CleanLine(ev.Err.Error()))
			default:
				fmt.Fprintf(p.w, "feed ok: %s: %d new\n", name, ev.New)
			}
		}
	case fetch.EventArticlesStart:
		p.articles = fmt.Sprintf("articles 0/%d", ev.Total)
		// Sent for each feed as it is stored, Total counting all so far:
		// a log says it once.
		if !p.tty && ev.Total > 0 && !p.artsAnnounced {
			p.artsAnnounced = true
			fmt.Fprintln(p.w, "fetching articles")
		}
	case fetch.EventArticleDone:
		p.articles = fmt.Sprintf("articles %d/%d", ev.Done, ev.Total)
		if !p.tty && ev.Err != nil {
			fmt.Fprintf(p.w, "article failed: %s: %s\n", fetch.CleanLine(ev.URL), fetch.CleanLine(ev.Err.Error()))
		}
	case fetch.EventDone:
		return
	}
	if p.tty && (time.Since(p.last) > 50*time.Millisecond || ev.Done == ev.Total) {
		p.last = time.Now()
		line := p.feeds
		if p.articles != "" {
			line += " · " + p.articles
		}
		line += " · " + humanBytes(p.bytes)
		fmt.Fprintf(p.w, "\r\x1b[K%s", line)
		p.width = len(line)
	}
}

// feedLabel names a feed in progress lines: its title and URL.
func feedLabel(ev fetch.Event) string {
	if ev.Title != "" {
		return fetch.CleanLine(ev.Title) + " <" + fetch.CleanLine(ev.Feed) + ">"
	}
	return fetch.CleanLine(ev.Feed)
}

// finish ends the status line and prints the summary and every failure.
func (p *syncPrinter) finish(s fetch.Summary) {
	if p.tty && p.width > 0 {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
	pictures := ""
	if s.PicturesStored+s.PicturesFailed > 0 {
		pictures = fmt.Sprintf("; pictures: %d stored, %d failed", s.PicturesStored, s.PicturesFailed)
	}
	fmt.Fprintf(p.w, "feeds: %d ok (%d unchanged), %d failed; %s; articles: %d fetched, %d failed%s; %s in %s\n",
		s.FeedsOK, s.FeedsNotModified, s.FeedsFailed, plural(s.NewEntries, "new entry", "new entries"), s.ArticlesFetched, s.ArticlesFailed,
		pictures, humanBytes(s.Bytes), s.Duration.Round(time.Millisecond))
	articles := 0
	for _, f := range s.Failures {
		what := f.Feed
		if f.URL != "" {
			what = f.URL
			articles++
			if p.tty && articles > maxTTYArticleFailures {
				continue
			}
		}
		if what == "" {
			what = "cache"
		}
		fmt.Fprintf(p.w, "  failed: %s: %s\n", fetch.CleanLine(what), fetch.CleanLine(f.Err.Error()))
	}
	if p.tty && articles > maxTTYArticleFailures {
		fmt.Fprintf(p.w, "  … and %d more failed articles (kiosk sync 2>FILE lists them all)\n", articles-maxTTYArticleFailures)
	}
	for _, n := range s.Notices {
		if n.Feed != "" {
			fmt.Fprintf(p.w, "  note: %s: %s\n", fetch.CleanLine(n.Feed), fetch.CleanLine(n.Text))
		} else {
			fmt.Fprintf(p.w, "  note: %s\n", fetch.CleanLine(n.Text))
		}
	}
}

// maxTTYArticleFailures caps the article failures listed on a terminal;
// feed failures are always all listed, and so is everything in a log.
const maxTTYArticleFailures = 20

// humanBytes formats a byte count for people: 512 B, 3.4 kB, 12.0 MB.
func humanBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
}
