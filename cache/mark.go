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
func (s *Store) MarkQueryRead(ctx context.Context, q Query) (ids []string, err error) {
	q.Unread = true
	from, args, _ := q.where(false)
	err = s.write(ctx, "mark read", func(tx *sql.Tx) error {
		var rowIDs []int64
		rowIDs, ids, err = updateReturning(ctx, tx, `UPDATE entries SET read_at = ? WHERE read_at IS NULL AND id IN (SELECT e.id FROM `+from+`)
			RETURNING id, uid`, append([]any{time.Now().UnixNano()}, args...)...)
		if err != nil {
			return err
		}
		return syncUnread(ctx, tx, rowIDs, false)
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
	what := "read"
	cond, value := `read_at IS NULL`, any(time.Now().UnixNano())
	if !read {
		what, cond, value = "unread", `read_at IS NOT NULL`, nil
	}
	err = s.write(ctx, fmt.Sprintf("mark %d entries %s", len(ids), what), func(tx *sql.Tx) error {
		var rowIDs []int64
		rowIDs, changed, err = updateReturning(ctx, tx, `UPDATE entries SET read_at = ? WHERE `+cond+`
			AND uid IN (SELECT value FROM json_each(?)) RETURNING id, uid`, value, string(list))
		if err != nil {
			return err
		}
		return syncUnread(ctx, tx, rowIDs, !read)
	})
	if err != nil {
		return nil, err
	}
	return changed, nil
}

// updateReturning runs an UPDATE … RETURNING id, uid and collects both.
func updateReturning(ctx context.Context, tx *sql.Tx, query string, args ...any) (rowIDs []int64, ids []string, err error) {
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

// syncUnread sets entry_feeds.unread of the given entries, the mirror of
// entries.read_at that feed counts and feed pages read.
func syncUnread(ctx context.Context, tx *sql.Tx, rowIDs []int64, unread bool) error {
	if len(rowIDs) == 0 {
		return nil
	}
	list, err := json.Marshal(rowIDs)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE entry_feeds SET unread = ? WHERE entry_id IN (SELECT value FROM json_each(?))`, unread, string(list))
	return err
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
	from, args, o := uq.where(true)
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
		from = and(from, fmt.Sprintf(`(%[1]s.sort_time %[2]s ? OR (%[1]s.sort_time = ? AND %[1]s.uid %[2]s ?))`, o, cmp))
		args = append(args, at, at, fromID)
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
	cfrom, cargs, co := q.where(false)
	cfrom = and(cfrom, fmt.Sprintf(`(%[1]s.sort_time > ? OR (%[1]s.sort_time = ? AND %[1]s.uid > ?))`, co))
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+cfrom, append(cargs, at, at, it.ID)...).Scan(&n); err != nil {
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
