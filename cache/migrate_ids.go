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
	6: scopeEntryIDs,
	7: fillSearchExtra,
}

// scopeEntryIDs gives every entry whose ID is a hash ("k…") the
// feed-scoped ID fetch.EntryID computes for its owning feed, so that the
// next sync finds it (read and starred state kept) instead of adding it
// again. Entries of no feed (a removed feed's starred ones) keep theirs.
func scopeEntryIDs(ctx context.Context, tx *sql.Tx) error {
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
