package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

const feedsUsage = `usage:
  kiosk feeds list [--json]          the subscriptions, name and URL
  kiosk feeds add URL [--name NAME]  subscribe to a feed
  kiosk feeds remove NAME|URL        unsubscribe

add and remove edit the config file in place: comments and the other lines
stay as they are. Without a config file, kiosk is subscribed to heise online
and Telepolis. The first add writes a new config holding just the feed added
(add the defaults too if you want to keep them); the first remove writes the
other default.

With a [server] in the config, the server owns the subscriptions: list, add
(--category puts the feed in that category) and remove act on it.
`

// cmdFeeds runs "kiosk feeds".
func cmdFeeds(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("feeds", e)
	name := fs.String("name", "", "the feed's `name` (add)")
	asJSON := fs.Bool("json", false, "print the list as JSON (list)")
	category := fs.String("category", "", "the feed's `category` on the server (add, with a [server])")
	fs.Usage = func() { fmt.Fprint(fs.Output(), feedsUsage) }
	pos, err := parseInterleaved(e, fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("kiosk feeds", "feeds: missing list, add or remove")
	}
	if cfg, err := e.loadConfig(); err == nil && cfg.hasServer() {
		switch {
		case pos[0] == "list" && len(pos) != 1:
			return usagef("kiosk feeds", "feeds list: unexpected argument %q", pos[1])
		case (pos[0] == "add" || pos[0] == "remove" || pos[0] == "rm") && len(pos) != 2:
			return usagef("kiosk feeds", "feeds %s: want one URL or name", pos[0])
		}
		return serverFeeds(ctx, e, cfg, pos, fetch.CleanLine(*name), fetch.CleanLine(*category), *asJSON)
	} else if *category != "" {
		return usagef("kiosk feeds", "feeds: --category needs a [server]; without one there are no categories")
	}
	switch pos[0] {
	case "list":
		if len(pos) != 1 {
			return usagef("kiosk feeds", "feeds list: unexpected argument %q", pos[1])
		}
		cfg, err := e.loadConfig()
		if err != nil {
			return err
		}
		if *asJSON {
			return listFeedsJSON(e, cfg)
		}
		return listFeeds(e, cfg)
	case "add":
		if len(pos) != 2 {
			return usagef("kiosk feeds", "feeds add: want one URL")
		}
		add := []FeedConfig{{Name: fetch.CleanLine(*name), URL: strings.TrimSpace(pos[1])}}
		return e.editConfig(func(cfg Config) error { return addFeeds(e, cfg, add, nil, false) })
	case "remove", "rm":
		if len(pos) != 2 {
			return usagef("kiosk feeds", "feeds remove: want one name or URL")
		}
		var removed string
		err := e.editConfig(func(cfg Config) (err error) {
			removed, err = removeFeed(e, cfg, pos[1])
			return err
		})
		if err != nil {
			return err
		}
		if err := forgetFeed(ctx, e, removed); err != nil {
			return fmt.Errorf("feeds remove: %s is unsubscribed, but its entries are still cached: %w", removed, err)
		}
		return nil
	}
	return fmt.Errorf("feeds: unknown command %q (want list, add or remove)", pos[0])
}

// editConfig runs edit on the current config while holding the config
// lock, so that concurrent kiosk processes editing subscriptions queue
// instead of overwriting each other's changes.
func (e *env) editConfig(edit func(Config) error) (err error) {
	path, err := e.configPath()
	if err != nil {
		return err
	}
	unlock, err := lockConfig(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, unlock()) }()
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	return edit(cfg)
}

// listFeeds prints the subscriptions as a table: name, URL.
func listFeeds(e *env, cfg Config) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, f := range cfg.Feeds {
		name := f.Name
		if name == "" {
			name = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\n", fetch.CleanLine(name), fetch.CleanLine(f.URL))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("feeds list: %w", err)
	}
	if !cfg.Exists {
		fmt.Fprintf(e.stderr, "(defaults: there is no config file at %s)\n", cfg.Path)
	}
	return nil
}

// feedJSON is one subscription in feeds list --json.
type feedJSON struct {
	Name     string `json:"name"`
	URL      string `json:"url"`
	MaxItems int    `json:"max_items,omitempty"` // the feed's own cap, when it has one
	Category string `json:"category,omitempty"`  // the server's category (with a [server])
	Default  bool   `json:"default,omitempty"`   // a default feed, read while there is no config file
}

// listFeedsJSON prints the subscriptions as one JSON array.
func listFeedsJSON(e *env, cfg Config) error {
	out := make([]feedJSON, 0, len(cfg.Feeds))
	for _, f := range cfg.Feeds {
		out = append(out, feedJSON{Name: fetch.CleanLine(f.Name), URL: fetch.CleanLine(f.URL), MaxItems: f.MaxItems, Default: !cfg.Exists})
	}
	if err := writeJSON(e.stdout, out); err != nil {
		return fmt.Errorf("feeds list: %w", err)
	}
	return nil
}

