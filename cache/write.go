package cache

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// errReadOnly is returned by writes on a store from OpenReadOnly.
var errReadOnly = errors.New("cache opened read-only")

// writeCacheKiB is the page cache of a connection during a write
// transaction (SQLite's default is 2 MiB): a sync's transaction outgrew
// the default, spilled pages to the WAL before it committed and read
// index pages back. The cache goes back to its size afterwards, so that a
// long-lived process (the TUI) does not keep it.
const writeCacheKiB = 32 << 10

// write runs fn in one write transaction (BEGIN IMMEDIATE, see dsn).
func (s *Store) write(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	return s.writeTx(ctx, what, false, fn)
}

// writeFeeds is write for SaveFeed and SaveFeeds, with foreign keys off
// for the transaction: every row they insert points at a feed row they
// upserted or an entries row they inserted in the same transaction, and
// they delete nothing, so the checks found nothing and cascades had
// nothing to do. With the checks, every multi-row INSERT could abort
// half-way and so needed a statement journal, a copy of every page it
// changed (together with the checks ~10 % of a cold sync's writes); the
// inserts are INSERT OR FAIL, whose failure leaves the statement's rows
// to the transaction's rollback.
func (s *Store) writeFeeds(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	return s.writeTx(ctx, what, true, fn)
}

// writeTx is write, with foreign key checks off when trusted is set (see
// writeFeeds).
func (s *Store) writeTx(ctx context.Context, what string, trusted bool, fn func(tx *sql.Tx) error) (err error) {
	if s.readOnly {
		return fmt.Errorf("%s: %w", what, errReadOnly)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer func() { err = errors.Join(err, conn.Close()) }()
	restoreCache, err := setPragma(ctx, conn, "cache_size", strconv.Itoa(-writeCacheKiB))
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer func() { err = errors.Join(err, wrapErr(what, restoreCache())) }()
	if trusted {
		// The pragma cannot change inside a transaction, so it is set on
		// the connection around it.
		restoreFK, err := setPragma(ctx, conn, "foreign_keys", "OFF")
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		defer func() { err = errors.Join(err, wrapErr(what, restoreFK())) }()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, err)
	}
	if err := fn(tx); err != nil {
		return errors.Join(fmt.Errorf("%s: %w", what, err), tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", what, err)
	}
	return nil
}

// setPragma sets a connection's pragma to value and returns the function
// that sets it back to what it was. A connection that cannot be set back
// is dropped instead of going back to the pool with the other setting.
func setPragma(ctx context.Context, conn *sql.Conn, name, value string) (restore func() error, err error) {
	var old string
	if err := conn.QueryRowContext(ctx, "PRAGMA "+name).Scan(&old); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA "+name+" = "+value); err != nil {
		return nil, err
	}
	return func() error {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA "+name+" = "+old); err != nil {
			return errors.Join(err, conn.Raw(func(any) error { return driver.ErrBadConn }))
		}
		return nil
	}, nil
}

// wrapErr is err with what in front, nil for nil.
func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// nanos is t as stored: Unix nanoseconds, NULL for the zero time.
func nanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// fromNanos is the inverse of nanos, in UTC.
func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// FeedState returns the stored validators of a feed; the zero value for an
// unknown feed.
func (s *Store) FeedState(ctx context.Context, feedURL string) (fetch.FeedState, error) {
	var st fetch.FeedState
	err := s.db.QueryRowContext(ctx, `SELECT etag, last_modified FROM feeds WHERE url = ?`, strings.TrimSpace(feedURL)).
		Scan(&st.ETag, &st.LastModified)
	if errors.Is(err, sql.ErrNoRows) {
		return fetch.FeedState{}, nil
	}
	if err != nil {
		return fetch.FeedState{}, fmt.Errorf("feed state %s: %w", feedURL, err)
	}
	return st, nil
}

