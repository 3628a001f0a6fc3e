package cache

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/kiosk-reader/kiosk/fetch"
)

// goSteps are migration steps that SQL cannot express, run in the same
// transaction right after the version's SQL.
var goSteps = map[int]func(ctx context.Context, tx *sql.Tx) error{
	6:  scopeEntryIDs,
	7:  fillSearchExtra,
	11: serverTriggersAgain,
}

// serverTriggersAgain creates the server triggers of a cache attached to
// a feed server again after version 11 dropped the one on entries.read_at,
// so that no read change made before the next server sync goes unqueued.
func serverTriggersAgain(ctx context.Context, tx *sql.Tx) error {
	var attached bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM server_account)`).Scan(&attached); err != nil {
		return fmt.Errorf("server triggers: %w", err)
	}
	if !attached {
		return nil
	}
	if _, err := tx.ExecContext(ctx, serverTriggers); err != nil {
		return fmt.Errorf("server triggers: %w", err)
	}
	return nil
}

// scopeEntryIDs gives every entry whose ID is a hash ("k…") the
// feed-scoped ID fetch.EntryID computes for its owning feed, so that the
// next sync finds it (read and starred state kept) instead of adding it
// again. An entry another feed lists too becomes one entry per feed, each
// with its feed's ID and the read and starred state (its full article is
// fetched again for the other feeds). Entries of no feed (a removed feed's
// starred ones) keep theirs.
func scopeEntryIDs(ctx context.Context, tx *sql.Tx) error {
	if err := splitSharedEntries(ctx, tx); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.uid, f.url, e.guid, e.url FROM entries e JOIN feeds f ON f.id = e.feed_id
		WHERE e.uid LIKE 'k%'`)
	if err != nil {
		return fmt.Errorf("scope entry IDs: %w", err)
	}
	type change struct {
		id  int64
		uid string
	}
	var changes []change
	for rows.Next() {
		var id int64
		var uid, feedURL, guid, link string
		if err := rows.Scan(&id, &uid, &feedURL, &guid, &link); err != nil {
			return fmt.Errorf("scope entry IDs: %w", errJoinClose(err, rows))
		}
		if n := fetch.EntryID(feedURL, "", guid, link); n != uid {
			changes = append(changes, change{id, n})
		}
	}
	if err := errJoinClose(rows.Err(), rows); err != nil {
		return fmt.Errorf("scope entry IDs: %w", err)
	}
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, `UPDATE entries SET uid = ? WHERE id = ?`, c.uid, c.id); err != nil {
			return fmt.Errorf("scope entry ID %d: %w", c.id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE entry_feeds SET uid = ? WHERE entry_id = ?`, c.uid, c.id); err != nil {
			return fmt.Errorf("scope entry ID %d: %w", c.id, err)
		}
	}
	return nil
}

// errJoinClose closes rows and returns err, or the close error when err is nil.
func errJoinClose(err error, rows *sql.Rows) error {
	if cerr := rows.Close(); err == nil {
		return cerr
	}
	return err
}

// splitSharedEntries gives each feed that lists a hash-ID entry it does
// not own a copy of that entry under the ID scoped to that feed, and moves
// the feed's membership to the copy.
func splitSharedEntries(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT ef.entry_id, ef.feed_id, f.url, e.guid, e.url, e.title, e.summary
		FROM entry_feeds ef JOIN entries e ON e.id = ef.entry_id JOIN feeds f ON f.id = ef.feed_id
		WHERE e.uid LIKE 'k%' AND e.feed_id IS NOT NULL AND ef.feed_id != e.feed_id`)
	if err != nil {
		return fmt.Errorf("split shared entries: %w", err)
	}
	type share struct {
		entry, feed                   int64
		feedURL, guid, url, title, sm string
	}
	var shares []share
	for rows.Next() {
		var sh share
		if err := rows.Scan(&sh.entry, &sh.feed, &sh.feedURL, &sh.guid, &sh.url, &sh.title, &sh.sm); err != nil {
			return fmt.Errorf("split shared entries: %w", errJoinClose(err, rows))
		}
		shares = append(shares, sh)
	}
	if err := errJoinClose(rows.Err(), rows); err != nil {
		return fmt.Errorf("split shared entries: %w", err)
	}
	for _, sh := range shares {
		uid := fetch.EntryID(sh.feedURL, "", sh.guid, sh.url)
		res, err := tx.ExecContext(ctx, `INSERT INTO entries(uid, feed_id, guid, url, title, summary, author, published, updated,
				image, paywalled, first_seen, last_seen, sort_time, read_at, starred_at)
			SELECT ?, ?, guid, url, title, summary, author, published, updated,
				image, paywalled, first_seen, last_seen, sort_time, read_at, starred_at
			FROM entries WHERE id = ?`, uid, sh.feed, sh.entry)
		if err != nil {
			return fmt.Errorf("split shared entry %d: %w", sh.entry, err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("split shared entry %d: %w", sh.entry, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE entry_feeds SET entry_id = ?, uid = ? WHERE entry_id = ? AND feed_id = ?`, id, uid, sh.entry, sh.feed); err != nil {
			return fmt.Errorf("split shared entry %d: %w", sh.entry, err)
		}
		// Without an article yet, the index holds its title and summary
		// (newDoc of version 6, before articles.extra).
		if _, err := tx.ExecContext(ctx, `INSERT INTO search(rowid, title, lead, body) VALUES (?, ?, ?, '')`,
			id, foldGerman(sh.title), foldGerman(sh.sm)); err != nil {
			return fmt.Errorf("split shared entry %d: %w", sh.entry, err)
		}
	}
	return nil
}
