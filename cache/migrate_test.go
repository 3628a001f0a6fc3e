package cache

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMigrateFromVersion1 builds a version 1 cache (no search index) with
// data in it, as an older kiosk left it, and checks that Open upgrades it:
// the data stays and becomes searchable.
func TestMigrateFromVersion1(t *testing.T) {
	ctx := t.Context()
	path, db := cacheAtVersion(t, 1)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano()
	_, err := db.ExecContext(ctx, `
		INSERT INTO feeds(id, url, title) VALUES (1, 'https://www.heise.de/rss/heise-atom.xml', 'heise online');
		INSERT INTO entries(id, uid, feed_id, url, title, summary, first_seen, last_seen, sort_time, has_article, read_at)
			VALUES (1, '9675153', 1, 'https://www.heise.de/-9675153', 'Alte Meldung', 'Ein Anreißer', ?1, ?1, ?1, 1, ?1),
			       (2, '9675154', 1, 'https://www.heise.de/-9675154', 'Ohne Artikel', 'Straßenverkehr im Teaser', ?1, ?1, ?1, 0, NULL);
		INSERT INTO entry_feeds(entry_id, feed_id, sort_time, uid) VALUES (1, 1, ?1, '9675153'), (2, 1, ?1, '9675154');
		INSERT INTO articles(entry_id, fetched_at, lead, meta, body)
			VALUES (1, ?1, 'Vorspann', '{"id":"9675153","title":"Alte Meldung","lead":"Vorspann","rule":"heise"}', 'Die Fernsehübertragung lief im Körper des Textes.');`, now)
	if err != nil {
		t.Fatalf("fill v1: %v", err)
	}
	if v := userVersion(t, db); v != 1 {
		t.Fatalf("user_version = %d, want 1", v)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	if _, err := OpenReadOnly(ctx, path); err == nil || !strings.Contains(err.Error(), "run kiosk sync") {
		t.Errorf("OpenReadOnly(v1) = %v, want a hint to run kiosk sync", err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(v1) = %v", err)
	}
	defer s.Close()
	if v := userVersion(t, s.db); v != SchemaVersion() || v < 2 {
		t.Errorf("user_version after Open = %d, want %d", v, SchemaVersion())
	}
	it, err := s.Item(ctx, "9675153")
	if err != nil || !it.Read || !it.Offline || it.Title != "Alte Meldung" {
		t.Errorf("Item after upgrade = %+v, %v", it, err)
	}
	for q, want := range map[string]string{"Körper": "9675153", "Fernsehuebertragung": "9675153", "strassenverkehr": "9675154"} {
		hits, err := s.Search(ctx, q, 5)
		if err != nil || len(hits) != 1 || hits[0].ID != want {
			t.Errorf("Search(%q) after upgrade = %+v, %v; want %s", q, hits, err, want)
		}
	}
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 1 || feeds[0].Total != 2 || feeds[0].Unread != 1 {
		t.Errorf("Feeds after upgrade = %+v, %v; want 2 entries, 1 unread", feeds, err)
	}
	if items, err := s.List(ctx, Query{Feed: "https://www.heise.de/rss/heise-atom.xml", Unread: true}); err != nil || len(items) != 1 || items[0].ID != "9675154" {
		t.Errorf("List(feed, unread) after upgrade = %+v, %v", items, err)
	}
	var hashsize int
	if err := s.db.QueryRowContext(ctx, `SELECT v FROM search_config WHERE k = 'hashsize'`).Scan(&hashsize); err != nil || hashsize != 8<<20 {
		t.Errorf("FTS5 hashsize after upgrade = %d, %v; want 8 MiB (migration 4)", hashsize, err)
	}
	// And once more: nothing left to run.
	if err := s.prepare(ctx, SchemaVersion(), true); err != nil {
		t.Errorf("prepare again = %v", err)
	}
}

// cacheAtVersion makes a cache file at schema version v, as an older kiosk
// left it, and returns its path and an open handle to fill it with.
func cacheAtVersion(t *testing.T, v int) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	if err := (&Store{db: db, path: path}).prepare(t.Context(), v, true); err != nil {
		t.Fatalf("prepare(v%d) = %v", v, err)
	}
	return path, db
}

func userVersion(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRowContext(t.Context(), "PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSchemaVersionIsTheLastMigration: the version worked out from the
// migrations' names is the one the last migration brings the schema to.
func TestSchemaVersionIsTheLastMigration(t *testing.T) {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		t.Fatal(ms, err)
	}
	if got, want := SchemaVersion(), ms[len(ms)-1].version; got != want {
		t.Errorf("SchemaVersion() = %d, want %d (the last migration)", got, want)
	}
}
