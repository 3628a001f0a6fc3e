package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// batchResults is a sequence of feed fetches that exercises what SaveFeed
// decides entry by entry: new entries, an entry listed by two feeds, a
// later fetch of the same feed changing a title and a summary, a 304 and a
// failed fetch.
func batchResults() []fetch.FeedResult {
	at := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	const feedA, feedB = "https://a.example/feed", "https://b.example/feed"
	e := func(id, title, summary string, min int) fetch.Entry {
		return fetch.Entry{ID: id, URL: "https://a.example/" + id, Title: title, Summary: summary,
			Published: at.Add(-time.Duration(min) * time.Minute), Updated: at.Add(-time.Duration(min) * time.Minute)}
	}
	changed := e("a2", "Zweiter Titel, geändert", "Größere Maße", 2)
	changed.Updated = at
	return []fetch.FeedResult{
		{Feed: fetch.Feed{URL: feedA, Title: "Feed A", ETag: `"a1"`}, FetchedAt: at,
			Entries: []fetch.Entry{e("a1", "Grüße aus Köln", "Straßenfest", 1), e("a2", "Zweiter", "Größe", 2), e("both", "Geteilt", "Von A", 3)}},
		{Feed: fetch.Feed{URL: feedB, Title: "Feed B"}, FetchedAt: at.Add(time.Second),
			Entries: []fetch.Entry{e("b1", "Übel", "", 4), e("both", "Geteilt anders", "Von B", 3), e("b1", "Übel, neuer", "", 0)}},
		{Feed: fetch.Feed{URL: feedA, Title: "Feed A", ETag: `"a2"`}, FetchedAt: at.Add(time.Minute),
			Entries: []fetch.Entry{e("a1", "Grüße aus Bonn", "Straßenfest", 1), changed, e("a3", "Dritter", "Neu", 0)}},
		{Feed: fetch.Feed{URL: feedB, ETag: `"b2"`}, NotModified: true, FetchedAt: at.Add(2 * time.Minute)},
		{Feed: fetch.Feed{URL: "https://c.example/feed"}, Err: errors.New("fetch feed: 500"), FetchedAt: at},
	}
}

