package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// Commands do all the I/O of the UI. Each captures plain values (the
// backend, IDs, queries), never the Model or a pointer into it.

// backend is what commands need for I/O: the source, and a context that ends
// with the program, so that reads and syncs stop when kiosk quits.
type backend struct {
	ctx context.Context
	src Source
	// writes counts the state writes in flight (marks, stars), so that
	// quitting right after a mark waits for it instead of losing it.
	writes *sync.WaitGroup
}

// write wraps a command that writes state: counted from the moment it is
// made (in Update) until it has run.
func (be backend) write(f func() tea.Msg) tea.Cmd {
	be.writes.Add(1)
	return func() tea.Msg {
		defer be.writes.Done()
		return f()
	}
}

const (
	readTimeout  = 10 * time.Second // cache reads
	fetchTimeout = 30 * time.Second // a referenced page from the network
	syncTimeout  = 30 * time.Minute
)

// loadPageCmd reads one page of the list.
func loadPageCmd(be backend, gen int, q cache.Query, anchor string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, readTimeout)
		defer cancel()
		items, err := be.src.List(ctx, q)
		if err != nil {
			err = fmt.Errorf("list articles: %w", err)
		}
		return pageLoadedMsg{gen: gen, offset: q.Offset, limit: q.Limit, items: items, anchor: anchor, err: err}
	}
}

// countCmd counts the items matching a query.
func countCmd(be backend, gen int, q cache.Query) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, readTimeout)
		defer cancel()
		n, err := be.src.Count(ctx, q)
		if err != nil {
			err = fmt.Errorf("count articles: %w", err)
		}
		return countedMsg{gen: gen, n: n, err: err}
	}
}

// loadFeedsCmd reads the feeds overview.
func loadFeedsCmd(be backend) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, readTimeout)
		defer cancel()
		ov, err := be.src.Overview(ctx)
		if err != nil {
			err = fmt.Errorf("list feeds: %w", err)
		}
		return feedsLoadedMsg{ov: ov, err: err}
	}
}

// markQueryReadCmd marks every unread article of a view read.
func markQueryReadCmd(be backend, q cache.Query, what string) tea.Cmd {
	q.Offset, q.Limit = 0, 0
	return be.write(func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, readTimeout)
		defer cancel()
		ids, err := be.src.MarkQueryRead(ctx, q)
		if err != nil {
			err = fmt.Errorf("mark %s read: %w", what, err)
		}
		return markedReadMsg{ids: ids, what: what, err: err}
	})
}

// markIDsReadCmd marks the given articles read (search results).
func markIDsReadCmd(be backend, ids []string, what string) tea.Cmd {
	return be.write(func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, readTimeout)
		defer cancel()
		changed, err := be.src.SetReadIDs(ctx, ids, true)
		if err != nil {
			err = fmt.Errorf("mark %s read: %w", what, err)
		}
		return markedReadMsg{ids: changed, what: what, err: err}
	})
}

// unmarkCmd marks the articles of a mark-all unread again.
func unmarkCmd(be backend, ids []string) tea.Cmd {
	return be.write(func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, readTimeout)
		defer cancel()
		changed, err := be.src.SetReadIDs(ctx, ids, false)
		if err != nil {
			return unmarkedMsg{ids: ids, err: fmt.Errorf("undo mark all read: %w", err)}
		}
		return unmarkedMsg{ids: changed}
	})
}

// nextUnreadCmd asks the cache for the next (or previous) unread article:
// in q's view after fromID when inView, else (or when there is none) the
// first of each feed in feeds, in order, the list switching to that feed.
func nextUnreadCmd(be backend, gen int, q cache.Query, fromID string, inView bool, feeds []string, backward, open bool) tea.Cmd {
	q.Offset, q.Limit = 0, 0
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, readTimeout)
		defer cancel()
		msg := unreadFoundMsg{gen: gen, feed: q.Feed, open: open, backward: backward}
		if inView {
			it, off, err := be.src.NextUnread(ctx, q, fromID, backward)
			switch {
			case err == nil:
				msg.item, msg.offset, msg.found = it, off, true
				return msg
			case !errors.Is(err, cache.ErrNotFound):
				msg.err = fmt.Errorf("find the next unread article: %w", err)
				return msg
			}
		}
		for _, feed := range feeds {
			fq := q
			fq.Feed = feed
			it, off, err := be.src.NextUnread(ctx, fq, "", backward)
			switch {
			case err == nil:
				msg.item, msg.offset, msg.found = it, off, true
				msg.feed, msg.switched = feed, true
				return msg
			case !errors.Is(err, cache.ErrNotFound):
				msg.err = fmt.Errorf("find the next unread article: %w", err)
				return msg
			}
		}
		return msg
	}
}

// searchCmd runs a full-text search over the cache.
func searchCmd(be backend, gen int, query string, limit int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, readTimeout)
		defer cancel()
		hits, err := be.src.Search(ctx, query, limit)
		if err != nil {
			err = fmt.Errorf("search %q: %w", query, err)
		}
		return searchedMsg{gen: gen, query: query, hits: hits, err: err}
	}
}

