package cache

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/kiosk-reader/kiosk/fetch"
)

// TestMigrateScopesEntryIDs builds a version 5 cache whose entries carry the
// old global hash IDs and checks that Open gives them feed-scoped IDs that
// the next sync of the same feed finds: no duplicate, read state kept.
func TestMigrateScopesEntryIDs(t *testing.T) {
	ctx := t.Context()
	path, db := cacheAtVersion(t, 5)
	const feedURL = "https://blog.example/feed.xml"
	legacyGUID := fetch.StableID("", "post-1", "")
	legacyURL := fetch.StableID("", "", "https://blog.example/p/2")
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano()
	_, err := db.ExecContext(ctx, `
		INSERT INTO feeds(id, url, title) VALUES (1, ?2, 'Blog'), (2, 'https://www.heise.de/rss/heise-atom.xml', 'heise');
		INSERT INTO entries(id, uid, feed_id, guid, url, title, first_seen, last_seen, sort_time, read_at, starred_at)
			VALUES (1, ?3, 1, 'post-1', 'https://blog.example/p/1', 'One', ?1, ?1, ?1, ?1, NULL),
			       (2, ?4, 1, '', 'https://blog.example/p/2', 'Two', ?1, ?1, ?1, NULL, ?1),
			       (3, '9675153', 2, 'x', 'https://www.heise.de/-9675153', 'Heise', ?1, ?1, ?1, NULL, NULL),
			       (4, 'k000000000000', NULL, 'gone', 'https://gone.example/', 'Starred of a removed feed', ?1, ?1, ?1, NULL, ?1);
		INSERT INTO entry_feeds(entry_id, feed_id, sort_time, uid) VALUES (1, 1, ?1, ?3), (2, 1, ?1, ?4), (3, 2, ?1, '9675153');`,
		now, feedURL, legacyGUID, legacyURL)
	if err != nil {
		t.Fatalf("fill v5: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(v5) = %v", err)
	}
	defer s.Close()
	want := map[string]string{
		fetch.EntryID(feedURL, "", "post-1", ""):                   "One",
		fetch.EntryID(feedURL, "", "", "https://blog.example/p/2"): "Two",
		"9675153":       "Heise",
		"k000000000000": "Starred of a removed feed",
	}
	for id, title := range want {
		it, err := s.Item(ctx, id)
		if err != nil || it.Title != title {
			t.Errorf("Item(%s) after upgrade = %+v, %v; want %q", id, it, err, title)
		}
	}
	var stale int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM entry_feeds ef JOIN entries e ON e.id = ef.entry_id WHERE ef.uid != e.uid`).Scan(&stale); err != nil || stale != 0 {
		t.Errorf("entry_feeds rows with another uid than their entry: %d, %v", stale, err)
	}
	// The feed answers again: the same two entries, not two more.
	body := `<rss version="2.0"><channel><title>Blog</title>
		<item><title>One</title><guid>post-1</guid><link>https://blog.example/p/1</link></item>
		<item><title>Two</title><link>https://blog.example/p/2</link></item></channel></rss>`
	feed, entries, err := fetch.ParseFeed(feedURL, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	newIDs, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: feed, Entries: entries, FetchedAt: time.Now()})
	if err != nil || len(newIDs) != 0 {
		t.Errorf("SaveFeed after upgrade: new %v, %v; want none new", newIDs, err)
	}
	it, err := s.Item(ctx, fetch.EntryID(feedURL, "", "post-1", ""))
	if err != nil || !it.Read {
		t.Errorf("read state after upgrade and sync: %+v, %v", it, err)
	}
}