// snapshot is every stored row that SaveFeed writes, as text.
func snapshot(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT url, title, site_url, etag, last_modified, coalesce(last_fetch, 0), last_error FROM feeds ORDER BY url`,
		`SELECT e.uid, coalesce(f.url, ''), e.guid, e.url, e.title, e.summary, coalesce(e.published, 0), coalesce(e.updated, 0),
			e.first_seen, (SELECT last_seen FROM seen WHERE id = e.id), e.sort_time, e.stale, e.attempts FROM entries e LEFT JOIN feeds f ON f.id = e.feed_id ORDER BY e.uid`,
		`SELECT e.uid, f.url, ef.sort_time, ef.uid, EXISTS (SELECT 1 FROM feed_unread fu WHERE fu.feed_id = ef.feed_id AND fu.entry_id = ef.entry_id) FROM entry_feeds ef JOIN entries e ON e.id = ef.entry_id
			JOIN feeds f ON f.id = ef.feed_id ORDER BY e.uid, f.url`,
	} {
		rows, err := s.db.QueryContext(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(vals...))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func openInternal(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.CheckReadState(context.Background()); err != nil {
			t.Error(err)
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// TestSaveFeedsMatchesSaveFeed stores the same fetches one SaveFeed at a
// time and in one SaveFeeds call and compares the answers, every row and
// the search index.
func TestSaveFeedsMatchesSaveFeed(t *testing.T) {
	ctx := t.Context()
	one, batch := openInternal(t), openInternal(t)
	results := batchResults()
	var want []fetch.SavedFeed
	for _, res := range results {
		ids, err := one.SaveFeed(ctx, res)
		want = append(want, fetch.SavedFeed{NewIDs: ids, Err: err})
	}
	got := batch.SaveFeeds(ctx, results)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SaveFeeds = %+v\nSaveFeed gave %+v", got, want)
	}
	if a, b := snapshot(t, one), snapshot(t, batch); !reflect.DeepEqual(a, b) {
		t.Errorf("rows differ:\nSaveFeed  %q\nSaveFeeds %q", a, b)
	}
	checkIndex(t, batch)
	for q, want := range map[string]int{"Bonn": 1, "Köln": 0, "Maße": 1, "geteilt": 1, "Übel": 1} {
		a, errA := one.Search(ctx, q, 10)
		b, errB := batch.Search(ctx, q, 10)
		if errA != nil || errB != nil || len(a) != want || len(b) != want {
			t.Errorf("Search(%q): %d hits, %v with SaveFeed; %d, %v with SaveFeeds; want %d", q, len(a), errA, len(b), errB, want)
		}
	}
}

// TestSaveFeedsIsolatesFailure makes one feed of a batch fail after some
// of its entries were written (a trigger refuses one entry) and checks
// that only that feed is lost: the others are stored and indexed, nothing
// of the failed one remains, and the failure is reported on it.
func TestSaveFeedsIsolatesFailure(t *testing.T) {
	ctx := t.Context()
	s := openInternal(t)
	if _, err := s.db.ExecContext(ctx, `CREATE TRIGGER refuse_bad BEFORE INSERT ON entries WHEN NEW.uid = 'bad'
		BEGIN SELECT RAISE(ABORT, 'refused by test'); END`); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	feed := func(name string, ids ...string) fetch.FeedResult {
		res := fetch.FeedResult{Feed: fetch.Feed{URL: "https://" + name + ".example/feed"}, FetchedAt: at}
		for _, id := range ids {
			res.Entries = append(res.Entries, fetch.Entry{ID: id, Title: "Titel " + id + " Wort" + name, Summary: "Text"})
		}
		return res
	}
	got := s.SaveFeeds(ctx, []fetch.FeedResult{feed("eins", "x1", "x2"), feed("zwei", "y1", "bad", "y2"), feed("drei", "z1")})
	if got[0].Err != nil || got[2].Err != nil || !reflect.DeepEqual(got[0].NewIDs, []string{"x1", "x2"}) ||
		!reflect.DeepEqual(got[2].NewIDs, []string{"z1"}) {
		t.Errorf("good feeds: %+v, %+v", got[0], got[2])
	}
	if got[1].Err == nil || !strings.Contains(got[1].Err.Error(), "refused by test") || got[1].NewIDs != nil {
		t.Errorf("failed feed: %+v", got[1])
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM entries WHERE uid = 'y1'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("entry y1 of the failed feed: %d rows, %v", n, err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM feeds WHERE url LIKE '%zwei%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("failed feed: %d rows, %v", n, err)
	}
	checkIndex(t, s)
	for q, want := range map[string]int{"worteins": 2, "wortzwei": 0, "wortdrei": 1} {
		hits, err := s.Search(ctx, q, 10)
		if err != nil || len(hits) != want {
			t.Errorf("Search(%q) = %d hits, %v; want %d", q, len(hits), err, want)
		}
	}
	// The failed feed stores fine once the entry is accepted.
	if _, err := s.db.ExecContext(ctx, `DROP TRIGGER refuse_bad`); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.SaveFeed(context.WithoutCancel(ctx), feed("zwei", "y1", "bad", "y2")); err != nil || len(ids) != 3 {
		t.Errorf("SaveFeed after the fix = %v, %v", ids, err)
	}
	checkIndex(t, s)
}

// TestSaveFeedLargeFeed stores a feed longer than one lookup and many
// insert statements, then stores it again with some titles changed: every
// entry is new once, in the feed's order, and the index stays exact.
func TestSaveFeedLargeFeed(t *testing.T) {
	ctx := t.Context()
	s := openInternal(t)
	n := 2*lookupChunk + insertChunk + 7
	at := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	res := fetch.FeedResult{Feed: fetch.Feed{URL: "https://big.example/feed"}, FetchedAt: at}
	var want []string
	for i := range n {
		id := fmt.Sprintf("big-%04d", i)
		want = append(want, id)
		res.Entries = append(res.Entries, fetch.Entry{ID: id, Title: "Eintrag " + id, Summary: "Zusammenfassung",
			Published: at.Add(-time.Duration(i) * time.Minute)})
	}
	ids, err := s.SaveFeed(ctx, res)
	if err != nil || !reflect.DeepEqual(ids, want) {
		t.Fatalf("first SaveFeed = %d IDs, %v; want %d in feed order", len(ids), err, n)
	}
	for i := 0; i < n; i += 97 {
		res.Entries[i].Title += " geändert"
	}
	res.FetchedAt = at.Add(time.Hour)
	if ids, err := s.SaveFeed(ctx, res); err != nil || len(ids) != 0 {
		t.Fatalf("second SaveFeed = %v, %v; want no new IDs", ids, err)
	}
	var entries, members, stale int
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM entries), (SELECT count(*) FROM entry_feeds),
		(SELECT count(*) FROM entries WHERE stale = 1)`).Scan(&entries, &members, &stale); err != nil {
		t.Fatal(err)
	}
	if entries != n || members != n || stale != (n+96)/97 {
		t.Errorf("entries %d, memberships %d, stale %d; want %d, %d, %d", entries, members, stale, n, n, (n+96)/97)
	}
	checkIndex(t, s)
	if hits, err := s.Search(ctx, "geändert", 100); err != nil || len(hits) != (n+96)/97 {
		t.Errorf("Search(geändert) = %d hits, %v", len(hits), err)
	}
}

