package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// Query selects a page of entries for List and Count.
type Query struct {
	Feed    string // feed URL; "" = all feeds
	Unread  bool
	Starred bool
	Match   string // case-insensitive substring of the title ("" = no filter)
	Offset  int
	Limit   int // 0 = 50
}

// defaultLimit is the page size of a Query without Limit.
const defaultLimit = 50

// Item is an entry as lists show it.
type Item struct {
	fetch.Entry            // Entry.Feed is the URL of the first feed that listed it
	FeedTitles    []string // titles of every feed listing it (the URL when it has no title)
	Read, Starred bool
	ReadAt        time.Time
	StarredAt     time.Time
	FirstSeen     time.Time
	Offline       bool   // the full article is cached
	ArticleErr    string // the last article fetch error, "" if none
}

// itemCols are the columns scanItem reads, from entries e LEFT JOIN feeds f.
const itemCols = `e.uid, coalesce(f.url, ''), e.guid, e.url, e.title, e.summary, e.author, e.published, e.updated,
	e.image, e.paywalled, e.first_seen, (SELECT read_at FROM reads WHERE id = e.id), e.starred_at, e.has_article, e.article_error,
	coalesce(e.feed_id, 0), (SELECT group_concat(feed_id) FROM entry_feeds WHERE entry_id = e.id)`

// scanItem scans itemCols (and extra columns after them) into it.
func scanItem(rows interface{ Scan(...any) error }, feeds map[int64]string, it *Item, extra ...any) error {
	var (
		published, updated, firstSeen, readAt, starredAt sql.NullInt64
		firstFeed                                        int64
		members                                          sql.NullString
	)
	dest := []any{&it.ID, &it.Feed, &it.GUID, &it.URL, &it.Title, &it.Summary, &it.Author, &published, &updated,
		&it.Image, &it.Paywalled, &firstSeen, &readAt, &starredAt, &it.Offline, &it.ArticleErr, &firstFeed, &members}
	if err := rows.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	it.Published, it.Updated, it.FirstSeen = fromNanos(published), fromNanos(updated), fromNanos(firstSeen)
	it.ReadAt, it.StarredAt = fromNanos(readAt), fromNanos(starredAt)
	it.Read, it.Starred = readAt.Valid, starredAt.Valid
	it.FeedTitles = nil
	if name, ok := feeds[firstFeed]; ok {
		it.FeedTitles = append(it.FeedTitles, name)
	}
	for _, s := range strings.Split(members.String, ",") {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id == firstFeed {
			continue
		}
		if name, ok := feeds[id]; ok {
			it.FeedTitles = append(it.FeedTitles, name)
		}
	}
	return nil
}

// feedNames maps feed IDs to their titles (URLs when untitled). There are
// few feeds, so this is one small query per list.
func (s *Store) feedNames(ctx context.Context) (map[int64]string, error) {
	return feedNamesOn(ctx, s.db)
}

