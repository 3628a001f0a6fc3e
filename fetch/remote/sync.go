package remote

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// Account is the server a cache syncs with and where its sync stands.
type Account struct {
	Kind, URL, User string
	Cursor          string    // where the next pull starts ("" before the first sync)
	LastSync        time.Time // the last sync that reached the server; zero before
	LastError       string    // the last sync's error, "" when it worked
	Pending         int       // local changes waiting to be pushed
	Items           int       // server items the cache knows
	Feeds           int       // subscriptions
}

// Same reports whether a and b name the same account on the same server.
func (a Account) Same(b Account) bool {
	return a.Kind == b.Kind && a.URL == b.URL && a.User == b.User
}

// Applied counts the server's state changes applied to the cache.
type Applied struct {
	Read, Unread, Starred, Unstarred int
	// KeptLocal counts entries changed on both sides where kiosk's later
	// (or, without a server time, queued) change won.
	KeptLocal int
}

func (a *Applied) add(b Applied) {
	a.Read += b.Read
	a.Unread += b.Unread
	a.Starred += b.Starred
	a.Unstarred += b.Unstarred
	a.KeptLocal += b.KeptLocal
}

// Store is the cache as a sync with a server needs it; cache.Store is one.
type Store interface {
	fetch.FeedBatchStore
	// AttachServer makes acct the cache's server. A different server or
	// user than before starts over: the old mapping, queue and cursor go
	// (the entries and their state stay).
	AttachServer(ctx context.Context, acct Account) error
	// ServerAccount returns the attached server; ok is false when none is.
	ServerAccount(ctx context.Context) (acct Account, ok bool, err error)
	// SetServerFeeds stores the subscriptions (names and categories).
	SetServerFeeds(ctx context.Context, subs []Subscription) error
	// FeedEntryIDs maps the URLs of a feed's cached entries to their IDs.
	FeedEntryIDs(ctx context.Context, feedURL string) (map[string]string, error)
	// KnownServerItems says which of the server's item IDs the cache has
	// seen: true when the entry is cached, false when keep_days removed it
	// (such an item is not stored again).
	KnownServerItems(ctx context.Context, ids []string) (map[string]bool, error)
	// ApplyServerItems maps stored items to their entries and applies
	// their state (see the package comment for conflicts).
	ApplyServerItems(ctx context.Context, items []Item) (Applied, error)
	// ApplyServerSets applies a complete unread/starred state.
	ApplyServerSets(ctx context.Context, sets StateSets) (Applied, error)
	// PendingChanges lists queued local changes, at most limit.
	PendingChanges(ctx context.Context, limit int) ([]Change, error)
	// AckChanges records changes the server took: they leave the queue
	// unless the entry changed again meanwhile.
	AckChanges(ctx context.Context, done []Change) error
	// FinishServerSync records the outcome of a sync: on success the new
	// cursor and time; on failure only the error.
	FinishServerSync(ctx context.Context, cursor string, at time.Time, syncErr error) error
}

// Result is what a Sync did.
type Result struct {
	Subscriptions []Subscription
	Items         int // items pulled (new or changed)
	NewEntries    int // of them, entries new to the cache
	Applied       Applied
	Pushed        int // local changes the server took
}

// pushBatch is the number of queued changes read and pushed at a time.
const pushBatch = 5000

