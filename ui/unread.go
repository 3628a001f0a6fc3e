package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// stepUnread moves the cursor to the next (or previous) unread article of
// the view. It looks in the loaded window first, whose flags are the
// freshest (an article just opened is read there before the cache says
// so); beyond the window it asks the cache, and with wrap, when the view
// is one feed, the other feeds after it. It returns the item when the
// window held it; otherwise an unreadFoundMsg follows.
func (l listModel) stepUnread(backward, wrap, open bool) (listModel, cache.Item, bool, tea.Cmd) {
	d := 1
	if backward {
		d = -1
	}
	if l.searching {
		for i := l.cursor + d; i >= 0 && i < len(l.hits); i += d {
			if !l.hits[i].Read {
				l, cmd := l.moveTo(i)
				return l, l.hits[i].Item, true, cmd
			}
		}
		return l, cache.Item{}, false, statusCmd(noUnreadText(backward))
	}
	if len(l.win) == 0 {
		return l, cache.Item{}, false, nil // nothing loaded yet
	}
	lo, hi := l.winOff, l.winOff+len(l.win)
	for i := l.cursor + d; i >= lo && i < hi; i += d {
		if it := l.win[i-lo]; !it.Read {
			l, cmd := l.moveTo(i)
			return l, it, true, cmd
		}
	}
	inView := backward && lo > 0 || !backward && hi < l.length()
	var feeds []string
	if wrap && l.q.Feed != "" {
		feeds = l.otherFeeds(backward)
	}
	if !inView && len(feeds) == 0 {
		return l, cache.Item{}, false, statusCmd(noUnreadText(backward))
	}
	from := l.win[len(l.win)-1].ID
	if backward {
		from = l.win[0].ID
	}
	return l, cache.Item{}, false, nextUnreadCmd(l.be, l.gen, l.q, from, inView, feeds, backward, open)
}

// noUnreadText says that the view has no unread article in that direction.
func noUnreadText(backward bool) string {
	if backward {
		return "no unread article before this one"
	}
	return "no more unread articles"
}

// otherFeeds lists the feeds after the shown one in the overview's order,
// round to the one before it (backward: the other way).
func (l listModel) otherFeeds(backward bool) []string {
	n := len(l.feeds)
	cur := -1
	for i, f := range l.feeds {
		if f.URL == l.q.Feed {
			cur = i
		}
	}
	if cur < 0 {
		return nil
	}
	out := make([]string, 0, n-1)
	for k := 1; k < n; k++ {
		i := (cur + k) % n
		if backward {
			i = (cur - k + n) % n
		}
		out = append(out, l.feeds[i].URL)
	}
	return out
}

// jumpTo puts the cursor on an unread article the cache found, switching to
// its feed when it is in another one.
func (l listModel) jumpTo(msg unreadFoundMsg) (listModel, tea.Cmd) {
	if !msg.switched {
		for i, it := range l.win {
			if it.ID == msg.item.ID {
				return l.moveTo(l.winOff + i)
			}
		}
	} else {
		l = l.withFeed(msg.feed)
		l.gen++
		l.win, l.winOff, l.total, l.counted, l.loaded = nil, 0, 0, false, false
	}
	// Read the page around it; the anchor puts the cursor on it.
	l.cursor = msg.offset
	l.top = max(0, msg.offset-l.rows()/2)
	cmd := l.readPage(max(0, msg.offset-pageSize/2), msg.item.ID)
	if msg.switched {
		cmd = tea.Batch(cmd, countCmd(l.be, l.gen, l.q))
	}
	return l, cmd
}

// withFeed sets the view to one feed ("" for all), without a search or a
// filter.
func (l listModel) withFeed(feed string) listModel {
	l.q.Feed, l.q.Match = feed, ""
	l.searching, l.hits = false, nil
	l.feedIdx = -1
	for i, f := range l.feeds {
		if f.URL == feed {
			l.feedIdx = i
		}
	}
	return l
}

// showFeed shows the list of one feed ("" for all) from the top.
func (l listModel) showFeed(feed string) (listModel, tea.Cmd) {
	return l.withFeed(feed).requery()
}

// viewName names the view for the status line.
func (l listModel) viewName() string {
	feed := "all feeds"
	if l.q.Feed != "" {
		feed = l.feedName(l.q.Feed)
	}
	parts := []string{feed}
	if l.q.Starred {
		parts = append(parts, "starred")
	}
	if l.q.Match != "" {
		parts = append(parts, fmt.Sprintf("filter %q", fetch.CleanLine(l.q.Match)))
	}
	return strings.Join(parts, " · ")
}

// queryOf is the query of one feed's list ("" for all).
func queryOf(feed string) cache.Query { return cache.Query{Feed: feed} }