// querier is what a read needs of the pool or of one connection.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// feedNamesOn is feedNames on db.
func feedNamesOn(ctx context.Context, db querier) (map[int64]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, coalesce(nullif(title, ''), url) FROM feeds`)
	if err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	defer rows.Close()
	m := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("feeds: %w", err)
		}
		m[id] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	return m, nil
}

// view is the FROM … WHERE clause of a Query and what callers add to it.
type view struct {
	from  string
	args  []any
	order string // the alias whose sort_time and uid order the list
	id    string // the column of the entry's rowid
}

// where builds the view of q. Its rows come from the table whose order
// is the list's: all entries (entries e, by entries_by_time), one feed's
// (entry_feeds ef), all unread ones (unread u) or one feed's unread ones
// (feed_unread fu). Starred entries of all feeds come from entries e (by
// entries_starred, there are few), the unread ones among them being those
// without a reads row. entries e is joined when a condition or the caller
// (withEntry) needs its columns, feeds f when withFeed: a count without
// them stays a pass over one index.
func (q Query) where(withEntry, withFeed bool) view {
	var v view
	var conds []string
	match := strings.TrimSpace(q.Match)
	switch {
	case q.Feed != "" && q.Unread:
		v.from, v.order, v.id = `feed_unread fu`, "fu", "fu.entry_id"
		conds = append(conds, `fu.feed_id = (SELECT id FROM feeds WHERE url = ?)`)
		v.args = append(v.args, q.Feed)
	case q.Feed != "":
		v.from, v.order, v.id = `entry_feeds ef`, "ef", "ef.entry_id"
		conds = append(conds, `ef.feed_id = (SELECT id FROM feeds WHERE url = ?)`)
		v.args = append(v.args, q.Feed)
	case q.Unread && !q.Starred:
		v.from, v.order, v.id = `unread u`, "u", "u.id"
	default:
		v.from, v.order, v.id = `entries e`, "e", "e.id"
		if q.Unread {
			conds = append(conds, `NOT EXISTS (SELECT 1 FROM reads r WHERE r.id = e.id)`)
		}
	}
	if v.order != "e" && (withEntry || withFeed || q.Starred || match != "") {
		// CROSS JOIN keeps the ordering table outside, so that a page is
		// a range of its key and one entry lookup per row.
		v.from += ` CROSS JOIN entries e ON e.id = ` + v.id
	}
	if withFeed {
		v.from += ` LEFT JOIN feeds f ON f.id = e.feed_id`
	}
	if q.Starred {
		conds = append(conds, `e.starred_at IS NOT NULL`)
	}
	if match != "" {
		// SQLite's lower() folds ASCII only; the replace calls add the
		// German capitals, the rest of the folding happens in Go.
		conds = append(conds, `instr(lower(replace(replace(replace(e.title, 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü')), ?) > 0`)
		v.args = append(v.args, strings.ToLower(match))
	}
	if len(conds) > 0 {
		v.from += " WHERE " + strings.Join(conds, " AND ")
	}
	return v
}

// List returns one page of entries, newest first by published time (first
// seen when unknown), the ID breaking ties. It reads only that page.
func (s *Store) List(ctx context.Context, q Query) ([]Item, error) {
	return list(ctx, s.db, q)
}

// list is List on db.
func list(ctx context.Context, db querier, q Query) ([]Item, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	feeds, err := feedNamesOn(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	v := q.where(true, true)
	rows, err := db.QueryContext(ctx, `SELECT `+itemCols+` FROM `+v.from+
		` ORDER BY `+v.order+`.sort_time DESC, `+v.order+`.uid DESC LIMIT ? OFFSET ?`,
		append(v.args, limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	defer rows.Close()
	items := make([]Item, 0, min(limit, 1000))
	for rows.Next() {
		var it Item
		if err := scanItem(rows, feeds, &it); err != nil {
			return nil, fmt.Errorf("list: %w", err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	return items, nil
}

// Count returns how many entries match q, ignoring its Offset and Limit.
func (s *Store) Count(ctx context.Context, q Query) (int, error) {
	return count(ctx, s.db, q)
}

// count is Count on db.
func count(ctx context.Context, db querier, q Query) (int, error) {
	v := q.where(false, false)
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+v.from, v.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}

// firstPageCache is the page cache (in KiB) of the connection FirstPage
// reads on, for as long as it reads: a fresh process copies every page it
// reads into a newly allocated buffer (two page faults each), and a small
// cache recycles a few buffers instead of allocating one per page.
const firstPageCache = 128

// FirstPage is List and Count of q on one connection of the pool, as a
// program's first read (the reader's first screenful and its position):
// while it reads, the connection's page cache is held to firstPageCache
// KiB, so that the count's walk over an index of many pages reuses a few
// buffers (at 50,000 entries ~380 page faults fewer, 12.4 -> 11.5 ms to the
// reader's first frame, median of 41 alternating runs at load 2.7). The
// connection's cache size is put back before it returns to the pool.
func (s *Store) FirstPage(ctx context.Context, q Query) (items []Item, n int, err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list: %w", err)
	}
	defer func() { err = errors.Join(err, conn.Close()) }()
	restore, err := setPragma(ctx, conn, "cache_size", strconv.Itoa(-firstPageCache))
	if err != nil {
		return nil, 0, fmt.Errorf("list: %w", err)
	}
	defer func() { err = errors.Join(err, wrapErr("list", restore())) }()
	if items, err = list(ctx, conn, q); err != nil {
		return nil, 0, err
	}
	if n, err = count(ctx, conn, q); err != nil {
		return items, 0, err
	}
	return items, n, nil
}

// Item returns one entry by ID; an error wrapping ErrNotFound when the ID
// is unknown.
func (s *Store) Item(ctx context.Context, id string) (Item, error) {
	feeds, err := s.feedNames(ctx)
	if err != nil {
		return Item{}, fmt.Errorf("entry %s: %w", id, err)
	}
	var it Item
	row := s.db.QueryRowContext(ctx, `SELECT `+itemCols+` FROM entries e LEFT JOIN feeds f ON f.id = e.feed_id
		WHERE e.uid = ?`, id)
	err = scanItem(row, feeds, &it)
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, fmt.Errorf("entry %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Item{}, fmt.Errorf("entry %s: %w", id, err)
	}
	return it, nil
}

// IDByURL returns the ID of the newest entry whose article URL is rawURL,
// tracking parameters ignored: how a link finds its cached copy when the
// entry's ID came from a feed GUID rather than the URL. It reads the
// entries table without an index, which suits one user action, not a list.
func (s *Store) IDByURL(ctx context.Context, rawURL string) (string, error) {
	u := fetch.StripTracking(rawURL)
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT uid FROM entries WHERE url = ? ORDER BY sort_time DESC LIMIT 1`, u).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("entry with URL %s: %w", u, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("entry with URL %s: %w", u, err)
	}
	return id, nil
}

// IDsByURL returns the IDs of every entry whose article URL is one of
// urls, tracking parameters ignored, newest first: the entries a page
// fetched from those URLs may update.
func (s *Store) IDsByURL(ctx context.Context, urls ...string) (ids []string, err error) {
	for _, raw := range urls {
		u := fetch.StripTracking(raw)
		rows, err := s.db.QueryContext(ctx, `SELECT uid FROM entries WHERE url = ? ORDER BY sort_time DESC`, u)
		if err != nil {
			return nil, fmt.Errorf("entries with URL %s: %w", u, err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return nil, fmt.Errorf("entries with URL %s: %w", u, errors.Join(err, rows.Close()))
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("entries with URL %s: %w", u, err)
		}
	}
	return ids, nil
}

// Article returns the cached full article of an entry; an error wrapping
// ErrNotFound when the entry is unknown or has no article cached.
func (s *Store) Article(ctx context.Context, id string) (fetch.Article, error) {
	var meta, body string
	err := s.db.QueryRowContext(ctx, `SELECT a.meta, a.body FROM entries e JOIN articles a ON a.entry_id = e.id
		WHERE e.uid = ?`, id).Scan(&meta, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return fetch.Article{}, fmt.Errorf("article %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return fetch.Article{}, fmt.Errorf("article %s: %w", id, err)
	}
	var a fetch.Article
	if err := json.Unmarshal([]byte(meta), &a); err != nil {
		return fetch.Article{}, fmt.Errorf("article %s: decode: %w", id, err)
	}
	a.Body = body
	if a.ID == "" {
		a.ID = id
	}
	return a, nil
}

// FeedInfo describes a feed in the cache.
type FeedInfo struct {
	URL, Title    string
	Total, Unread int
	LastFetch     time.Time // the last successful fetch (or not-modified answer)
	LastError     string    // the last fetch's error, "" when it worked
	// Category is the feed server's category (folder) for the feed; the
	// cache's own lists leave it empty.
	Category string
}

// Feeds lists the feeds in the cache with their entry counts, by title.
func (s *Store) Feeds(ctx context.Context) ([]FeedInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT f.url, f.title, f.last_fetch, f.last_error,
			(SELECT count(*) FROM entry_feeds WHERE feed_id = f.id),
			(SELECT count(*) FROM feed_unread WHERE feed_id = f.id)
		FROM feeds f ORDER BY lower(coalesce(nullif(f.title, ''), f.url)), f.url`)
	if err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	defer rows.Close()
	var out []FeedInfo
	for rows.Next() {
		var fi FeedInfo
		var last sql.NullInt64
		if err := rows.Scan(&fi.URL, &fi.Title, &last, &fi.LastError, &fi.Total, &fi.Unread); err != nil {
			return nil, fmt.Errorf("feeds: %w", err)
		}
		fi.LastFetch = fromNanos(last)
		out = append(out, fi)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	return out, nil
}

// FeedURL resolves what a user typed for a feed: its URL or its title
// (case-insensitive), among the feeds in the cache. It reads the feeds
// table only; an unknown feed gives an error wrapping ErrNotFound.
func (s *Store) FeedURL(ctx context.Context, nameOrURL string) (string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url, title FROM feeds ORDER BY id`)
	if err != nil {
		return "", fmt.Errorf("find feed %q: %w", nameOrURL, err)
	}
	defer rows.Close()
	want := strings.TrimSpace(nameOrURL)
	var byTitle []string
	for rows.Next() {
		var url, title string
		if err := rows.Scan(&url, &title); err != nil {
			return "", fmt.Errorf("find feed %q: %w", nameOrURL, err)
		}
		if url == want {
			return url, nil
		}
		if strings.EqualFold(title, want) {
			byTitle = append(byTitle, url)
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("find feed %q: %w", nameOrURL, err)
	}
	switch len(byTitle) {
	case 0:
		return "", fmt.Errorf("feed %q: %w", nameOrURL, ErrNotFound)
	case 1:
		return byTitle[0], nil
	}
	return "", fmt.Errorf("feed %q is ambiguous: %s", nameOrURL, strings.Join(byTitle, ", "))
}