// FeedStates returns the stored validators of the feeds of feedURLs that
// the cache knows, by URL, in one query (see fetch.FeedStatesStore).
func (s *Store) FeedStates(ctx context.Context, feedURLs []string) (map[string]fetch.FeedState, error) {
	byURL := make(map[string]string, len(feedURLs)) // trimmed → as given
	trimmed := make([]string, 0, len(feedURLs))
	for _, u := range feedURLs {
		t := strings.TrimSpace(u)
		byURL[t] = u
		trimmed = append(trimmed, t)
	}
	list, err := json.Marshal(trimmed)
	if err != nil {
		return nil, fmt.Errorf("feed states: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT url, etag, last_modified FROM feeds WHERE url IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("feed states: %w", err)
	}
	defer rows.Close()
	out := make(map[string]fetch.FeedState, len(feedURLs))
	for rows.Next() {
		var url string
		var st fetch.FeedState
		if err := rows.Scan(&url, &st.ETag, &st.LastModified); err != nil {
			return nil, fmt.Errorf("feed states: %w", err)
		}
		out[byURL[url]] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feed states: %w", err)
	}
	return out, nil
}

// SaveFeed records one fetch of a feed in one transaction and returns the
// IDs of entries that were new. With Err set it only records the error on
// the feed. NotModified records the fetch time (and clears the last error,
// since the fetch succeeded) and touches no entry. Otherwise it upserts the
// feed and its entries: a known ID keeps its read and starred state and
// gains this feed as a member; a changed title, summary, URL or updated
// time marks its article stale so that PendingArticles returns it again.
// An entry listed by several feeds takes its fields from the first feed
// that listed it, or from another feed whose version has a newer updated
// time. A feed listing one ID twice keeps the newest by published time.
func (s *Store) SaveFeed(ctx context.Context, res fetch.FeedResult) (newIDs []string, err error) {
	feedURL := strings.TrimSpace(res.Feed.URL)
	if feedURL == "" {
		return nil, errors.New("save feed: empty feed URL")
	}
	err = s.writeFeeds(ctx, "save feed "+feedURL, func(tx *sql.Tx) error {
		var w *entryWriter
		if len(res.Entries) > 0 {
			if w, err = newEntryWriter(ctx, tx); err != nil {
				return err
			}
			defer w.close()
		}
		if newIDs, err = saveFeedTx(ctx, tx, w, res); err != nil {
			return err
		}
		if w == nil {
			return nil
		}
		return w.idx.flush(ctx)
	})
	if err != nil {
		return nil, err
	}
	return newIDs, nil
}

// SaveFeeds stores several feed fetches in one transaction, each as
// SaveFeed would, in order, and returns what SaveFeed would have returned
// for each. When anything in that transaction fails, it is rolled back and
// every feed is stored again on its own with SaveFeed, so that one feed's
// failure never loses another's entries and each failure is reported on
// its feed.
//
// One transaction for many feeds writes the pages they share (the entry
// indexes, the search index's segments) once instead of once per feed. It
// has no savepoint per feed: a savepoint makes SQLite copy every page it
// changes to a statement journal first, and failures are rare enough to
// pay for the second pass instead.
func (s *Store) SaveFeeds(ctx context.Context, results []fetch.FeedResult) []fetch.SavedFeed {
	out := make([]fetch.SavedFeed, len(results))
	if len(results) == 1 {
		out[0].NewIDs, out[0].Err = s.SaveFeed(ctx, results[0])
		return out
	}
	err := s.writeFeeds(ctx, fmt.Sprintf("save %d feeds", len(results)), func(tx *sql.Tx) error {
		w, err := newEntryWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		for i, res := range results {
			ids, err := saveFeedTx(ctx, tx, w, res)
			if err != nil {
				return err
			}
			out[i].NewIDs = ids
		}
		return w.idx.flush(ctx)
	})
	if err != nil {
		for i, res := range results {
			out[i].NewIDs, out[i].Err = s.SaveFeed(ctx, res)
		}
	}
	return out
}

// saveFeedTx is SaveFeed's work inside transaction tx. w, which may be nil
// for a result without entries, holds the prepared statements and queues
// the index changes; the caller flushes them.
func saveFeedTx(ctx context.Context, tx *sql.Tx, w *entryWriter, res fetch.FeedResult) (newIDs []string, err error) {
	feedURL := strings.TrimSpace(res.Feed.URL)
	if feedURL == "" {
		return nil, errors.New("empty feed URL")
	}
	at := res.FetchedAt
	if at.IsZero() {
		at = time.Now()
	}
	switch {
	case res.Err != nil:
		_, err := tx.ExecContext(ctx, `INSERT INTO feeds(url, last_error) VALUES (?, ?)
			ON CONFLICT(url) DO UPDATE SET last_error = excluded.last_error`,
			feedURL, fetch.CleanLine(res.Err.Error()))
		return nil, err
	case res.NotModified:
		_, err := tx.ExecContext(ctx, `INSERT INTO feeds(url, etag, last_modified, last_fetch) VALUES (?, ?, ?, ?)
			ON CONFLICT(url) DO UPDATE SET last_fetch = excluded.last_fetch, last_error = '',
				etag = CASE WHEN excluded.etag != '' THEN excluded.etag ELSE etag END,
				last_modified = CASE WHEN excluded.last_modified != '' THEN excluded.last_modified ELSE last_modified END`,
			feedURL, res.Feed.ETag, res.Feed.LastModified, at.UnixNano())
		return nil, err
	}
	var feedID int64
	err = tx.QueryRowContext(ctx, `INSERT INTO feeds(url, title, site_url, etag, last_modified, last_fetch, last_changed, last_error)
		VALUES (?, ?, ?, ?, ?, ?, ?, '')
		ON CONFLICT(url) DO UPDATE SET
			title = CASE WHEN excluded.title != '' THEN excluded.title ELSE title END,
			site_url = CASE WHEN excluded.site_url != '' THEN excluded.site_url ELSE site_url END,
			etag = excluded.etag, last_modified = excluded.last_modified,
			last_fetch = excluded.last_fetch, last_changed = excluded.last_changed, last_error = ''
		RETURNING id`,
		feedURL, fetch.CleanLine(res.Feed.Title), strings.TrimSpace(res.Feed.SiteURL),
		res.Feed.ETag, res.Feed.LastModified, at.UnixNano(), at.UnixNano()).Scan(&feedID)
	if err != nil {
		return nil, fmt.Errorf("upsert feed: %w", err)
	}
	entries := dedupe(res.Entries)
	for i := range entries {
		entries[i] = cleanEntry(entries[i])
	}
	return w.saveAll(ctx, feedID, entries, at)
}

// dedupe drops entries without an ID and keeps, of entries sharing an ID,
// the one with the newest published time (the first one on a tie).
func dedupe(in []fetch.Entry) []fetch.Entry {
	out := make([]fetch.Entry, 0, len(in))
	at := make(map[string]int, len(in))
	for _, e := range in {
		e.ID = strings.TrimSpace(e.ID)
		if e.ID == "" {
			continue
		}
		if i, ok := at[e.ID]; ok {
			if e.Published.After(out[i].Published) {
				out[i] = e
			}
			continue
		}
		at[e.ID] = len(out)
		out = append(out, e)
	}
	return out
}

// cleanEntry makes an entry's text safe to store, whatever fetch did.
func cleanEntry(e fetch.Entry) fetch.Entry {
	e.GUID = fetch.CleanLine(e.GUID)
	e.URL = fetch.CleanLine(e.URL)
	e.Title = fetch.CleanLine(e.Title)
	e.Summary = strings.TrimSpace(cleanText(e.Summary))
	e.Author = fetch.CleanLine(e.Author)
	e.Image = fetch.CleanLine(e.Image)
	return e
}

// entryWriter holds the prepared statements of one write transaction of
// SaveFeed or SaveFeeds.
type entryWriter struct {
	tx                                 *sql.Tx
	update, touch, adopt               *sql.Stmt
	member, memberTime                 *sql.Stmt
	feedUnread, unreadTime, feedUnTime *sql.Stmt
	isUnread, lead                     *sql.Stmt
	inserts                            map[int]*sql.Stmt // multi-row inserts of entries by rows
	copyMember, copyUnread             *sql.Stmt         // the other rows of new entries
	copyFeedUnread, copySeen           *sql.Stmt
	idx                                *indexer
}

// Entries are looked up lookupChunk IDs per query and inserted insertChunk
// rows per statement: one statement per entry cost more in database/sql
// and the driver than SQLite's own work.
const (
	lookupChunk = 500
	insertChunk = 50
)

func newEntryWriter(ctx context.Context, tx *sql.Tx) (*entryWriter, error) {
	w := &entryWriter{tx: tx, inserts: map[int]*sql.Stmt{}}
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = tx.PrepareContext(ctx, q)
		return st
	}
	w.update = prep(`UPDATE entries SET guid = ?, url = ?, title = ?, summary = ?, author = ?, published = ?, updated = ?,
			image = ?, paywalled = ?, sort_time = ?, feed_id = ?,
			stale = CASE WHEN ? THEN 1 ELSE stale END, attempts = CASE WHEN ? THEN 0 ELSE attempts END
		WHERE id = ?`)
	// last_seen never goes back: feeds are stored as they finish, not in
	// the order they were fetched. It lives in the narrow seen table, so
	// that an entry a feed lists again as it was costs no entries row.
	w.touch = prep(`UPDATE seen SET last_seen = max(last_seen, ?) WHERE id = ?`)
	w.adopt = prep(`UPDATE entries SET feed_id = ? WHERE id = ? AND feed_id IS NULL`)
	// No RETURNING and no INSERT … SELECT here: such statements need a
	// statement journal, which costs a copy of every page they change.
	w.member = prep(`INSERT INTO entry_feeds(entry_id, feed_id, sort_time, uid) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`)
	w.feedUnread = prep(`INSERT INTO feed_unread(feed_id, sort_time, uid, entry_id) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`)
	w.memberTime = prep(`UPDATE entry_feeds SET sort_time = ? WHERE entry_id = ?`)
	// An unread entry's rows in unread and feed_unread move with its
	// sort_time (old, new, uid, rowid).
	w.unreadTime = prep(`UPDATE unread SET sort_time = ?2 WHERE sort_time = ?1 AND uid = ?3 AND id = ?4`)
	w.feedUnTime = prep(`UPDATE feed_unread SET sort_time = ?2 WHERE (feed_id, sort_time, uid, entry_id) IN
		(SELECT feed_id, ?1, ?3, ?4 FROM entry_feeds WHERE entry_id = ?4)`)
	w.isUnread = prep(`SELECT NOT EXISTS (SELECT 1 FROM reads WHERE id = ?)`)
	w.lead = prep(`SELECT lead, extra, body FROM articles WHERE entry_id = ?`)
	// The rows of new entries that copy their entries rows (see insert).
	// OR FAIL, with the foreign key checks off (see writeFeeds), spares
	// them a statement journal.
	const fresh = ` FROM entries WHERE id BETWEEN ? AND ?`
	w.copyMember = prep(`INSERT OR FAIL INTO entry_feeds(entry_id, feed_id, sort_time, uid) SELECT id, feed_id, sort_time, uid` + fresh)
	w.copyUnread = prep(`INSERT OR FAIL INTO unread(sort_time, uid, id) SELECT sort_time, uid, id` + fresh)
	w.copyFeedUnread = prep(`INSERT OR FAIL INTO feed_unread(feed_id, sort_time, uid, entry_id) SELECT feed_id, sort_time, uid, id` + fresh)
	w.copySeen = prep(`INSERT OR FAIL INTO seen(id, last_seen) SELECT id, first_seen` + fresh)
	w.idx = newIndexer(tx)
	if err != nil {
		w.close()
		return nil, fmt.Errorf("prepare: %w", err)
	}
	return w, nil
}

