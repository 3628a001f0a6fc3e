package fetch

import "time"

// EventKind says what a sync progress Event reports.
type EventKind int

const (
	// EventStart is sent once, with Total the number of feeds to fetch.
	EventStart EventKind = iota
	// EventFeedDone is sent when a feed has been fetched and stored (or failed: Err set).
	EventFeedDone
	// EventArticlesStart is sent once before the article pass, with Total the number of articles to fetch.
	EventArticlesStart
	// EventArticleDone is sent when an article has been fetched and extracted (or failed: Err set).
	EventArticleDone
	// EventDone is sent once at the end, with the Summary.
	EventDone
)

// Event is one step of a sync, for progress bars and status lines.
type Event struct {
	Kind  EventKind
	Feed  string // feed URL (feed events) or the feed of the article
	Title string // feed title or article title, when known
	URL   string // article URL (article events)
	New   int    // new entries stored (EventFeedDone)
	Done  int    // feeds (or articles) finished so far in this phase
	Total int    // feeds (or articles) in this phase
	Bytes int64  // bytes received for this step
	Err   error
	// Summary is set on EventDone.
	Summary *Summary
}

// Summary is the outcome of a whole sync. FeedsOK counts every feed fetched
// and stored without error, FeedsNotModified the part of them that answered
// 304. Failures lists feeds (URL empty) and articles that failed, and store
// errors (Feed and URL empty).
type Summary struct {
	FeedsOK, FeedsFailed, FeedsNotModified int
	NewEntries                             int
	ArticlesFetched, ArticlesFailed        int
	PicturesStored, PicturesFailed         int
	Bytes                                  int64
	Duration                               time.Duration
	Failures                               []Failure
	// Notices lists what the sync cut or repaired without failing: a feed
	// cut off mid-entry, a feed over its item cap, articles left for the
	// next sync.
	Notices []Notice
}

// Notice is one thing a sync cut or repaired, for the summary.
type Notice struct {
	Feed string // feed URL; empty for the whole sync
	Text string
}

// Failure is one feed or article that failed, with its reason.
type Failure struct {
	Feed string // feed URL
	URL  string // article URL, empty for a feed failure
	Err  error
}
