package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kiosk-reader/kiosk/fetch/remote"
)

var _ remote.Store = (*Store)(nil)

// serverTriggers record every change of a server entry's read or starred
// state in server_outbox, with its time, in the transaction of the change
// itself, whatever made it (the reader, mark-all, undo, a CLI). A row
// whose value differs from the server's last known state is a change to
// push; one equal to it still says when kiosk last set it, which decides
// against a server change made earlier (a change back and forth in kiosk
// after the server changed the entry is the later one). They exist only in
// caches attached to a server, so that nobody else pays for them.
const serverTriggers = `
CREATE TRIGGER IF NOT EXISTS server_queue_read AFTER INSERT ON reads
BEGIN
    INSERT OR REPLACE INTO server_outbox(entry_id, field, value, at)
        SELECT new.id, 'read', 1, ` + sqlNowNanos + `
        FROM server_items WHERE entry_id = new.id LIMIT 1;
END;
CREATE TRIGGER IF NOT EXISTS server_queue_unread AFTER DELETE ON reads
WHEN EXISTS (SELECT 1 FROM entries WHERE id = old.id)
BEGIN
    INSERT OR REPLACE INTO server_outbox(entry_id, field, value, at)
        SELECT old.id, 'read', 0, ` + sqlNowNanos + `
        FROM server_items WHERE entry_id = old.id LIMIT 1;
END;
CREATE TRIGGER IF NOT EXISTS server_queue_starred AFTER UPDATE OF starred_at ON entries
WHEN (old.starred_at IS NULL) != (new.starred_at IS NULL)
BEGIN
    INSERT OR REPLACE INTO server_outbox(entry_id, field, value, at)
        SELECT new.id, 'starred', new.starred_at IS NOT NULL, ` + sqlNowNanos + `
        FROM server_items WHERE entry_id = new.id LIMIT 1;
END;`

// sqlNowNanos is SQLite's clock in Unix nanoseconds (millisecond precision).
const sqlNowNanos = `CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) * 1000000`

// unsettled holds for an outbox row when a server item of its entry does
// not have its value yet: the change still has to be pushed there.
const unsettled = `EXISTS (SELECT 1 FROM server_items si WHERE si.entry_id = server_outbox.entry_id
	AND (CASE server_outbox.field WHEN 'read' THEN si.read ELSE si.starred END) != server_outbox.value)`

// AttachServer makes acct the cache's server (see remote.Store).
func (s *Store) AttachServer(ctx context.Context, acct remote.Account) error {
	return s.write(ctx, "attach server", func(tx *sql.Tx) error {
		var old remote.Account
		err := tx.QueryRowContext(ctx, `SELECT kind, url, user FROM server_account WHERE id = 1`).Scan(&old.Kind, &old.URL, &old.User)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `INSERT INTO server_account(id, kind, url, user) VALUES (1, ?, ?, ?)`, acct.Kind, acct.URL, acct.User); err != nil {
				return err
			}
		case err != nil:
			return err
		case !old.Same(acct):
			// Another server or user: its IDs and state mean nothing here.
			for _, q := range []string{`DELETE FROM server_outbox`, `DELETE FROM server_items`, `DELETE FROM server_feeds`} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE server_account SET kind = ?, url = ?, user = ?, cursor = '', last_sync = NULL, last_error = '' WHERE id = 1`,
				acct.Kind, acct.URL, acct.User); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, serverTriggers)
		return err
	})
}

// ServerAccount returns the attached server with its queue and counts.
func (s *Store) ServerAccount(ctx context.Context) (acct remote.Account, ok bool, err error) {
	var last sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT kind, url, user, cursor, last_sync, last_error,
			(SELECT count(*) FROM server_items WHERE entry_id IS NOT NULL), (SELECT count(*) FROM server_feeds)
		FROM server_account WHERE id = 1`).Scan(&acct.Kind, &acct.URL, &acct.User, &acct.Cursor, &last, &acct.LastError, &acct.Items, &acct.Feeds)
	if errors.Is(err, sql.ErrNoRows) {
		return remote.Account{}, false, nil
	}
	if err != nil {
		return remote.Account{}, false, fmt.Errorf("server account: %w", err)
	}
	acct.LastSync = fromNanos(last)
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (`+pendingQuery+`)`).Scan(&acct.Pending); err != nil {
		return remote.Account{}, false, fmt.Errorf("server queue: %w", err)
	}
	return acct, true, nil
}

// SetServerFeeds replaces the stored subscriptions.
func (s *Store) SetServerFeeds(ctx context.Context, subs []remote.Subscription) error {
	return s.write(ctx, "store subscriptions", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM server_feeds`); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO server_feeds(url, server_id, title, category, pos) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, sub := range subs {
			if _, err := st.ExecContext(ctx, sub.URL, sub.ID, sub.Title, sub.Category, i); err != nil {
				return err
			}
		}
		return nil
	})
}

