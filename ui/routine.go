package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The daily routine: the feeds overview, catching up (mark everything in
// view read, undo) and stepping through unread articles across feeds.

// routineKey handles the keys of the routine on the screens they work on.
func (m Model) routineKey(msg tea.KeyPressMsg) (Model, tea.Cmd, bool) {
	k := m.keys
	if m.typing() || m.active == screenHelp || m.active == screenLinks {
		return m, nil, false
	}
	switch {
	case m.active == screenFeeds && key.Matches(msg, k.Quit):
		return m, tea.Quit, true
	case m.active != screenFeeds && key.Matches(msg, k.Feeds):
		return m.showFeeds(true)
	case key.Matches(msg, k.MarkAllRead):
		nm, cmd := m.markAllRead()
		return nm, cmd, true
	case key.Matches(msg, k.Undo):
		nm, cmd := m.undoMarkAll()
		return nm, cmd, true
	case m.active == screenFeeds && key.Matches(msg, k.Sync):
		feed := m.feeds.selectedURL()
		if feed == "" {
			nm, cmd := m.startSync(nil)
			return nm, cmd, true
		}
		nm, cmd := m.startSync([]string{feed})
		return nm, cmd, true
	}
	return m, nil, false
}

// showFeeds opens the overview on the feed the list shows and rereads the
// counts; with canBack, esc returns to the screen it came from.
func (m Model) showFeeds(canBack bool) (Model, tea.Cmd, bool) {
	m.feeds.from, m.feeds.canBack = m.active, canBack
	m.feeds = m.feeds.selectURL(m.list.q.Feed)
	m.active = screenFeeds
	return m, loadFeedsCmd(m.be), true
}

// routineMsg handles the messages of the routine; it reports false for
// everything else.
func (m Model) routineMsg(msg tea.Msg) (Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case feedsLoadedMsg:
		if msg.err == nil {
			m.feeds = m.feeds.setOverview(msg.ov)
		}
		var cmd tea.Cmd
		m.list, cmd = m.list.update(msg, m.keys)
		return m, cmd, true
	case showFeedMsg:
		var cmd tea.Cmd
		m.list, cmd = m.list.showFeed(msg.feed)
		m.active = screenList
		return m, cmd, true
	case backMsg:
		switch {
		case m.active == screenFeeds && m.feeds.canBack:
			m.active = m.feeds.from
			return m, nil, true
		case m.active == screenFeeds:
			return m, nil, true // the overview is the top
		case m.active == screenList:
			// The list's esc with nothing to clear: up to the overview.
			return m.showFeeds(false)
		}
	case markedReadMsg:
		if msg.err != nil {
			m.err = msg.err
		} else {
			m.undo = msg.ids
			m.status = fmt.Sprintf("marked %d %s read", len(msg.ids), plural(len(msg.ids), "article", "articles"))
			if msg.what != "" {
				m.status = fmt.Sprintf("marked %d read in %s", len(msg.ids), msg.what)
			}
			if len(msg.ids) > 0 {
				m.status += " · " + m.keys.Undo.Help().Key + " undoes"
			}
		}
		return m.reloadCounts()
	case unmarkedMsg:
		if msg.err != nil {
			m.err = msg.err
			m.undo = msg.ids // still to undo
		} else {
			m.status = fmt.Sprintf("undone: %d %s unread again", len(msg.ids), plural(len(msg.ids), "article", "articles"))
		}
		return m.reloadCounts()
	case stepUnreadMsg:
		// From the reader: open it, and go on to the next feed at the end
		// of this one.
		l, it, ok, cmd := m.list.stepUnread(msg.backward, true, true)
		m.list = l
		if !ok || m.active != screenReader {
			return m, cmd, true
		}
		nm, ocmd := m.openArticle(it)
		return nm, tea.Batch(cmd, ocmd), true
	case unreadFoundMsg:
		return m.unreadFound(msg)
	}
	return m, nil, false
}

// reloadCounts rereads the list's rows (their read flags) and the feeds'
// counts after a mark-all or its undo.
func (m Model) reloadCounts() (Model, tea.Cmd, bool) {
	var cmd tea.Cmd
	m.list, cmd = m.list.refresh(true)
	return m, cmd, true
}

// markAllRead marks the current view read: the selected feed on the
// overview, else what the list shows (a feed, all, a filter or search
// results), from the reader too. The loaded rows change at once.
func (m Model) markAllRead() (Model, tea.Cmd) {
	if m.active == screenFeeds {
		feed := m.feeds.selectedURL()
		what := "all feeds"
		if feed != "" {
			what = m.list.feedName(feed)
		}
		m.status = "marking " + what + " read…"
		return m, markQueryReadCmd(m.be, queryOf(feed), what)
	}
	l := m.list
	if l.searching {
		var ids []string
		for _, h := range l.hits {
			if !h.Read {
				ids = append(ids, h.ID)
			}
		}
		for _, id := range ids {
			m.list = m.list.setFlag(id, false, true)
		}
		return m, markIDsReadCmd(m.be, ids, fmt.Sprintf("search %q", l.searchQuery))
	}
	for _, it := range l.win {
		m.list = m.list.setFlag(it.ID, false, true)
	}
	return m, markQueryReadCmd(m.be, l.q, l.viewName())
}

// undoMarkAll marks the articles of the last mark-all unread again.
func (m Model) undoMarkAll() (Model, tea.Cmd) {
	if len(m.undo) == 0 {
		m.status = "nothing to undo"
		return m, nil
	}
	ids := m.undo
	m.undo = nil
	for _, id := range ids {
		m.list = m.list.setFlag(id, false, false)
	}
	return m, unmarkCmd(m.be, ids)
}

// unreadFound moves the list to an unread article the cache found, and
// opens it when asked from the reader (and the reader still shows).
func (m Model) unreadFound(msg unreadFoundMsg) (Model, tea.Cmd, bool) {
	if msg.gen != m.list.gen {
		return m, nil, true // the view changed meanwhile
	}
	if msg.err != nil {
		m.err = msg.err
		return m, nil, true
	}
	if !msg.found {
		m.status = "no more unread articles"
		if msg.backward {
			m.status = "no unread article before this one"
		}
		return m, nil, true
	}
	var cmd tea.Cmd
	m.list, cmd = m.list.jumpTo(msg)
	if msg.switched {
		m.status = "next feed: " + m.list.feedName(msg.feed)
	}
	if !msg.open || m.active != screenReader {
		return m, cmd, true
	}
	nm, ocmd := m.openArticle(msg.item)
	return nm, tea.Batch(cmd, ocmd), true
}

// plural picks the word for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