// TestSaveFeedsLeavesForeignKeysOn stores feeds (SaveFeeds and SaveFeed
// turn the foreign key checks off for their transactions) and checks that
// every connection of the pool enforces them again afterwards: a row
// pointing at no entry is refused, and removing the feeds still deletes
// their entries' memberships and seen rows by cascade.
func TestSaveFeedsLeavesForeignKeysOn(t *testing.T) {
	ctx := t.Context()
	s := openInternal(t)
	results := batchResults()
	for _, saved := range s.SaveFeeds(ctx, results[:3]) {
		if saved.Err != nil {
			t.Fatal(saved.Err)
		}
	}
	if _, err := s.SaveFeed(ctx, results[0]); err != nil {
		t.Fatal(err)
	}
	n := s.db.Stats().OpenConnections
	if n == 0 {
		t.Fatal("no open connection")
	}
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var on bool
		if err := c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on); err != nil || !on {
			t.Errorf("connection %d of %d: foreign_keys = %v, %v", len(conns), n, on, err)
		}
		if _, err := c.ExecContext(ctx, `INSERT INTO seen(id, last_seen) VALUES (999999, 1)`); err == nil {
			t.Errorf("connection %d of %d: a seen row for no entry was stored", len(conns), n)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	conns = nil
	for _, feed := range []string{results[0].Feed.URL, results[1].Feed.URL} {
		if err := s.RemoveFeed(ctx, feed); err != nil {
			t.Fatal(err)
		}
	}
	for _, table := range []string{"entries", "entry_feeds", "seen"} {
		var left int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&left); err != nil || left != 0 {
			t.Errorf("%s after removing every feed: %d rows, %v", table, left, err)
		}
	}
}

// TestSaveFeedsIndexesNewEntriesAsStored stores, in one SaveFeeds call,
// entries that are new and then change within the same transaction (a
// feed listed twice, an entry of two feeds): the search index holds each
// entry's final text once, folded like every indexed text.
func TestSaveFeedsIndexesNewEntriesAsStored(t *testing.T) {
	ctx := t.Context()
	s := openInternal(t)
	at := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	entry := func(id, title, summary string) fetch.Entry {
		return fetch.Entry{ID: id, URL: "https://x.example/" + id, Title: title, Summary: summary, Published: at, Updated: at}
	}
	changed := entry("n1", "Neuer Titel Müllabfuhr", "Nachher")
	changed.Updated = at.Add(time.Minute)
	results := []fetch.FeedResult{
		{Feed: fetch.Feed{URL: "https://x.example/feed"}, FetchedAt: at,
			Entries: []fetch.Entry{entry("n1", "Alter Titel Übermut", "Vorher"), entry("n2", "Zweiter", "Straße")}},
		{Feed: fetch.Feed{URL: "https://x.example/feed"}, FetchedAt: at.Add(time.Minute),
			Entries: []fetch.Entry{changed, entry("n2", "Zweiter", "Straße"), entry("n3", "Dritter", "Grün")}},
	}
	for _, saved := range s.SaveFeeds(ctx, results) {
		if saved.Err != nil {
			t.Fatal(saved.Err)
		}
	}
	checkIndex(t, s)
	checkIndexIntegrity(t, s.db)
	for q, want := range map[string]int{"übermut": 0, "vorher": 0, "muellabfuhr": 1, "nachher": 1, "strasse": 1, "gruen": 1, "zweiter": 1} {
		hits, err := s.Search(ctx, q, 10)
		if err != nil || len(hits) != want {
			t.Errorf("Search(%q) = %d hits, %v; want %d", q, len(hits), err, want)
		}
	}
}