// ServerFeeds lists the stored subscriptions in the server's order.
func (s *Store) ServerFeeds(ctx context.Context) ([]remote.Subscription, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT sf.url, sf.server_id, sf.title, sf.category, coalesce(f.site_url, '')
		FROM server_feeds sf LEFT JOIN feeds f ON f.url = sf.url ORDER BY sf.pos`)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: %w", err)
	}
	defer rows.Close()
	var subs []remote.Subscription
	for rows.Next() {
		var sub remote.Subscription
		if err := rows.Scan(&sub.URL, &sub.ID, &sub.Title, &sub.Category, &sub.SiteURL); err != nil {
			return nil, fmt.Errorf("subscriptions: %w", err)
		}
		subs = append(subs, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: %w", err)
	}
	return subs, nil
}

// KnownServerItems says which of ids the cache knows: true for an item
// whose entry is cached, false for one whose entry keep_days removed.
func (s *Store) KnownServerItems(ctx context.Context, ids []string) (map[string]bool, error) {
	known := make(map[string]bool, len(ids))
	if len(ids) == 0 {
		return known, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT server_id, entry_id IS NOT NULL FROM server_items WHERE server_id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("known server items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var cached bool
		if err := rows.Scan(&id, &cached); err != nil {
			return nil, fmt.Errorf("known server items: %w", err)
		}
		known[id] = cached
	}
	return known, rows.Err()
}

// FeedEntryIDs maps the URLs of the entries a feed lists to their IDs, so
// that a server's item for an entry kiosk fetched from the feed itself
// becomes that entry (whose ID may come from a GUID the server does not
// pass on), not a second one.
func (s *Store) FeedEntryIDs(ctx context.Context, feedURL string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.url, e.uid FROM feeds f JOIN entry_feeds ef ON ef.feed_id = f.id JOIN entries e ON e.id = ef.entry_id
		WHERE f.url = ?`, feedURL)
	if err != nil {
		return nil, fmt.Errorf("entries of %s: %w", feedURL, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var u, id string
		if err := rows.Scan(&u, &id); err != nil {
			return nil, fmt.Errorf("entries of %s: %w", feedURL, err)
		}
		out[u] = id
	}
	return out, rows.Err()
}

// stateTx applies server state inside one transaction.
type stateTx struct {
	ctx context.Context
	tx  *sql.Tx
	now int64
	n   remote.Applied
}