// Sync pulls the subscriptions, entries and state from the server into st
// and pushes st's queued changes. The full articles are left to the
// caller (fetch.Syncer over the subscriptions' URLs). Pull comes before
// push so that a change made on the server meanwhile is compared with the
// queued one before either overwrites the other.
func Sync(ctx context.Context, c Client, st Store, acct Account) (res Result, err error) {
	prev, attached, err := st.ServerAccount(ctx)
	if err != nil {
		return res, err
	}
	defer func() {
		if err != nil && attached && prev.Same(acct) {
			if ferr := st.FinishServerSync(context.WithoutCancel(ctx), prev.Cursor, time.Time{}, err); ferr != nil {
				err = errors.Join(err, ferr)
			}
		}
	}()
	subs, err := c.Subscriptions(ctx)
	if err != nil {
		return res, err
	}
	// Only a server that answered replaces another one (whose mapping and
	// queue go): a mistyped URL must not cost the queued changes. For the
	// same server this only makes sure the queue's triggers exist.
	if err := st.AttachServer(ctx, acct); err != nil {
		return res, err
	}
	if prev, attached, err = st.ServerAccount(ctx); err != nil {
		return res, err
	}
	res.Subscriptions = subs
	if err := st.SetServerFeeds(ctx, subs); err != nil {
		return res, err
	}
	pull, err := c.Pull(ctx, prev.Cursor, subs, func(ids []string) (map[string]bool, error) {
		return st.KnownServerItems(ctx, ids)
	})
	if err != nil {
		return res, err
	}
	// An entry that keep_days removed stays removed when the server
	// reports a change of it.
	if len(pull.Items) > 0 {
		ids := make([]string, len(pull.Items))
		for i, it := range pull.Items {
			ids[i] = it.ID
		}
		known, err := st.KnownServerItems(ctx, ids)
		if err != nil {
			return res, err
		}
		kept := pull.Items[:0]
		fresh := map[string][]int{} // feed URL → indexes of items new to the cache
		for _, it := range pull.Items {
			cached, ok := known[it.ID]
			if ok && !cached {
				continue
			}
			if !ok && it.Entry.ID != "" {
				fresh[it.Entry.Feed] = append(fresh[it.Entry.Feed], len(kept))
			}
			kept = append(kept, it)
		}
		pull.Items = kept
		// A new item for an entry the feed itself gave kiosk (before the
		// server was set up) is that entry.
		for feed, idx := range fresh {
			ids, err := st.FeedEntryIDs(ctx, feed)
			if err != nil {
				return res, err
			}
			for _, i := range idx {
				if id, ok := ids[pull.Items[i].Entry.URL]; ok {
					pull.Items[i].Entry.ID = id
				}
			}
		}
	}
	res.Items = len(pull.Items)
	n, err := saveItems(ctx, st, subs, pull.Items, time.Now())
	res.NewEntries = n
	if err != nil {
		return res, err
	}
	applied, err := st.ApplyServerItems(ctx, pull.Items)
	if err != nil {
		return res, err
	}
	res.Applied = applied
	if pull.Sets != nil {
		applied, err := st.ApplyServerSets(ctx, *pull.Sets)
		if err != nil {
			return res, err
		}
		res.Applied.add(applied)
	}
	if res.Pushed, err = PushQueued(ctx, c, st); err != nil {
		return res, err
	}
	if err := st.FinishServerSync(ctx, pull.Cursor, time.Now(), nil); err != nil {
		return res, err
	}
	return res, nil
}

// PushQueued pushes every queued change, pushBatch at a time, and returns
// how many the server took.
func PushQueued(ctx context.Context, c Client, st Store) (int, error) {
	pushed := 0
	for {
		changes, err := st.PendingChanges(ctx, pushBatch)
		if err != nil {
			return pushed, err
		}
		if len(changes) == 0 {
			return pushed, nil
		}
		if err := c.Push(ctx, changes); err != nil {
			return pushed, err
		}
		if err := st.AckChanges(ctx, changes); err != nil {
			return pushed, err
		}
		pushed += len(changes)
		if len(changes) < pushBatch {
			return pushed, nil
		}
	}
}

// saveItems stores the pulled items as entries of their subscriptions,
// feed by feed, and every subscription (its name) even without items.
func saveItems(ctx context.Context, st Store, subs []Subscription, items []Item, at time.Time) (newEntries int, err error) {
	byFeed := map[string][]fetch.Entry{}
	for _, it := range items {
		if it.Entry.ID != "" {
			byFeed[it.Entry.Feed] = append(byFeed[it.Entry.Feed], it.Entry)
		}
	}
	results := make([]fetch.FeedResult, 0, len(subs)+1)
	listed := map[string]bool{}
	for _, s := range subs {
		listed[s.URL] = true
		results = append(results, fetch.FeedResult{Feed: fetch.Feed{URL: s.URL, Title: s.Title, SiteURL: s.SiteURL}, Entries: byFeed[s.URL], FetchedAt: at})
	}
	for feed, entries := range byFeed {
		if !listed[feed] && feed != "" {
			// An item of a feed the list did not name (unsubscribed while
			// we pulled): keep it under its feed URL.
			results = append(results, fetch.FeedResult{Feed: fetch.Feed{URL: feed}, Entries: entries, FetchedAt: at})
		}
	}
	var errs []error
	for i := 0; i < len(results); i += 64 {
		batch := results[i:min(i+64, len(results))]
		for j, saved := range st.SaveFeeds(ctx, batch) {
			newEntries += len(saved.NewIDs)
			if saved.Err != nil {
				errs = append(errs, fmt.Errorf("store feed %s: %w", batch[j].Feed.URL, saved.Err))
			}
		}
	}
	return newEntries, errors.Join(errs...)
}
