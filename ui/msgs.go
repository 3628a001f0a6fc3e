package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/kiosk-reader/kiosk/cache"
	"github.com/kiosk-reader/kiosk/fetch"
)

// Messages are named as past events. Results carry what they were asked for
// (generation, ID, width) so that the receiver can drop stale ones.
type (
	// pageLoadedMsg is one page of the list for query generation gen.
	pageLoadedMsg struct {
		gen    int
		offset int
		limit  int // rows asked for; fewer means the list ends here
		items  []cache.Item
		anchor string // ID to keep the cursor on after a background refresh
		err    error
	}
	// countedMsg is the number of items matching query generation gen.
	countedMsg struct {
		gen int
		n   int
		err error
	}
	// feedsLoadedMsg is the feeds overview: the subscribed feeds with their
	// counts and last errors, and the counts of all feeds.
	feedsLoadedMsg struct {
		ov  cache.Overview
		err error
	}
	// searchedMsg holds the results of a full-text search.
	searchedMsg struct {
		gen   int
		query string
		hits  []cache.Hit
		err   error
	}
	// articleLoadedMsg is the article (or its teaser) for the item with ID id.
	articleLoadedMsg struct {
		id      string
		article fetch.Article
		err     error
	}
	// articleRenderedMsg is a rendering of an article for one width and style.
	articleRenderedMsg struct {
		key  renderID
		text string
		err  error
	}
	// refOpenedMsg is a referenced page that kiosk could show itself.
	refOpenedMsg struct {
		url     string
		article fetch.Article
	}
	// refFailedMsg says a referenced page cannot be shown inside kiosk, so it
	// goes to the browser.
	refFailedMsg struct {
		url string
		err error
	}
	// browserOpenedMsg reports the outcome of opening a URL in the browser.
	browserOpenedMsg struct {
		url string
		err error
	}
	// stateWrittenMsg reports the outcome of writing a read or starred flag.
	stateWrittenMsg struct {
		id      string
		starred bool // which flag: false = read, true = starred
		value   bool
		err     error
	}
	// syncEventMsg is one progress event of a background sync.
	syncEventMsg struct {
		ev   fetch.Event
		next <-chan tea.Msg // where the following events come from
	}
	// syncDoneMsg ends a background sync.
	syncDoneMsg struct {
		summary fetch.Summary
		err     error
	}
	// openArticleMsg asks the root to open an item in the reader.
	openArticleMsg struct {
		item cache.Item
	}
	// stepArticleMsg asks the list for the next (delta 1) or previous (-1)
	// article, from the reader.
	stepArticleMsg struct {
		delta int
	}
	// showLinksMsg asks the root for the references panel of the shown page.
	showLinksMsg struct{}
	// backMsg asks the root to leave the active screen.
	backMsg struct{}
	// openRefMsg asks the root to open reference n of the shown page.
	openRefMsg struct {
		ref fetch.Reference
	}
	// startSyncMsg asks for a background sync of feeds (nil: all).
	startSyncMsg struct {
		feeds []string
	}
	// savedMsg reports where the save key wrote the article.
	savedMsg struct {
		path string
		err  error
	}
	// pipeArticleMsg asks the root to pipe the shown page to a command.
	pipeArticleMsg struct {
		command string
	}
	// pipeReadyMsg is the text for an interactive pipe command (a pager),
	// which runs in the terminal.
	pipeReadyMsg struct {
		command, text string
	}
	// pipedMsg reports a pipe command's first line of output or its error.
	pipedMsg struct {
		command, output string
		interactive     bool
		err             error
	}
	// statusMsg is a short note for the status line.
	statusMsg string
	// errMsg is an error for the status line; it is never fatal.
	errMsg struct{ err error }
)

// renderID identifies one rendering of an article.
type renderID struct {
	id    string
	width int
	style Style
}

// Messages of the feeds overview, catching up and unread navigation.
type (
	// showFeedMsg asks the root for the list of one feed ("" for all).
	showFeedMsg struct {
		feed string
	}
	// markedReadMsg reports a mark-all: the IDs it changed, for undo.
	markedReadMsg struct {
		ids  []string
		what string // the view, for the status line
		err  error
	}
	// unmarkedMsg reports an undo of a mark-all.
	unmarkedMsg struct {
		ids []string
		err error
	}
	// stepUnreadMsg asks the root to open the next (or previous) unread
	// article, from the reader.
	stepUnreadMsg struct {
		backward bool
	}
	// unreadFoundMsg is the next or previous unread article the cache found
	// beyond the list's window (or in another feed), for query generation
	// gen. found is false when there is none.
	unreadFoundMsg struct {
		gen      int
		item     cache.Item
		offset   int    // in the list of feed
		feed     string // the feed whose list holds it (switched: another feed)
		switched bool
		found    bool
		open     bool // open it in the reader
		backward bool
		err      error
	}
)
