package ui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kiosk-reader/kiosk/cache"
)

// FirstPage is what the list's first frame shows, read from the cache
// while the rest of the program starts: the newest rows of all feeds and
// their count. Prefetch starts it; Options.FirstPage hands it to the UI.
type FirstPage struct {
	limit int
	done  chan struct{}
	page  pageLoadedMsg
	count countedMsg
}

// FirstPager reads a program's first page and its count together, on one
// connection (cache.Store.FirstPage).
type FirstPager interface {
	FirstPage(ctx context.Context, q cache.Query) ([]cache.Item, int, error)
}

// Prefetch starts reading the list's first screenful (the newest rows
// entries of all feeds) and the count of all entries in the background,
// so that the first frame need not wait for a whole page (pageSize rows).
// rows is the terminal's height, or 0 when it is not known (a whole page).
func Prefetch(ctx context.Context, src FirstPager, rows int) *FirstPage {
	if rows <= 0 || rows > pageSize {
		rows = pageSize
	}
	f := &FirstPage{limit: rows, done: make(chan struct{})}
	go func() {
		defer close(f.done)
		items, n, err := src.FirstPage(ctx, cache.Query{Limit: rows})
		if err != nil {
			err = fmt.Errorf("list articles: %w", err)
		}
		f.page = pageLoadedMsg{items: items, limit: rows, err: err}
		f.count = countedMsg{n: n, err: err}
	}()
	return f
}

// Wait waits until the read is done, so that the cache can be closed.
func (f *FirstPage) Wait() { <-f.done }

// firstPageMsg is a prefetched first page with its count, for query
// generation 0 (the list's query at start).
type firstPageMsg struct {
	page  pageLoadedMsg
	count countedMsg
}

// waitCmd waits for the prefetched first page.
func (f *FirstPage) waitCmd(ctx context.Context) tea.Cmd {
	return func() tea.Msg {
		select {
		case <-f.done:
			return firstPageMsg{page: f.page, count: f.count}
		case <-ctx.Done():
			return pageLoadedMsg{limit: f.limit, err: fmt.Errorf("list articles: %w", ctx.Err())}
		}
	}
}

// startedMsg comes a little after the first frame with rows: the work
// that frame does not need starts then (see Options.StartDelay).
type startedMsg struct{}

// callCmd calls f, when set, outside Update.
func callCmd(f func()) tea.Cmd {
	if f == nil {
		return nil
	}
	return func() tea.Msg {
		f()
		return nil
	}
}

// startedCmd sends startedMsg after d.
func startedCmd(d time.Duration) tea.Cmd {
	if d <= 0 {
		return func() tea.Msg { return startedMsg{} }
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return startedMsg{} })
}
