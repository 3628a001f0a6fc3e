package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MarkQueryRead marks every unread entry matching q (its Offset and Limit
// ignored) read, in one transaction, and returns the IDs of the entries it
// changed, so that SetReadIDs(ids, false) undoes exactly this. Entries
// already read keep their first read time.
//
// The read state lives in narrow tables (migration 10): marking all
// feeds' entries empties unread and feed_unread, one feed's deletes its
// range of feed_unread; a filtered view deletes its entries' rows one by
// one.
func (s *Store) MarkQueryRead(ctx context.Context, q Query) (ids []string, err error) {
	q.Unread = true
	at := time.Now().UnixNano()
	err = s.write(ctx, "mark read", func(tx *sql.Tx) error {
		v := q.where(false, false)
		var rowIDs []int64
		rowIDs, ids, err = queryIDs(ctx, tx, `SELECT `+v.id+`, `+v.order+`.uid FROM `+v.from, v.args...)
		if err != nil || len(rowIDs) == 0 {
			return err
		}
		switch {
		case q.Starred || strings.TrimSpace(q.Match) != "":
			return markRead(ctx, tx, rowIDs, at)
		case q.Feed == "":
			return execAll(ctx, tx, []stmt{
				{`INSERT INTO reads(id, read_at) SELECT id, ? FROM unread`, []any{at}},
				{`DELETE FROM unread`, nil},
				{`DELETE FROM feed_unread`, nil},
			})
		}
		const feed = `(SELECT id FROM feeds WHERE url = ?)`
		return execAll(ctx, tx, []stmt{
			{`INSERT INTO reads(id, read_at) SELECT entry_id, ? FROM feed_unread WHERE feed_id = ` + feed, []any{at, q.Feed}},
			{`DELETE FROM unread WHERE (sort_time, uid, id) IN
				(SELECT sort_time, uid, entry_id FROM feed_unread WHERE feed_id = ` + feed + `)`, []any{q.Feed}},
			// The same entries in other feeds.
			{`DELETE FROM feed_unread WHERE (feed_id, sort_time, uid, entry_id) IN
				(SELECT o.feed_id, o.sort_time, o.uid, o.entry_id FROM feed_unread fu JOIN entry_feeds o ON o.entry_id = fu.entry_id
				WHERE fu.feed_id = ` + feed + ` AND o.feed_id != fu.feed_id)`, []any{q.Feed}},
			{`DELETE FROM feed_unread WHERE feed_id = ` + feed, []any{q.Feed}},
		})
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// SetReadIDs marks the entries with the given IDs read (keeping a first
// read time) or unread, in one transaction, and returns the IDs whose state
// changed. Unknown IDs are skipped: an entry pruned since it was listed is
// no error.
func (s *Store) SetReadIDs(ctx context.Context, ids []string, read bool) (changed []string, err error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("mark %d entries: %w", len(ids), err)
	}
	what, state := "read", `NOT EXISTS`
	if !read {
		what, state = "unread", `EXISTS`
	}
	at := time.Now().UnixNano()
	err = s.write(ctx, fmt.Sprintf("mark %d entries %s", len(ids), what), func(tx *sql.Tx) error {
		var rowIDs []int64
		rowIDs, changed, err = queryIDs(ctx, tx, `SELECT e.id, e.uid FROM entries e WHERE e.uid IN (SELECT value FROM json_each(?))
			AND `+state+` (SELECT 1 FROM reads r WHERE r.id = e.id)`, string(list))
		if err != nil {
			return err
		}
		if read {
			return markRead(ctx, tx, rowIDs, at)
		}
		return markUnread(ctx, tx, rowIDs)
	})
	if err != nil {
		return nil, err
	}
	return changed, nil
}

// SetRead marks an entry read (keeping the first read time) or unread.
func (s *Store) SetRead(ctx context.Context, id string, read bool) error {
	what := "set read "
	if !read {
		what = "set unread "
	}
	at := time.Now().UnixNano()
	return s.write(ctx, what+id, func(tx *sql.Tx) error {
		var rowID int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM entries WHERE uid = ?`, id).Scan(&rowID); errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("entry %s: %w", id, ErrNotFound)
		} else if err != nil {
			return err
		}
		_, err := setReadRow(ctx, tx, rowID, read, at)
		return err
	})
}

// setReadRow marks the entry with rowid rowID read at at, or unread, when
// it is not so already, and says whether it changed.
func setReadRow(ctx context.Context, tx *sql.Tx, rowID int64, read bool, at int64) (changed bool, err error) {
	var isRead bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM reads WHERE id = ?)`, rowID).Scan(&isRead); err != nil {
		return false, err
	}
	switch {
	case isRead == read:
		return false, nil
	case read:
		return true, markRead(ctx, tx, []int64{rowID}, at)
	}
	return true, markUnread(ctx, tx, []int64{rowID})
}

// markRead moves unread entries (by rowid) to reads, read at at: their
// reads row in, their unread and feed_unread rows out.
func markRead(ctx context.Context, tx *sql.Tx, rowIDs []int64, at int64) error {
	if len(rowIDs) == 0 {
		return nil
	}
	list, err := json.Marshal(rowIDs)
	if err != nil {
		return err
	}
	return execAll(ctx, tx, []stmt{
		{`INSERT INTO reads(id, read_at) SELECT value, ? FROM json_each(?)`, []any{at, string(list)}},
		{`DELETE FROM unread WHERE (sort_time, uid, id) IN
			(SELECT e.sort_time, e.uid, e.id FROM json_each(?) j JOIN entries e ON e.id = j.value)`, []any{string(list)}},
		{`DELETE FROM feed_unread WHERE (feed_id, sort_time, uid, entry_id) IN
			(SELECT ef.feed_id, ef.sort_time, ef.uid, ef.entry_id FROM json_each(?) j JOIN entry_feeds ef ON ef.entry_id = j.value)`, []any{string(list)}},
	})
}

// markUnread is markRead's inverse for read entries.
func markUnread(ctx context.Context, tx *sql.Tx, rowIDs []int64) error {
	if len(rowIDs) == 0 {
		return nil
	}
	list, err := json.Marshal(rowIDs)
	if err != nil {
		return err
	}
	return execAll(ctx, tx, []stmt{
		{`DELETE FROM reads WHERE id IN (SELECT value FROM json_each(?))`, []any{string(list)}},
		{`INSERT INTO unread(sort_time, uid, id) SELECT e.sort_time, e.uid, e.id FROM json_each(?) j JOIN entries e ON e.id = j.value`,
			[]any{string(list)}},
		{`INSERT INTO feed_unread(feed_id, sort_time, uid, entry_id)
			SELECT ef.feed_id, ef.sort_time, ef.uid, ef.entry_id FROM json_each(?) j JOIN entry_feeds ef ON ef.entry_id = j.value`,
			[]any{string(list)}},
	})
}

// stmt is one statement of execAll.
type stmt struct {
	query string
	args  []any
}

// execAll runs statements in order, stopping at the first error.
func execAll(ctx context.Context, tx *sql.Tx, stmts []stmt) error {
	for _, st := range stmts {
		if _, err := tx.ExecContext(ctx, st.query, st.args...); err != nil {
			return err
		}
	}
	return nil
}

// queryIDs runs a query of rowid and ID and collects both.
func queryIDs(ctx context.Context, tx *sql.Tx, query string, args ...any) (rowIDs []int64, ids []string, err error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var id int64
		var uid string
		if err := rows.Scan(&id, &uid); err != nil {
			return nil, nil, errors.Join(err, rows.Close())
		}
		rowIDs = append(rowIDs, id)
		ids = append(ids, uid)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, nil, err
	}
	return rowIDs, ids, nil
}

// NextUnread returns the first unread entry matching q after the entry
// fromID in q's order (newest first), or before it when backward, and its
// offset in the list q gives. An empty fromID starts at the newest entry
// (at the oldest when backward). It reads one entry and counts the entries
// before it; an error wrapping ErrNotFound means there is none.
func (s *Store) NextUnread(ctx context.Context, q Query, fromID string, backward bool) (Item, int, error) {
	what := "next unread"
	if backward {
		what = "previous unread"
	}
	feeds, err := s.feedNames(ctx)
	if err != nil {
		return Item{}, 0, fmt.Errorf("%s: %w", what, err)
	}
	uq := q
	uq.Unread = true
	v := uq.where(true, true)
	from, args, o := v.from, v.args, v.order
	cmp, dir := "<", "DESC"
	if backward {
		cmp, dir = ">", "ASC"
	}
	if fromID != "" {
		var at int64
		err := s.db.QueryRowContext(ctx, `SELECT sort_time FROM entries WHERE uid = ?`, fromID).Scan(&at)
		if errors.Is(err, sql.ErrNoRows) {
			return Item{}, 0, fmt.Errorf("%s after %s: %w", what, fromID, ErrNotFound)
		}
		if err != nil {
			return Item{}, 0, fmt.Errorf("%s after %s: %w", what, fromID, err)
		}
		// A row value, not "a < x OR (a = x AND b < y)": SQLite reads
		// the OR as two ranges whose rows it then sorts, all of them.
		from = and(from, fmt.Sprintf(`(%[1]s.sort_time, %[1]s.uid) %[2]s (?, ?)`, o, cmp))
		args = append(args, at, fromID)
	}
	var it Item
	var at int64
	row := s.db.QueryRowContext(ctx, `SELECT `+itemCols+`, `+o+`.sort_time FROM `+from+
		` ORDER BY `+o+`.sort_time `+dir+`, `+o+`.uid `+dir+` LIMIT 1`, args...)
	err = scanItem(row, feeds, &it, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, 0, fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return Item{}, 0, fmt.Errorf("%s: %w", what, err)
	}
	// Its offset in q's list: the entries of q that sort before it.
	cv := q.where(false, false)
	cfrom, cargs, co := cv.from, cv.args, cv.order
	cfrom = and(cfrom, fmt.Sprintf(`(%[1]s.sort_time, %[1]s.uid) > (?, ?)`, co))
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+cfrom, append(cargs, at, it.ID)...).Scan(&n); err != nil {
		return Item{}, 0, fmt.Errorf("%s: count: %w", what, err)
	}
	return it, n, nil
}

// and adds a condition to the FROM … WHERE clause of Query.where.
func and(from, cond string) string {
	if strings.Contains(from, " WHERE ") {
		return from + " AND " + cond
	}
	return from + " WHERE " + cond
}
