package fetch

import (
	"context"
	"time"
)

// Store is what Sync needs from the cache; cache.Store satisfies it.
type Store interface {
	// FeedState returns the stored validators of a feed; the zero value for an unknown feed.
	FeedState(ctx context.Context, feedURL string) (FeedState, error)
	// SaveFeed records one fetch of a feed in one transaction: it upserts the
	// feed and its entries (keeping read and starred state) and records the
	// validators and error. A result with Err or NotModified never deletes
	// anything. It returns the IDs of entries that were new.
	SaveFeed(ctx context.Context, res FeedResult) (newIDs []string, err error)
	// PendingArticles lists entries of the given feeds (all feeds when none
	// are given) whose full article should be fetched: never fetched, changed
	// in the feed since, or failed fewer than maxAttempts times.
	PendingArticles(ctx context.Context, feedURLs []string, maxAttempts int) ([]Entry, error)
	// SaveArticles stores a batch of article fetch results in one transaction.
	SaveArticles(ctx context.Context, results []ArticleResult) error
}

// FeedState is what a conditional GET needs.
type FeedState struct {
	ETag         string
	LastModified string
}

// FeedResult is the outcome of fetching one feed.
type FeedResult struct {
	Feed        Feed // URL always set; Title, ETag, LastModified when known
	Entries     []Entry
	NotModified bool
	FetchedAt   time.Time
	Err         error // recorded as the feed's last error
	// Notices says what was cut or repaired in this answer (not stored).
	Notices []string
}

// ArticleResult is the outcome of fetching one entry's full article.
type ArticleResult struct {
	EntryID   string
	Article   *Article // nil when Err is set
	Err       error    // recorded on the entry; it is retried at later syncs
	FetchedAt time.Time
}

// PictureStore is a Store that keeps articles' pictures for offline
// reading; cache.Store is one. Syncer stores pictures only with one.
type PictureStore interface {
	// SavePictures replaces the stored pictures of the entries with pics
	// (none: the entries keep no pictures).
	SavePictures(ctx context.Context, entryIDs []string, pics []Picture) error
}
