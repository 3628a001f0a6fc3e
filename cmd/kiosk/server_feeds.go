package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
	"github.com/kiosk-reader/kiosk/fetch/remote"
)

// serverFeeds runs "kiosk feeds list|add|remove" against the server, which
// owns the subscriptions when one is configured. The cache's copy of the
// list is refreshed after a change, so the reader's overview follows.
func serverFeeds(ctx context.Context, e *env, cfg Config, pos []string, name, category string, asJSON bool) error {
	c, err := e.serverClient(ctx, cfg)
	if err != nil {
		return fmt.Errorf("feeds: %w", err)
	}
	switch pos[0] {
	case "list":
		subs, err := c.Subscriptions(ctx)
		if err != nil {
			return fmt.Errorf("feeds list: %w", err)
		}
		if asJSON {
			out := make([]feedJSON, 0, len(subs))
			for _, s := range subs {
				out = append(out, feedJSON{Name: s.Title, URL: fetch.CleanLine(s.URL), Category: s.Category})
			}
			return writeJSON(e.stdout, out)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, s := range subs {
			cat := s.Category
			if cat == "" {
				cat = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Title, fetch.CleanLine(s.URL), cat)
		}
		return tw.Flush()
	case "add":
		if err := checkFeedURL(pos[1]); err != nil {
			return fmt.Errorf("feeds add: %w", err)
		}
		sub, err := c.Subscribe(ctx, strings.TrimSpace(pos[1]), name, category)
		if err != nil {
			return fmt.Errorf("feeds add %s: %w", pos[1], err)
		}
		fmt.Fprintf(e.stderr, "subscribed on %s: %s <%s>\n", cfg.Server.URL, sub.Title, fetch.CleanLine(sub.URL))
		return refreshServerFeeds(ctx, e, cfg, c)
	case "remove", "rm":
		subs, err := c.Subscriptions(ctx)
		if err != nil {
			return fmt.Errorf("feeds remove: %w", err)
		}
		s, ok := findSubscription(subs, pos[1])
		if !ok {
			return fmt.Errorf("feeds remove: no subscription on %s is named or has the URL %q", cfg.Server.URL, pos[1])
		}
		if err := c.Unsubscribe(ctx, s); err != nil {
			return fmt.Errorf("feeds remove %s: %w", pos[1], err)
		}
		fmt.Fprintf(e.stderr, "unsubscribed on %s: %s <%s>\n", cfg.Server.URL, s.Title, fetch.CleanLine(s.URL))
		if err := refreshServerFeeds(ctx, e, cfg, c); err != nil {
			return err
		}
		if err := forgetFeed(ctx, e, s.URL); err != nil {
			return fmt.Errorf("feeds remove: %s is unsubscribed, but its entries are still cached: %w", s.URL, err)
		}
		return nil
	}
	return fmt.Errorf("feeds: unknown command %q (want list, add or remove)", pos[0])
}

// refreshServerFeeds stores the server's subscription list in the cache.
func refreshServerFeeds(ctx context.Context, e *env, cfg Config, c remote.Client) (err error) {
	subs, err := c.Subscriptions(ctx)
	if err != nil {
		return err
	}
	store, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()
	if err := store.AttachServer(ctx, cfg.serverAccount()); err != nil {
		return err
	}
	return store.SetServerFeeds(ctx, subs)
}

// serverExportOPML prints the server's subscriptions as OPML, one folder
// per category.
func serverExportOPML(ctx context.Context, e *env, cfg Config) error {
	c, err := e.serverClient(ctx, cfg)
	if err != nil {
		return fmt.Errorf("opml export: %w", err)
	}
	subs, err := c.Subscriptions(ctx)
	if err != nil {
		return fmt.Errorf("opml export: %w", err)
	}
	feeds := make([]fetch.OPMLFeed, 0, len(subs))
	for _, s := range subs {
		feeds = append(feeds, fetch.OPMLFeed{Title: s.Title, URL: s.URL, SiteURL: s.SiteURL, Category: s.Category})
	}
	return fetch.WriteOPML(e.stdout, "kiosk subscriptions on "+cfg.Server.URL, feeds, time.Now())
}

// serverImportOPML subscribes on the server to every feed of an OPML file
// it does not have yet, each in its folder's category.
func serverImportOPML(ctx context.Context, e *env, cfg Config, feeds []fetch.OPMLFeed) error {
	c, err := e.serverClient(ctx, cfg)
	if err != nil {
		return fmt.Errorf("opml import: %w", err)
	}
	subs, err := c.Subscriptions(ctx)
	if err != nil {
		return fmt.Errorf("opml import: %w", err)
	}
	have := map[string]bool{}
	for _, s := range subs {
		have[s.URL] = true
	}
	added, skipped := 0, 0
	var errs []error
	for _, f := range feeds {
		if have[f.URL] {
			skipped++
			continue
		}
		if _, err := c.Subscribe(ctx, f.URL, f.Title, f.Category); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.URL, err))
			fmt.Fprintf(e.stderr, "failed: %s: %s\n", fetch.CleanLine(f.URL), fetch.CleanLine(err.Error()))
			continue
		}
		have[f.URL] = true
		added++
	}
	fmt.Fprintf(e.stderr, "subscribed on %s to %s (%d already there, %d failed)\n", cfg.Server.URL, plural(added, "feed", "feeds"), skipped, len(errs))
	if err := refreshServerFeeds(ctx, e, cfg, c); err != nil {
		return err
	}
	if added == 0 && len(errs) > 0 {
		return fmt.Errorf("opml import: %w", errors.Join(errs...))
	}
	return nil
}

// findSubscription is the subscription arg names: the one with that URL,
// else the first whose title it is (in any case).
func findSubscription(subs []remote.Subscription, arg string) (remote.Subscription, bool) {
	for _, s := range subs {
		if s.URL == arg {
			return s, true
		}
	}
	for _, s := range subs {
		if strings.EqualFold(s.Title, arg) {
			return s, true
		}
	}
	return remote.Subscription{}, false
}
