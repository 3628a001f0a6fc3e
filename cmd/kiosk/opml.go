package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

const opmlUsage = `usage:
  kiosk opml import FILE|URL   subscribe to the feeds of an OPML file (nested outlines are flattened)
  kiosk opml export            print the subscriptions as OPML 2.0
`

// cmdOPML runs "kiosk opml".
func cmdOPML(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("opml", e)
	fs.Usage = func() { fmt.Fprint(fs.Output(), opmlUsage) }
	pos, err := parseInterleaved(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("kiosk opml", "opml: missing import or export")
	}
	switch pos[0] {
	case "import":
		if len(pos) != 2 {
			return usagef("kiosk opml", "opml import: want one FILE or URL")
		}
		return importOPML(ctx, e, pos[1])
	case "export":
		if len(pos) != 1 {
			return fmt.Errorf("opml export: unexpected argument %q", pos[1])
		}
		cfg, err := e.loadConfig()
		if err != nil {
			return err
		}
		if cfg.hasServer() {
			return serverExportOPML(ctx, e, cfg)
		}
		feeds := make([]fetch.OPMLFeed, 0, len(cfg.Feeds))
		for _, f := range cfg.Feeds {
			feeds = append(feeds, fetch.OPMLFeed{Title: f.Name, URL: f.URL})
		}
		return fetch.WriteOPML(e.stdout, "kiosk subscriptions", feeds, time.Now())
	}
	return fmt.Errorf("opml: unknown command %q (want import or export)", pos[0])
}

// importOPML reads an OPML file (or fetches it) and subscribes to its feeds,
// skipping those already subscribed.
func importOPML(ctx context.Context, e *env, src string) error {
	// Check the config before fetching anything; it is read again under
	// the lock below.
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	var data []byte
	if u, perr := url.Parse(src); perr == nil && (u.Scheme == "http" || u.Scheme == "https") {
		if e.g.offline {
			return fmt.Errorf("opml import: %s is a URL and --offline is set: nothing was fetched", src)
		}
		resp, err := e.client().Get(ctx, fetch.Request{URL: src, Accept: "text/x-opml, application/xml, text/xml, */*;q=0.5"})
		if err != nil {
			return fmt.Errorf("opml import: %w", err)
		}
		data = resp.Body
	} else {
		data, err = os.ReadFile(src)
		if err != nil {
			return fmt.Errorf("opml import: %w", err)
		}
	}
	feeds, skipped, err := fetch.ParseOPML(data)
	if err != nil {
		return fmt.Errorf("opml import %s: %w", src, err)
	}
	if len(feeds) == 0 {
		for _, s := range skipped {
			fmt.Fprintf(e.stderr, "skipped %s: %s\n", strconv.QuoteToASCII(s.URL), s.Reason)
		}
		return fmt.Errorf("opml import %s: no usable feeds (outlines with an http or https xmlUrl) found", src)
	}
	if cfg.hasServer() {
		for _, s := range skipped {
			fmt.Fprintf(e.stderr, "skipped %s: %s\n", strconv.QuoteToASCII(s.URL), s.Reason)
		}
		return serverImportOPML(ctx, e, cfg, feeds)
	}
	add := make([]FeedConfig, 0, len(feeds))
	for _, f := range feeds {
		add = append(add, FeedConfig{Name: f.Title, URL: f.URL})
	}
	return e.editConfig(func(cfg Config) error { return addFeeds(e, cfg, add, skipped, true) })
}