// loadArticleCmd reads an article (or its teaser) from the source.
func loadArticleCmd(be backend, id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, readTimeout)
		defer cancel()
		a, err := be.src.Article(ctx, id)
		if err != nil {
			err = fmt.Errorf("load article %s: %w", id, err)
		}
		return articleLoadedMsg{id: id, article: a, err: err}
	}
}

// renderCmd turns an article into terminal text with glamour.
func renderCmd(r *Renderer, key renderID, a fetch.Article) tea.Cmd {
	return func() tea.Msg {
		text, err := r.Render(articleMarkdown(a), key.width, key.style)
		if err != nil {
			err = fmt.Errorf("render article %s: %w", key.id, err)
		}
		return articleRenderedMsg{key: key, text: text, err: err}
	}
}

// warmMarkdown has what glamour builds lazily: a heading, a link, a code block.
const warmMarkdown = "# kiosk\n\nText with a [link](https://example.org/).\n\n```go\nfunc main() {}\n```\n"

// warmRendererCmd renders a small article once the first page of the list
// is on screen, in the background: it builds the glamour renderer the reader
// will use and lets chroma read its lexers (3-4 ms that the patched chroma in
// third_party/chroma no longer spends at every process start), so that the
// first article opened waits for neither.
func warmRendererCmd(r *Renderer, width int, style Style) tea.Cmd {
	return func() tea.Msg {
		if _, err := r.Render(warmMarkdown, width, style); err != nil {
			return errMsg{fmt.Errorf("prepare the renderer: %w", err)}
		}
		return nil
	}
}

// articleMarkdown is the Markdown the reader renders, cleaned once more:
// everything in it came from the network.
func articleMarkdown(a fetch.Article) string {
	return fetch.CleanText(fetch.Markdown(a))
}

// openRefCmd asks the source for a referenced page.
func openRefCmd(be backend, rawURL string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, fetchTimeout)
		defer cancel()
		a, err := be.src.OpenURL(ctx, rawURL)
		if err != nil {
			return refFailedMsg{url: rawURL, err: err}
		}
		return refOpenedMsg{url: rawURL, article: a}
	}
}

// setFlagCmd writes a read or starred flag.
func setFlagCmd(be backend, id string, starred, value bool) tea.Cmd {
	return be.write(func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, readTimeout)
		defer cancel()
		var err error
		if starred {
			err = be.src.SetStarred(ctx, id, value)
		} else {
			err = be.src.SetRead(ctx, id, value)
		}
		if err != nil {
			what := "read"
			if starred {
				what = "starred"
			}
			err = fmt.Errorf("mark %s %s: %w", id, what, err)
		}
		return stateWrittenMsg{id: id, starred: starred, value: value, err: err}
	})
}

// syncCmds start a background sync whose progress events arrive one by one
// through ch, followed by a syncDoneMsg.
func syncCmds(be backend, feeds []string, ch chan tea.Msg) tea.Cmd {
	run := func() tea.Msg {
		ctx, cancel := context.WithTimeout(be.ctx, syncTimeout)
		defer cancel()
		sum, err := be.src.Sync(ctx, feeds, func(ev fetch.Event) {
			select {
			case ch <- syncEventMsg{ev: ev, next: ch}:
			case <-ctx.Done(): // the program has ended: nobody listens
			}
		})
		select {
		case ch <- syncDoneMsg{summary: sum, err: err}:
		case <-ctx.Done():
		}
		close(ch)
		return nil
	}
	return tea.Batch(run, waitSyncCmd(ch))
}

// waitSyncCmd waits for the next message of a running sync.
func waitSyncCmd(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

// browseCmd opens a URL in the browser.
func browseCmd(open func(string) error, rawURL string) tea.Cmd {
	return func() tea.Msg {
		err := checkWebURL(rawURL)
		if err == nil {
			err = open(rawURL)
		}
		if err != nil {
			err = fmt.Errorf("open %s in the browser: %w", rawURL, err)
		}
		return browserOpenedMsg{url: rawURL, err: err}
	}
}

// errNotWeb is returned for URLs that are not http or https.
var errNotWeb = errors.New("only http and https URLs open in the browser")

// checkWebURL accepts only absolute http and https URLs.
func checkWebURL(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("parse URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errNotWeb
	}
	return nil
}

// Browser returns a function that opens http and https URLs with command
// (a program and its arguments, split on spaces, like $BROWSER or the
// config's browser), or xdg-open when command is empty. The program runs
// directly, never through a shell, with the URL as its last argument.
func Browser(command string) func(string) error {
	argv := strings.Fields(command)
	if len(argv) == 0 {
		argv = []string{"xdg-open"}
	}
	return func(rawURL string) error {
		if err := checkWebURL(rawURL); err != nil {
			return err
		}
		// argv comes from the user's own settings; no shell sees the URL.
		cmd := exec.CommandContext(context.Background(), argv[0], append(argv[1:], rawURL)...)
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("run %s: %w", argv[0], err)
		}
		return nil
	}
}

// EnvBrowser is the command in $BROWSER: its first entry when it lists
// several, separated by colons.
func EnvBrowser(getenv func(string) string) string {
	return strings.TrimSpace(strings.Split(getenv("BROWSER"), ":")[0])
}