func (w *entryWriter) close() {
	for _, st := range []*sql.Stmt{w.update, w.touch, w.adopt, w.member, w.memberTime, w.feedUnread, w.unreadTime, w.feedUnTime, w.isUnread, w.lead,
		w.copyMember, w.copyUnread, w.copyFeedUnread, w.copySeen} {
		if st != nil {
			st.Close()
		}
	}
	for _, st := range w.inserts {
		st.Close()
	}
}

// storedEntry is an entry's row as saveAll compares it with a new fetch.
type storedEntry struct {
	id        int64
	old       fetch.Entry
	firstSeen int64
	sortTime  int64
	firstFeed sql.NullInt64
	member    bool // already listed by the feed being saved
}

// lookup returns the stored rows of the entries with these IDs, by ID,
// and whether feed feedID lists them already: most entries of a feed are
// (it lists them at every fetch), and asking here is cheaper than an
// insert per entry that then finds its row.
func (w *entryWriter) lookup(ctx context.Context, feedID int64, entries []fetch.Entry) (map[string]*storedEntry, error) {
	found := map[string]*storedEntry{}
	for start := 0; start < len(entries); start += lookupChunk {
		chunk := entries[start:min(start+lookupChunk, len(entries))]
		args := make([]any, 1, len(chunk)+1)
		args[0] = feedID
		for _, e := range chunk {
			args = append(args, e.ID)
		}
		rows, err := w.tx.QueryContext(ctx, `SELECT id, uid, guid, url, title, summary, author, published, updated, image,
				paywalled, first_seen, sort_time, feed_id,
				EXISTS (SELECT 1 FROM entry_feeds ef WHERE ef.entry_id = entries.id AND ef.feed_id = ?)
			FROM entries WHERE uid IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("look up entries: %w", err)
		}
		for rows.Next() {
			k := &storedEntry{}
			var published, updated sql.NullInt64
			if err := rows.Scan(&k.id, &k.old.ID, &k.old.GUID, &k.old.URL, &k.old.Title, &k.old.Summary, &k.old.Author,
				&published, &updated, &k.old.Image, &k.old.Paywalled, &k.firstSeen, &k.sortTime, &k.firstFeed, &k.member); err != nil {
				return nil, errors.Join(fmt.Errorf("look up entries: %w", err), rows.Close())
			}
			k.old.Published, k.old.Updated = fromNanos(published), fromNanos(updated)
			found[k.old.ID] = k
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("look up entries: %w", err)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("look up entries: %w", err)
		}
	}
	return found, nil
}

// saveAll upserts the entries of feed feedID (cleaned, no ID twice),
// fetched at, and returns the IDs of the new ones in the feed's order.
func (w *entryWriter) saveAll(ctx context.Context, feedID int64, entries []fetch.Entry, at time.Time) ([]string, error) {
	known, err := w.lookup(ctx, feedID, entries)
	if err != nil {
		return nil, err
	}
	var newIDs []string
	var fresh []freshEntry
	for i, e := range entries {
		// Entries listed first are usually the newest: for the ones
		// without a published time, first_seen keeps the feed's order.
		seen := at.Add(-time.Duration(i))
		if k, ok := known[e.ID]; ok {
			if err := w.saveKnown(ctx, feedID, e, seen, k); err != nil {
				return nil, fmt.Errorf("save entry %s: %w", e.ID, err)
			}
			continue
		}
		fresh = append(fresh, freshEntry{e, seen})
		newIDs = append(newIDs, e.ID)
	}
	if err := w.insert(ctx, feedID, fresh); err != nil {
		return nil, err
	}
	return newIDs, nil
}

// freshEntry is an entry not in the cache yet, first seen at seen.
type freshEntry struct {
	e    fetch.Entry
	seen time.Time
}

// insert adds new entries of feed feedID, insertChunk rows per statement.
// SQLite gives them rowids one more than the largest, in order: insert
// computes the same ones (and checks them afterwards), so that their other
// rows need not wait for each insert's rowid. The rowid is not in the
// INSERT: a multi-row INSERT that sets the rowid itself may abort half-way
// and so copies every page it changes to a statement journal. A new entry
// is unread, listed by this feed and last seen when first seen, so its
// rows in entry_feeds, unread, feed_unread and seen are copies of parts of
// its entries row: one INSERT … SELECT per table for the feed's range of
// rowids, instead of binding every value again.
func (w *entryWriter) insert(ctx context.Context, feedID int64, fresh []freshEntry) error {
	if len(fresh) == 0 {
		return nil
	}
	var next int64
	if err := w.tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM entries`).Scan(&next); err != nil {
		return fmt.Errorf("insert entries: %w", err)
	}
	first := next + 1
	w.idx.addNew(first)
	args := make([]any, 0, min(len(fresh), insertChunk)*13)
	for start := 0; start < len(fresh); start += insertChunk {
		chunk := fresh[start:min(start+insertChunk, len(fresh))]
		st, err := w.insertStmt(ctx, len(chunk))
		if err != nil {
			return err
		}
		args = args[:0]
		for _, f := range chunk {
			next++
			e := f.e
			sortTime := f.seen
			if !e.Published.IsZero() {
				sortTime = e.Published
			}
			args = append(args, e.ID, feedID, e.GUID, e.URL, e.Title, e.Summary, e.Author, nanos(e.Published),
				nanos(e.Updated), e.Image, e.Paywalled, f.seen.UnixNano(), sortTime.UnixNano())
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("insert entries %s…: %w", chunk[0].e.ID, err)
		}
	}
	var last int64
	if err := w.tx.QueryRowContext(ctx, `SELECT max(id) FROM entries`).Scan(&last); err != nil {
		return fmt.Errorf("insert entries: %w", err)
	}
	if last != next {
		return fmt.Errorf("insert entries %s…: rowids %d to %d expected, the last is %d", fresh[0].e.ID, first, next, last)
	}
	for _, c := range []struct {
		what string
		st   *sql.Stmt
	}{{"feeds", w.copyMember}, {"unread", w.copyUnread}, {"feed unread", w.copyFeedUnread}, {"seen", w.copySeen}} {
		if _, err := c.st.ExecContext(ctx, first, next); err != nil {
			return fmt.Errorf("insert entries %s…: %s: %w", fresh[0].e.ID, c.what, err)
		}
	}
	return nil
}

// insertStmt returns the statement that inserts n new entries.
func (w *entryWriter) insertStmt(ctx context.Context, n int) (*sql.Stmt, error) {
	if st, ok := w.inserts[n]; ok {
		return st, nil
	}
	row := "(" + placeholders(13) + ")"
	st, err := w.tx.PrepareContext(ctx, `INSERT OR FAIL INTO entries(uid, feed_id, guid, url, title, summary, author,
			published, updated, image, paywalled, first_seen, sort_time)
		VALUES `+strings.TrimSuffix(strings.Repeat(row+", ", n), ", "))
	if err != nil {
		return nil, fmt.Errorf("prepare insert: %w", err)
	}
	w.inserts[n] = st
	return st, nil
}

// saveKnown updates a stored entry k from its fetch e by feed feedID.
func (w *entryWriter) saveKnown(ctx context.Context, feedID int64, e fetch.Entry, seen time.Time, k *storedEntry) error {
	id, old := k.id, k.old
	// One article in two feeds (heise and Telepolis) comes with two URLs
	// and maybe two titles. The first feed's version wins unless the other
	// one is newer by its updated time, so that alternating syncs of the
	// two feeds do not flip the entry and refetch its article every time.
	primary := !k.firstFeed.Valid || k.firstFeed.Int64 == feedID
	apply := (primary && !e.Updated.Before(old.Updated)) || (!primary && e.Updated.After(old.Updated))
	changed := apply && (old.Title != e.Title || old.Summary != e.Summary || old.URL != e.URL || !old.Updated.Equal(e.Updated))
	other := apply && (old.GUID != e.GUID || old.Author != e.Author || old.Image != e.Image ||
		old.Paywalled != e.Paywalled || !old.Published.Equal(e.Published))
	if !apply {
		e = old
	}
	newSort := k.firstSeen
	if !e.Published.IsZero() {
		newSort = e.Published.UnixNano()
	}
	if changed || other {
		owner := k.firstFeed.Int64
		if !k.firstFeed.Valid {
			owner = feedID // a starred entry whose feed was removed
		}
		if _, err := w.update.ExecContext(ctx, e.GUID, e.URL, e.Title, e.Summary, e.Author, nanos(e.Published),
			nanos(e.Updated), e.Image, e.Paywalled, newSort, owner, changed, changed, id); err != nil {
			return err
		}
	} else if !k.firstFeed.Valid {
		// A starred entry whose feed was removed: this feed owns it now.
		if _, err := w.adopt.ExecContext(ctx, feedID, id); err != nil {
			return err
		}
	}
	if _, err := w.touch.ExecContext(ctx, seen.UnixNano(), id); err != nil {
		return err
	}
	// Whether it is unread matters only when its rows in unread and
	// feed_unread move or it gains a feed (rare: most entries of a feed
	// are listed again as they were), so it is asked only then.
	var unread bool
	if newSort != k.sortTime || !k.member {
		if err := w.isUnread.QueryRowContext(ctx, id).Scan(&unread); err != nil {
			return err
		}
	}
	if newSort != k.sortTime {
		if _, err := w.memberTime.ExecContext(ctx, newSort, id); err != nil {
			return err
		}
		if unread {
			if _, err := w.unreadTime.ExecContext(ctx, k.sortTime, newSort, old.ID, id); err != nil {
				return err
			}
			if _, err := w.feedUnTime.ExecContext(ctx, k.sortTime, newSort, old.ID, id); err != nil {
				return err
			}
		}
	}
	if !k.member {
		if _, err := w.member.ExecContext(ctx, id, feedID, newSort, e.ID); err != nil {
			return err
		}
		if unread {
			if _, err := w.feedUnread.ExecContext(ctx, feedID, newSort, e.ID, id); err != nil {
				return err
			}
		}
	}
	if old.Title != e.Title || old.Summary != e.Summary {
		var lead, extra, body string
		err := w.lead.QueryRowContext(ctx, id).Scan(&lead, &extra, &body)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		w.idx.replace(id, newDoc(old.Title, old.Summary, lead, extra, body), newDoc(e.Title, e.Summary, lead, extra, body))
	}
	return nil
}

// PendingArticles lists the entries of the given feeds (all feeds when
// none are given) whose full article should be fetched, newest first: no
// article yet, or one made stale by a change in the feed, as long as fewer
// than maxAttempts fetches failed since (no limit when maxAttempts <= 0).
func (s *Store) PendingArticles(ctx context.Context, feedURLs []string, maxAttempts int) ([]fetch.Entry, error) {
	q := `SELECT e.uid, coalesce(f.url, ''), e.guid, e.url, e.title, e.summary, e.author, e.published, e.updated,
			e.image, e.paywalled
		FROM entries e LEFT JOIN feeds f ON f.id = e.feed_id
		WHERE (e.has_article = 0 OR e.stale = 1) AND (? <= 0 OR e.attempts < ?)`
	args := []any{maxAttempts, maxAttempts}
	if len(feedURLs) == 1 {
		// One feed, as Syncer asks right after storing it: a range of that
		// feed's index instead of every pending entry of the cache.
		q = `SELECT e.uid, coalesce(f.url, ''), e.guid, e.url, e.title, e.summary, e.author, e.published, e.updated,
				e.image, e.paywalled
			FROM feeds g JOIN entry_feeds ef ON ef.feed_id = g.id JOIN entries e ON e.id = ef.entry_id
				LEFT JOIN feeds f ON f.id = e.feed_id
			WHERE g.url = ? AND (e.has_article = 0 OR e.stale = 1) AND (? <= 0 OR e.attempts < ?)
			ORDER BY ef.sort_time DESC, ef.uid DESC`
		args = []any{feedURLs[0], maxAttempts, maxAttempts}
	} else if len(feedURLs) > 0 {
		q += ` AND EXISTS (SELECT 1 FROM entry_feeds ef JOIN feeds g ON g.id = ef.feed_id
			WHERE ef.entry_id = e.id AND g.url IN (` + placeholders(len(feedURLs)) + `))`
		for _, u := range feedURLs {
			args = append(args, u)
		}
	}
	if len(feedURLs) != 1 {
		q += ` ORDER BY e.sort_time DESC, e.uid DESC`
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("pending articles: %w", err)
	}
	defer rows.Close()
	var out []fetch.Entry
	for rows.Next() {
		var e fetch.Entry
		var published, updated sql.NullInt64
		if err := rows.Scan(&e.ID, &e.Feed, &e.GUID, &e.URL, &e.Title, &e.Summary, &e.Author, &published, &updated,
			&e.Image, &e.Paywalled); err != nil {
			return nil, fmt.Errorf("pending articles: %w", err)
		}
		e.Published, e.Updated = fromNanos(published), fromNanos(updated)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending articles: %w", err)
	}
	return out, nil
}

// placeholders returns "?, ?, …" with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// SaveArticles stores a batch of article fetch results in one transaction.
// A success replaces the article (body, figures, references) and its index
// entry and resets the error count; a failure records the error and counts
// the attempt, keeping any older body. Read and starred state are never
// touched. Results for entries no longer in the cache are skipped.
func (s *Store) SaveArticles(ctx context.Context, results []fetch.ArticleResult) error {
	return s.write(ctx, "save articles", func(tx *sql.Tx) error {
		find, err := tx.PrepareContext(ctx, `SELECT id, title, summary, has_article FROM entries WHERE uid = ?`)
		if err != nil {
			return err
		}
		defer find.Close()
		prev, err := tx.PrepareContext(ctx, `SELECT lead, extra, body FROM articles WHERE entry_id = ?`)
		if err != nil {
			return err
		}
		defer prev.Close()
		fail, err := tx.PrepareContext(ctx, `UPDATE entries SET attempts = attempts + 1, article_error = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer fail.Close()
		put, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO articles(entry_id, fetched_at, lead, extra, meta, body)
			VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer put.Close()
		ok, err := tx.PrepareContext(ctx, `UPDATE entries SET has_article = 1, stale = 0, attempts = 0, article_error = '',
			paywalled = paywalled OR ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer ok.Close()
		idx := newIndexer(tx)
		for _, r := range results {
			var id int64
			var title, summary string
			var hasArticle bool
			err := find.QueryRowContext(ctx, r.EntryID).Scan(&id, &title, &summary, &hasArticle)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("article %s: %w", r.EntryID, err)
			}
			if r.Err != nil || r.Article == nil {
				msg := "no article"
				if r.Err != nil {
					msg = fetch.CleanLine(r.Err.Error())
				}
				if _, err := fail.ExecContext(ctx, msg, id); err != nil {
					return fmt.Errorf("article %s: %w", r.EntryID, err)
				}
				continue
			}
			old := newDoc(title, summary, "", "", "")
			if hasArticle {
				var lead, extra, body string
				if err := prev.QueryRowContext(ctx, id).Scan(&lead, &extra, &body); err != nil {
					return fmt.Errorf("article %s: %w", r.EntryID, err)
				}
				old = newDoc(title, summary, lead, extra, body)
			}
			a := cleanArticle(*r.Article)
			body := a.Body
			a.Body = ""
			meta, err := json.Marshal(a)
			if err != nil {
				return fmt.Errorf("article %s: encode: %w", r.EntryID, err)
			}
			at := r.FetchedAt
			if at.IsZero() {
				at = time.Now()
			}
			extra := articleExtra(a)
			if _, err := put.ExecContext(ctx, id, at.UnixNano(), a.Lead, extra, meta, body); err != nil {
				return fmt.Errorf("article %s: %w", r.EntryID, err)
			}
			if _, err := ok.ExecContext(ctx, a.Paywalled, id); err != nil {
				return fmt.Errorf("article %s: %w", r.EntryID, err)
			}
			idx.replace(id, old, newDoc(title, summary, a.Lead, extra, body))
		}
		return idx.flush(ctx)
	})
}

// cleanArticle makes an article's text safe to store, whatever fetch did.
func cleanArticle(a fetch.Article) fetch.Article {
	a.Title = fetch.CleanLine(a.Title)
	a.Kicker = fetch.CleanLine(a.Kicker)
	a.Lead = strings.TrimSpace(cleanText(a.Lead))
	a.Site = fetch.CleanLine(a.Site)
	a.Body = cleanText(a.Body)
	a.Notice = cleanText(a.Notice)
	a.ReadingTime = fetch.CleanLine(a.ReadingTime)
	a.Authors = append([]string(nil), a.Authors...)
	for i := range a.Authors {
		a.Authors[i] = fetch.CleanLine(a.Authors[i])
	}
	return a
}

// SetStarred stars or unstars an entry (keeping the first star time).
// Starred entries are never pruned.
func (s *Store) SetStarred(ctx context.Context, id string, starred bool) error {
	return s.write(ctx, "set starred "+id, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE entries SET starred_at = CASE WHEN ? THEN coalesce(starred_at, ?) END WHERE uid = ?`,
			starred, time.Now().UnixNano(), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("entry %s: %w", id, ErrNotFound)
		}
		return nil
	})
}

// deleteEntries deletes the entries whose rowids the query selects, with
// their rows in the search index and the read-state tables (their
// articles, pictures, memberships and reads rows go by foreign key), and
// returns how many went. The IDs are read once; when there are none,
// nothing else runs (a sync's Prune usually finds nothing).
func deleteEntries(ctx context.Context, tx *sql.Tx, query string, args ...any) (int, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, errors.Join(err, rows.Close())
		}
		ids = append(ids, id)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return 0, err
	}
	const set = `SELECT value FROM json_each(?)`
	for _, q := range []string{
		`DELETE FROM unread WHERE (sort_time, uid, id) IN (SELECT sort_time, uid, id FROM entries WHERE id IN (` + set + `))`,
		`DELETE FROM feed_unread WHERE (feed_id, sort_time, uid, entry_id) IN
			(SELECT feed_id, sort_time, uid, entry_id FROM entry_feeds WHERE entry_id IN (` + set + `))`,
		unindexSQL(set),
		`DELETE FROM entries WHERE id IN (` + set + `)`,
	} {
		if _, err := tx.ExecContext(ctx, q, string(list)); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// Prune removes unstarred entries (with their articles) that are older than
// keepDays by published time (first seen when unknown) and that no feed has
// listed for keepDays, so an old entry still in its feed is not fetched
// again and again. A feed fetched within keepDays that answered 304 still
// lists what it listed at its last full answer (last_changed): those
// entries stay too. Starred entries stay forever; keepDays <= 0 keeps all,
// and so does a keepDays reaching back before 1678, where times stop
// fitting in int64 nanoseconds (the cutoff would wrap round and prune all).
func (s *Store) Prune(ctx context.Context, keepDays int, now time.Time) (removed int, err error) {
	// 1<<20 days (2,870 years) is beyond any Unix-nanosecond time and small
	// enough for AddDate.
	if keepDays <= 0 || keepDays >= 1<<20 {
		return 0, nil
	}
	at := now.AddDate(0, 0, -keepDays)
	if at.Before(time.Unix(0, -1<<63)) {
		return 0, nil
	}
	cutoff := at.UnixNano()
	err = s.write(ctx, "prune cache", func(tx *sql.Tx) error {
		// An entry's last_seen is its feed's fetch time less its position in
		// nanoseconds; a second of slack covers any feed's length. The
		// candidates come from seen_by_time (by last_seen), so that entries
		// seen within keepDays cost nothing, however old they are by
		// published time; what is left to check is what no feed listed
		// within keepDays: what goes, and what feeds answering 304 for that
		// long still list (and the few starred entries, which stay).
		const old = `SELECT e.id FROM seen s INDEXED BY seen_by_time CROSS JOIN entries e ON e.id = s.id
			WHERE s.last_seen < ? AND e.starred_at IS NULL AND e.sort_time < ?
			AND NOT EXISTS (SELECT 1 FROM entry_feeds ef JOIN feeds f ON f.id = ef.feed_id
				WHERE ef.entry_id = e.id AND f.last_fetch >= ? AND s.last_seen >= f.last_changed - 1000000000)`
		removed, err = deleteEntries(ctx, tx, old, cutoff, cutoff, cutoff)
		return err
	})
	if err != nil {
		return 0, err
	}
	return removed, nil
}

// RemoveFeed forgets a feed. Its entries that no other feed lists go with
// it, unless starred; starred ones stay (with no feed when it was their
// only one).
func (s *Store) RemoveFeed(ctx context.Context, feedURL string) error {
	return s.write(ctx, "remove feed "+feedURL, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM feeds WHERE url = ?`, feedURL).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("feed %s: %w", feedURL, ErrNotFound)
		}
		if err != nil {
			return err
		}
		const only = `SELECT ef.entry_id FROM entry_feeds ef JOIN entries e ON e.id = ef.entry_id
			WHERE ef.feed_id = ? AND e.starred_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM entry_feeds o WHERE o.entry_id = ef.entry_id AND o.feed_id != ?)`
		if _, err := deleteEntries(ctx, tx, only, id, id); err != nil {
			return err
		}
		// The feed's rows of the entries other feeds list too.
		if _, err := tx.ExecContext(ctx, `DELETE FROM feed_unread WHERE feed_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE entries SET feed_id = (SELECT min(feed_id) FROM entry_feeds WHERE entry_id = entries.id)
			WHERE feed_id IS NULL`)
		return err
	})
}