// setLocal sets an entry's read or starred state to the server's (read
// state in reads, unread and feed_unread, see markRead), when it differs.
func (t *stateTx) setLocal(entryID int64, f remote.Field, v bool) error {
	if f == remote.FieldRead {
		if changed, err := setReadRow(t.ctx, t.tx, entryID, v, t.now); err != nil || !changed {
			return err
		}
	} else {
		res, err := t.tx.ExecContext(t.ctx, `UPDATE entries SET starred_at = CASE WHEN ? THEN coalesce(starred_at, ?) END
			WHERE id = ? AND (starred_at IS NOT NULL) != ?`, v, t.now, entryID, v)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
	}
	// The server's change is no change of kiosk's: drop what the trigger
	// recorded for it.
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM server_outbox WHERE entry_id = ? AND field = ?`, entryID, string(f)); err != nil {
		return err
	}
	switch {
	case f == remote.FieldRead && v:
		t.n.Read++
	case f == remote.FieldRead:
		t.n.Unread++
	case v:
		t.n.Starred++
	default:
		t.n.Unstarred++
	}
	return nil
}

// settle decides one field of a server item whose state the server
// reports as v (changed at changed; zero when the protocol does not say)
// against what kiosk last knew the server to have (base) and kiosk's own
// latest change of the field, if any: equal values need nothing; else the
// later change wins, and without a server time kiosk's own change wins.
func (t *stateTx) settle(serverID string, entryID int64, f remote.Field, v, base bool, changed time.Time) error {
	var pv bool
	var at int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT value, at FROM server_outbox WHERE entry_id = ? AND field = ?`, entryID, string(f)).Scan(&pv, &at)
	hasLocal := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if !hasLocal && v == base {
		return nil
	}
	if v != base {
		if _, err := t.tx.ExecContext(t.ctx, `UPDATE server_items SET `+string(f)+` = ? WHERE server_id = ?`, v, serverID); err != nil {
			return err
		}
	}
	switch {
	case !hasLocal:
	case pv == v:
		// Both sides agree: nothing to push to this item (another item of
		// the same entry may still want it).
		return t.dropSettled(entryID, f)
	case v == base:
		// The server did not change this field (Miniflux's time is the
		// entry's, and may come from a change of the other field):
		// kiosk's change is pushed.
		return nil
	case changed.IsZero() || at > changed.UnixNano():
		t.n.KeptLocal++
		return nil
	default:
		if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM server_outbox WHERE entry_id = ? AND field = ?`, entryID, string(f)); err != nil {
			return err
		}
	}
	return t.setLocal(entryID, f, v)
}

// dropSettled removes an entry's queued change of f once no server item
// of the entry still lacks it (an entry two subscriptions list is two
// items, each with its own last known state).
func (t *stateTx) dropSettled(entryID int64, f remote.Field) error {
	_, err := t.tx.ExecContext(t.ctx, `DELETE FROM server_outbox WHERE entry_id = ? AND field = ? AND NOT `+unsettled, entryID, string(f))
	return err
}

// ApplyServerItems maps the pulled items to their stored entries and
// applies their state. An item new to the cache takes the server's state,
// except that what kiosk already marked read or starred stays so and is
// pushed (a cache attached to a server keeps what was read before).
func (s *Store) ApplyServerItems(ctx context.Context, items []remote.Item) (remote.Applied, error) {
	var out remote.Applied
	if len(items) == 0 {
		return out, nil
	}
	err := s.write(ctx, "apply server state", func(tx *sql.Tx) error {
		t := &stateTx{ctx: ctx, tx: tx, now: time.Now().UnixNano()}
		entryStmt, err := tx.PrepareContext(ctx, `SELECT id, EXISTS (SELECT 1 FROM reads r WHERE r.id = entries.id), starred_at IS NOT NULL FROM entries WHERE uid = ?`)
		if err != nil {
			return err
		}
		defer entryStmt.Close()
		baseStmt, err := tx.PrepareContext(ctx, `SELECT entry_id, read, starred FROM server_items WHERE server_id = ?`)
		if err != nil {
			return err
		}
		defer baseStmt.Close()
		for _, it := range items {
			var eid int64
			var lread, lstar bool
			err := entryStmt.QueryRowContext(ctx, it.Entry.ID).Scan(&eid, &lread, &lstar)
			if errors.Is(err, sql.ErrNoRows) {
				// Not stored (no usable link): known, so that it is not
				// downloaded again at every sync.
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO server_items(server_id, entry_id, read, starred) VALUES (?, NULL, ?, ?)`, it.ID, it.Read, it.Starred); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return err
			}
			var beid sql.NullInt64
			var bread, bstar bool
			err = baseStmt.QueryRowContext(ctx, it.ID).Scan(&beid, &bread, &bstar)
			if errors.Is(err, sql.ErrNoRows) {
				if _, err := tx.ExecContext(ctx, `INSERT INTO server_items(server_id, entry_id, read, starred) VALUES (?, ?, ?, ?)`, it.ID, eid, it.Read, it.Starred); err != nil {
					return err
				}
				for _, fv := range []struct {
					f             remote.Field
					local, remote bool
				}{{remote.FieldRead, lread, it.Read}, {remote.FieldStarred, lstar, it.Starred}} {
					switch {
					case fv.remote && !fv.local:
						if err := t.setLocal(eid, fv.f, true); err != nil {
							return err
						}
					case fv.local && !fv.remote:
						if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO server_outbox(entry_id, field, value, at) VALUES (?, ?, 1, ?)`, eid, string(fv.f), t.now); err != nil {
							return err
						}
					}
				}
				continue
			}
			if err != nil {
				return err
			}
			if beid.Int64 != eid {
				if _, err := tx.ExecContext(ctx, `UPDATE server_items SET entry_id = ? WHERE server_id = ?`, eid, it.ID); err != nil {
					return err
				}
			}
			if err := t.settle(it.ID, eid, remote.FieldRead, it.Read, bread, it.Changed); err != nil {
				return err
			}
			if err := t.settle(it.ID, eid, remote.FieldStarred, it.Starred, bstar, it.Changed); err != nil {
				return err
			}
		}
		out = t.n
		return nil
	})
	return out, err
}

// ApplyServerSets compares a server's complete state with the state kiosk
// last knew it to have and applies what changed.
func (s *Store) ApplyServerSets(ctx context.Context, sets remote.StateSets) (remote.Applied, error) {
	type base struct {
		serverID      string
		entryID       int64
		read, starred bool
	}
	rows, err := s.db.QueryContext(ctx, `SELECT server_id, entry_id, read, starred FROM server_items WHERE entry_id IS NOT NULL`)
	if err != nil {
		return remote.Applied{}, fmt.Errorf("server state: %w", err)
	}
	var changed []base
	for rows.Next() {
		var b base
		if err := rows.Scan(&b.serverID, &b.entryID, &b.read, &b.starred); err != nil {
			rows.Close()
			return remote.Applied{}, fmt.Errorf("server state: %w", err)
		}
		// Of an incomplete list only what is in it counts: an item
		// missing from it may have been skipped.
		inUnread, inStarred := sets.Unread[b.serverID], sets.Starred[b.serverID]
		if ((sets.UnreadComplete || inUnread) && b.read == inUnread) || ((sets.StarredComplete || inStarred) && b.starred != inStarred) {
			changed = append(changed, b)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return remote.Applied{}, fmt.Errorf("server state: %w", err)
	}
	var out remote.Applied
	if len(changed) == 0 {
		return out, nil
	}
	err = s.write(ctx, "apply server state", func(tx *sql.Tx) error {
		t := &stateTx{ctx: ctx, tx: tx, now: time.Now().UnixNano()}
		for _, b := range changed {
			inUnread, inStarred := sets.Unread[b.serverID], sets.Starred[b.serverID]
			if sets.UnreadComplete || inUnread {
				if err := t.settle(b.serverID, b.entryID, remote.FieldRead, !inUnread, b.read, time.Time{}); err != nil {
					return err
				}
			}
			if sets.StarredComplete || inStarred {
				if err := t.settle(b.serverID, b.entryID, remote.FieldStarred, inStarred, b.starred, time.Time{}); err != nil {
					return err
				}
			}
		}
		out = t.n
		return nil
	})
	return out, err
}

// pendingQuery lists the queued changes the server does not have yet, one
// row per server item (an entry two subscriptions list is two items).
const pendingQuery = `SELECT si.server_id, o.entry_id, o.field, o.value, o.at
	FROM server_outbox o JOIN server_items si ON si.entry_id = o.entry_id
	WHERE (CASE o.field WHEN 'read' THEN si.read ELSE si.starred END) != o.value`

// PendingChanges lists up to limit queued changes, oldest first.
func (s *Store) PendingChanges(ctx context.Context, limit int) ([]remote.Change, error) {
	rows, err := s.db.QueryContext(ctx, pendingQuery+` ORDER BY o.at LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("server queue: %w", err)
	}
	defer rows.Close()
	var out []remote.Change
	for rows.Next() {
		var c remote.Change
		var f string
		var at int64
		if err := rows.Scan(&c.ItemID, &c.EntryID, &f, &c.Value, &at); err != nil {
			return nil, fmt.Errorf("server queue: %w", err)
		}
		c.Field, c.At = remote.Field(f), time.Unix(0, at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// AckChanges records that the server took done: the server's state is
// now the changed one, and each change leaves the queue unless the entry
// changed again since it was read.
func (s *Store) AckChanges(ctx context.Context, done []remote.Change) error {
	if len(done) == 0 {
		return nil
	}
	return s.write(ctx, "record pushed changes", func(tx *sql.Tx) error {
		upd := map[remote.Field]*sql.Stmt{}
		for _, f := range []remote.Field{remote.FieldRead, remote.FieldStarred} {
			st, err := tx.PrepareContext(ctx, `UPDATE server_items SET `+string(f)+` = ? WHERE server_id = ?`)
			if err != nil {
				return err
			}
			defer st.Close()
			upd[f] = st
		}
		del, err := tx.PrepareContext(ctx, `DELETE FROM server_outbox WHERE entry_id = ? AND field = ? AND value = ? AND at = ? AND NOT `+unsettled)
		if err != nil {
			return err
		}
		defer del.Close()
		for _, c := range done {
			st := upd[c.Field]
			if st == nil {
				continue
			}
			if _, err := st.ExecContext(ctx, c.Value, c.ItemID); err != nil {
				return err
			}
			if _, err := del.ExecContext(ctx, c.EntryID, string(c.Field), c.Value, c.At.UnixNano()); err != nil {
				return err
			}
		}
		return nil
	})
}

// FinishServerSync records a sync's outcome (see remote.Store).
func (s *Store) FinishServerSync(ctx context.Context, cursor string, at time.Time, syncErr error) error {
	return s.write(ctx, "record server sync", func(tx *sql.Tx) error {
		if syncErr != nil {
			_, err := tx.ExecContext(ctx, `UPDATE server_account SET last_error = ? WHERE id = 1`, strings.ReplaceAll(syncErr.Error(), "\n", "; "))
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE server_account SET cursor = ?, last_sync = ?, last_error = '' WHERE id = 1`, cursor, nanos(at)); err != nil {
			return err
		}
		// Changes that equal the server's state are settled now.
		_, err := tx.ExecContext(ctx, `DELETE FROM server_outbox WHERE NOT `+unsettled)
		return err
	})
}