// TestFeedCannotRewriteAnotherFeedsEntry is issue 8 item 4: feed B reusing
// feed A's GUID with a newer date gave A's entry B's title, URL and article.
func TestFeedCannotRewriteAnotherFeedsEntry(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	save := func(feedURL, body string) []fetch.Entry {
		t.Helper()
		feed, entries, err := fetch.ParseFeed(feedURL, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: feed, Entries: entries, FetchedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		return entries
	}
	a := save("https://a.example/feed", `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
		<entry><id>urn:shared:1</id><title>The real story</title><link href="https://a.example/story"/><updated>2024-01-01T00:00:00Z</updated></entry></feed>`)
	b := save("https://evil.example/feed", `<feed xmlns="http://www.w3.org/2005/Atom"><title>B</title>
		<entry><id>urn:shared:1</id><title>Hijacked</title><link href="https://evil.example/x"/><updated>2025-01-01T00:00:00Z</updated></entry></feed>`)
	if a[0].ID == b[0].ID {
		t.Fatalf("both feeds' entries have ID %s", a[0].ID)
	}
	if err := s.SaveArticles(ctx, []fetch.ArticleResult{{EntryID: b[0].ID, Article: &fetch.Article{Title: "Hijacked", Body: "evil"}, FetchedAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	it, err := s.Item(ctx, a[0].ID)
	if err != nil || it.Title != "The real story" || it.URL != "https://a.example/story" {
		t.Errorf("A's entry = %+v, %v; want it untouched", it, err)
	}
	if _, err := s.Article(ctx, a[0].ID); err == nil {
		t.Errorf("A's entry has an article, written through B's")
	}
	// heise content IDs stay global: one article in two feeds is one entry.
	h1 := save("https://www.heise.de/rss/heise-atom.xml", `<feed xmlns="http://www.w3.org/2005/Atom"><title>heise</title>
		<entry><id>http://heise.de/-9675153</id><title>Same</title><link href="https://www.heise.de/news/x-9675153.html"/></entry></feed>`)
	h2 := save("https://www.heise.de/rss/heise-top-atom.xml", `<feed xmlns="http://www.w3.org/2005/Atom"><title>top</title>
		<entry><id>http://heise.de/-9675153</id><title>Same</title><link href="https://www.heise.de/news/x-9675153.html"/></entry></feed>`)
	if h1[0].ID != "9675153" || h2[0].ID != "9675153" {
		t.Errorf("heise IDs %s, %s; want the content ID for both", h1[0].ID, h2[0].ID)
	}
}

// TestMigrateSplitsSharedEntries: before version 6 an item two feeds listed
// was one entry; after it each feed has its own, with the read state, and
// the next sync of either feed adds nothing.
func TestMigrateSplitsSharedEntries(t *testing.T) {
	ctx := t.Context()
	path, db := cacheAtVersion(t, 5)
	const a, b = "https://a.example/feed", "https://b.example/feed"
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano()
	_, err := db.ExecContext(ctx, `
		INSERT INTO feeds(id, url, title) VALUES (1, ?2, 'A'), (2, ?3, 'B');
		INSERT INTO entries(id, uid, feed_id, guid, url, title, summary, first_seen, last_seen, sort_time, read_at)
			VALUES (1, ?4, 1, 'shared-1', 'https://x.example/1', 'One', 'Über eins', ?1, ?1, ?1, ?1);
		INSERT INTO entry_feeds(entry_id, feed_id, sort_time, uid, unread) VALUES (1, 1, ?1, ?4, 0), (1, 2, ?1, ?4, 0);
		INSERT INTO search(rowid, title, lead, body) VALUES (1, 'One', 'Ueber eins', '');`,
		now, a, b, fetch.StableID("", "shared-1", ""))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if hits, err := s.Search(ctx, "eins", 10); err != nil || len(hits) != 2 {
		t.Errorf("search finds %d copies, %v; want 2", len(hits), err)
	}
	for _, feed := range []string{a, b} {
		items, err := s.List(ctx, Query{Feed: feed, Limit: 10})
		if err != nil || len(items) != 1 || items[0].ID != fetch.EntryID(feed, "", "shared-1", "") || !items[0].Read {
			t.Errorf("feed %s lists %+v, %v; want its own read copy", feed, items, err)
		}
		body := `<rss version="2.0"><channel><item><title>One</title><guid>shared-1</guid><link>https://x.example/1</link><description>Über eins</description></item></channel></rss>`
		f, entries, err := fetch.ParseFeed(feed, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if ids, err := s.SaveFeed(ctx, fetch.FeedResult{Feed: f, Entries: entries, FetchedAt: time.Now()}); err != nil || len(ids) != 0 {
			t.Errorf("sync of %s after the upgrade: new %v, %v; want none", feed, ids, err)
		}
	}
	checkIndexIntegrity(t, s.db)
}