// addFeeds appends subscriptions to the config file; the caller holds the
// config lock. With skipDups (OPML import), feeds already subscribed or
// with bad URLs are skipped, each reported on a line of its own with
// skipped (what the OPML parser left out) and a summary; otherwise either
// is an error.
func addFeeds(e *env, cfg Config, feeds []FeedConfig, skipped []fetch.OPMLSkip, skipDups bool) error {
	have := map[string]bool{}
	for _, f := range cfg.Feeds {
		have[f.URL] = true
	}
	var add []FeedConfig
	for _, f := range feeds {
		if err := checkFeedURL(f.URL); err != nil {
			if skipDups {
				skipped = append(skipped, fetch.OPMLSkip{URL: f.URL, Reason: err.Error()})
				continue
			}
			return fmt.Errorf("feeds add: %w", err)
		}
		if have[f.URL] {
			if skipDups {
				skipped = append(skipped, fetch.OPMLSkip{URL: f.URL, Reason: "already subscribed"})
				continue
			}
			return fmt.Errorf("feeds add: already subscribed to %s", f.URL)
		}
		have[f.URL] = true
		add = append(add, f)
	}
	if len(add) > 0 {
		// A new config holds what the user asked for and nothing else: the
		// default feeds stand in only while there is no config at all.
		data, err := configText(cfg, false)
		if err != nil {
			return err
		}
		base := cfg.Feeds
		if !cfg.Exists {
			base = nil
			fmt.Fprintf(e.stderr, "created %s with just the feeds added: the default feeds (heise online, Telepolis) apply only while there is no config file\n", cfg.Path)
		}
		want := append(append([]FeedConfig(nil), base...), add...)
		if err := saveFeedEdit(cfg, appendFeeds(data, add), want); err != nil {
			return fmt.Errorf("feeds add: %w", err)
		}
	}
	for _, f := range add {
		label := f.URL
		if f.Name != "" {
			label = f.Name + " (" + f.URL + ")"
		}
		fmt.Fprintf(e.stderr, "added %s\n", label)
	}
	if skipDups {
		for _, s := range skipped {
			fmt.Fprintf(e.stderr, "skipped %s: %s\n", strconv.QuoteToASCII(s.URL), fetch.CleanLine(s.Reason))
		}
		fmt.Fprintf(e.stderr, "%s added, %d skipped, config %s\n", plural(len(add), "feed", "feeds"), len(skipped), cfg.Path)
	}
	return nil
}

// removeFeed drops the subscription whose URL or name is nameOrURL from
// the config file and returns its URL; the caller holds the config lock
// and then forgets the feed's entries (forgetFeed).
func removeFeed(e *env, cfg Config, nameOrURL string) (string, error) {
	idx := -1
	for i, f := range cfg.Feeds {
		if f.URL == nameOrURL {
			idx = i
			break
		}
	}
	if idx < 0 {
		var matches []int
		for i, f := range cfg.Feeds {
			if f.Name != "" && strings.EqualFold(f.Name, nameOrURL) {
				matches = append(matches, i)
			}
		}
		switch len(matches) {
		case 0:
			return "", fmt.Errorf("feeds remove: no feed named %q or with that URL (see kiosk feeds list)", nameOrURL)
		case 1:
			idx = matches[0]
		default:
			return "", fmt.Errorf("feeds remove: %d feeds are named %q; give the URL", len(matches), nameOrURL)
		}
	}
	data, err := configText(cfg, true) // removing a default from no config keeps the other
	if err != nil {
		return "", err
	}
	out, err := removeFeedBlock(data, idx)
	if err != nil {
		return "", fmt.Errorf("feeds remove: %w", err)
	}
	want := append(append([]FeedConfig(nil), cfg.Feeds[:idx]...), cfg.Feeds[idx+1:]...)
	if err := saveFeedEdit(cfg, out, want); err != nil {
		return "", fmt.Errorf("feeds remove: %w", err)
	}
	fmt.Fprintf(e.stderr, "removed %s\n", cfg.Feeds[idx].URL)
	return cfg.Feeds[idx].URL, nil
}

// forgetFeed removes a feed and the entries only it lists (unless starred)
// from the cache, if there is a cache and it knows the feed.
func forgetFeed(ctx context.Context, e *env, feedURL string) (err error) {
	path, err := e.storePath()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	if err := s.RemoveFeed(ctx, feedURL); err != nil && !errors.Is(err, cache.ErrNotFound) {
		return err
	}
	return nil
}
